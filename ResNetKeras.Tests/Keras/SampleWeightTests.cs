using ResNetKeras.Engine;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Keras;

/// <summary>
/// Keras's sample_weight in fit / train_on_batch and from ImageDataGenerator.Flow: the batch loss is Σ ℓᵢ·wᵢ / N
/// (compute_weighted_loss with SUM_OVER_BATCH_SIZE).
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class SampleWeightTests
{
    private static (NDArray X, NDArray Y) Data(int n)
    {
        var rng = new RandomState(9);
        var x = ND.Zeros([n, 4, 4, 1]);
        for (int i = 0; i < x.Size; i++) x.SetFlat(i, rng.Uniform(-1, 1));
        var y = ND.Zeros([n, 3]);
        for (int i = 0; i < n; i++) y.SetDouble(1, i, i % 3);
        return (x, y);
    }

    // No batch statistics, so a zero-weight sample has no effect at all.
    private static Model Net(double learningRate)
    {
        Backend.ClearSession();
        Backend.SetRandomSeed(5);
        var input = Layers.Input([4, 4, 1]);
        var h = new Dense(5, activation: "tanh").Call(new Flatten().Call(input));
        var model = new Model(input, new Dense(3, activation: "softmax").Call(h));
        model.Compile(new SGD(learningRate), "categorical_crossentropy", ["accuracy"]);
        return model;
    }

    private static void AssertClose(List<NDArray> expected, List<NDArray> actual, double tolerance)
    {
        for (int i = 0; i < expected.Count; i++)
        {
            var e = expected[i].Float32Data;
            var a = actual[i].Float32Data;
            for (int j = 0; j < e.Length; j++) Assert.AreEqual(e[j], a[j], tolerance, $"weight {i}[{j}]");
        }
    }

    [TestMethod]
    public void ZeroWeights_DropSamplesButTheBatchStillCountsThem()
    {
        var (x, y) = Data(6);
        var weighted = Net(0.5);
        var h1 = weighted.Fit(x, y, batchSize: 6, epochs: 1, verbose: 0, shuffle: false, sampleWeight: ND.Of(new float[] { 1, 1, 1, 0, 0, 0 }));
        // Σ over the first three / 6 = half the mean over the first three: the same step as lr / 2 on those alone.
        var halfRate = Net(0.25);
        var h2 = halfRate.Fit(x.Slice(0, 3), y.Slice(0, 3), batchSize: 3, epochs: 1, verbose: 0, shuffle: false);
        AssertClose(halfRate.GetWeights(), weighted.GetWeights(), 1e-6);
        Assert.AreEqual(h2.HistoryData["loss"][0] / 2, h1.HistoryData["loss"][0], 1e-6);
        // Accuracy is not weighted (Keras's `metrics`, unlike `weighted_metrics`): all six samples, before the step.
        var before = Net(0.5).Predict(x).Float32Data;
        int correct = Enumerable.Range(0, 6).Count(i => Enumerable.Range(0, 3).MaxBy(k => before[i * 3 + k]) == i % 3);
        Assert.AreEqual(correct / 6.0, h1.HistoryData["accuracy"][0], 1e-6);
    }

    [TestMethod]
    public void UnitWeights_ChangeNothing()
    {
        var (x, y) = Data(6);
        var a = Net(0.1);
        var la = a.TrainOnBatch(x, y);
        var b = Net(0.1);
        var lb = b.TrainOnBatch(x, y, sampleWeight: ND.Of(new double[] { 1, 1, 1, 1, 1, 1 }));
        CollectionAssert.AreEqual(la, lb);
        AssertClose(a.GetWeights(), b.GetWeights(), 0);
    }

    [TestMethod]
    public void WeightsFromFlow_TrainLikeWeightedArrays()
    {
        var (x, y) = Data(8);
        var w = ND.Of(new float[] { 2, 0.5f, 0, 1, 3, 1, 0, 1 });
        var arrays = Net(0.2);
        arrays.Fit(x, y, batchSize: 4, epochs: 2, verbose: 0, shuffle: false, sampleWeight: w);
        var flowed = Net(0.2);
        var flow = new ImageDataGenerator().Flow(x, y, batchSize: 4, shuffle: false, sampleWeight: w);
        flowed.Fit(flow, epochs: 2, verbose: 0, shuffle: false);
        AssertClose(arrays.GetWeights(), flowed.GetWeights(), 0);
        var unweighted = Net(0.2);
        unweighted.Fit(new ImageDataGenerator().Flow(x, y, batchSize: 4, shuffle: false), epochs: 2, verbose: 0, shuffle: false);
        Assert.IsTrue(unweighted.GetWeights()[0].Float32Data.Zip(flowed.GetWeights()[0].Float32Data).Any(p => Math.Abs(p.First - p.Second) > 1e-4),
            "the weights from Flow must change training");
    }

    [TestMethod]
    public void Evaluate_WeightsTheLossLikeFit()
    {
        var (x, y) = Data(6);
        var model = Net(0.1);
        var w = ND.Of(new float[] { 2, 0, 1, 1, 0.5f, 0 });
        var perSample = Enumerable.Range(0, 6).Select(i => model.Evaluate(x.Slice(i, i + 1), y.Slice(i, i + 1), verbose: 0)[0]).ToArray();
        // Batches of 4 and 2: the running loss is the batch-size-weighted mean of Σ ℓᵢ·wᵢ / B over the batches.
        double expected = (perSample.Take(4).Select((l, i) => l * w.Float32Data[i]).Sum() + perSample.Skip(4).Select((l, i) => l * w.Float32Data[4 + i]).Sum()) / 6;
        Assert.AreEqual(expected, model.Evaluate(x, y, batchSize: 4, verbose: 0, sampleWeight: w)[0], 1e-5);
        CollectionAssert.AreEqual(model.Evaluate(x, y, batchSize: 4, verbose: 0),
            model.Evaluate(x, y, batchSize: 4, verbose: 0, sampleWeight: ND.Of(new float[] { 1, 1, 1, 1, 1, 1 })));
    }

    [TestMethod]
    public void BadSampleWeights_AreRefusedWithTheirShape()
    {
        var (x, y) = Data(4);
        var model = Net(0.1);
        var e = Assert.ThrowsExactly<ArgumentException>(() => model.Fit(x, y, verbose: 0, sampleWeight: ND.Of(new float[] { 1, 1, 1 })));
        StringAssert.Contains(e.Message, "x sizes: 4, sample_weight sizes: 3");
        Assert.AreEqual("sampleWeight", e.ParamName);
        e = Assert.ThrowsExactly<ArgumentException>(() => model.TrainOnBatch(x, y, ND.Zeros([4, 2])));
        StringAssert.Contains(e.Message, "shape (4, 2)");
    }
}
