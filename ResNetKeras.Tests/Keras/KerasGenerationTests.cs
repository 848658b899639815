using ResNetKeras.Engine;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Keras;

/// <summary>The Keras generation switch: BatchNormalization's moving variance, corrected (tf.keras 2.x) or biased (Keras 3).</summary>
[TestClass]
[DoNotParallelize]
public sealed class KerasGenerationTests
{
    private static (double[] Mean, double[] Biased) Statistics(NDArray x, int c)
    {
        var data = x.Float32Data;
        var mean = new double[c];
        var biased = new double[c];
        int count = data.Length / c;
        for (int i = 0; i < data.Length; i++) mean[i % c] += data[i] / (double)count;
        for (int i = 0; i < data.Length; i++) biased[i % c] += Math.Pow(data[i] - mean[i % c], 2) / count;
        return (mean, biased);
    }

    [TestMethod]
    [DataRow(KerasGeneration.TfKeras2)]
    [DataRow(KerasGeneration.Keras3)]
    public void MovingVariance_FollowsTheChosenGeneration(KerasGeneration generation)
    {
        Backend.ClearSession();
        Backend.SetRandomSeed(4);
        var input = Layers.Input([3, 2, 3]);
        var bn = new BatchNormalization();
        var outputs = new Dense(2, activation: "softmax").Call(new Flatten().Call(bn.Call(input)));
        var model = new Model(input, outputs);
        Assert.AreEqual(KerasGeneration.TfKeras2, bn.Generation, "default");
        model.UseKerasGeneration(generation);
        Assert.AreEqual(generation, bn.Generation);
        model.Compile(new Adam(), "categorical_crossentropy");
        var rng = new RandomState(2);
        var x = ND.Zeros([2, 3, 2, 3]);
        for (int i = 0; i < x.Size; i++) x.SetFlat(i, rng.Uniform(-2, 3));
        var y = ND.Zeros([2, 2]);
        y.SetFlat(0, 1);
        y.SetFlat(3, 1);
        model.TrainOnBatch(x, y);
        var (mean, biased) = Statistics(x, 3);
        int n = x.Size / 3;
        var weights = bn.Weights;
        var movingMean = weights[2].Numpy().Float32Data;
        var movingVariance = weights[3].Numpy().Float32Data;
        for (int q = 0; q < 3; q++)
        {
            double batchVariance = generation == KerasGeneration.TfKeras2 ? biased[q] * n / (n - 1) : biased[q];
            Assert.AreEqual(0.01 * mean[q], movingMean[q], 1e-6);
            Assert.AreEqual(0.99 + 0.01 * batchVariance, movingVariance[q], 1e-6, $"channel {q}");
        }
        // The two generations differ by more than the tolerance: n/(n-1) = 12/11 on a variance of about 2.
        Assert.IsTrue(biased.Min() * (n / (n - 1.0) - 1) * 0.01 > 1e-5);
        Assert.ThrowsExactly<ArgumentException>(() => model.UseKerasGeneration((KerasGeneration)7));
    }
}
