using ResNetKeras.Engine;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Keras;

[TestClass]
[DoNotParallelize]
public sealed class BatchNormLayerTests
{
    [TestMethod]
    public void MovingStatistics_ConvergeToBatchStatistics_InferenceThenMatchesTraining()
    {
        Backend.ClearSession();
        Backend.SetRandomSeed(2);
        var input = Layers.Input([8, 8, 3]);
        var x = new Conv2D(8, 3, padding: "same").Call(input);
        x = new BatchNormalization().Call(x);
        x = new Activation("relu").Call(x);
        x = new Conv2D(4, 3, strides: 2, padding: "same").Call(x);
        x = new BatchNormalization(momentum: 0.9).Call(x);
        var model = new Model(input, new GlobalAveragePooling2D().Call(x));
        var values = new float[16 * 8 * 8 * 3];
        var rng = new RandomState(3);
        for (int i = 0; i < values.Length; i++) values[i] = (float)rng.Normal(2, 3);
        var data = new Tensor(values, 16, 8, 8, 3);
        // Each training-mode call moves the moving statistics towards this batch's (unbiased) statistics.
        for (int i = 0; i < 800; i++) model.Call(data, training: true);
        var train = model.Call(data, training: true).ToArray();
        var infer = model.Call(data, training: false).ToArray();
        for (int i = 0; i < train.Length; i++) Assert.AreEqual(train[i], infer[i], 2e-2, $"output {i}");
        var bn = (BatchNormalization)model.Layers.First(l => l is BatchNormalization);
        Assert.AreEqual(4, bn.Weights.Count);
        CollectionAssert.AreEqual(new[] { "batch_normalization/gamma:0", "batch_normalization/beta:0", "batch_normalization/moving_mean:0", "batch_normalization/moving_variance:0" },
            bn.Weights.Select(w => w.Name).ToArray());
        Assert.AreEqual(2, bn.NonTrainableWeights.Count);
    }
}
