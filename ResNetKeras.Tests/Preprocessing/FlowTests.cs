using ResNetKeras.Engine;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Preprocessing;

[TestClass]
public sealed class FlowTests
{
    private static NDArray Images(int n)
    {
        var x = NDArray.Zeros([n, 4, 4, 1]);
        for (int i = 0; i < n; i++) for (int p = 0; p < 16; p++) x.SetFlat(i * 16 + p, i * 100 + p);
        return x;
    }

    [TestMethod]
    public void Batches_Ordering_PartialLastBatch()
    {
        var x = Images(10);
        var y = NDArray.FromArray(Enumerable.Range(0, 10).Select(i => (float)i).ToArray(), 10, 1);
        var it = new ImageDataGenerator().Flow(x, y, batchSize: 4, shuffle: false);
        Assert.AreEqual(3, it.Count);
        var (b2x, b2y) = it.GetItem(2);
        CollectionAssert.AreEqual(new[] { 2, 4, 4, 1 }, b2x.Shape);
        CollectionAssert.AreEqual(new float[] { 8, 9 }, b2y!.Float32Data);
        Assert.AreEqual(800.0, b2x.GetValue(0, 0, 0, 0));
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => it.GetItem(3)).Message, "has length 3");
    }

    [TestMethod]
    public void Shuffle_NewPermutationEachEpoch_EverySampleOnce()
    {
        var x = Images(9);
        var y = NDArray.FromArray(Enumerable.Range(0, 9).Select(i => (float)i).ToArray(), 9, 1);
        var it = new ImageDataGenerator().Flow(x, y, batchSize: 4, shuffle: true, seed: 3);
        List<float> Epoch() => Enumerable.Range(0, it.Count).SelectMany(i => it.GetItem(i).Y!.Float32Data).ToList();
        var e1 = Epoch();
        it.OnEpochEnd();
        var e2 = Epoch();
        CollectionAssert.AreEquivalent(Enumerable.Range(0, 9).Select(i => (float)i).ToArray(), e1);
        CollectionAssert.AreEquivalent(e1, e2);
        CollectionAssert.AreNotEqual(e1, e2);
        // The first epoch's order is NumPy's np.random.seed(3); np.random.permutation(9).
        CollectionAssert.AreEqual(new RandomState(3).Permutation(9).Select(i => (float)i).ToList(), e1);
    }

    [TestMethod]
    public void Subsets_SplitAsKeras()
    {
        var x = Images(10);
        var y = NDArray.FromArray(new float[] { 0, 1, 0, 1, 0, 1, 0, 1, 0, 1 }, 10, 1);
        var gen = new ImageDataGenerator(validationSplit: 0.3);
        var val = gen.Flow(x, y, batchSize: 10, shuffle: false, subset: "validation");
        var train = gen.Flow(x, y, batchSize: 10, shuffle: false, subset: "training");
        Assert.AreEqual(3, val.N, "validation = the first int(N * split) samples");
        Assert.AreEqual(7, train.N);
        Assert.AreEqual(300.0, train.GetItem(0).X.GetValue(0, 0, 0, 0));
        var sorted = NDArray.FromArray(new float[] { 0, 0, 0, 1, 1, 1, 1, 1, 1, 1 }, 10, 1);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => gen.Flow(x, sorted, subset: "validation")).Message, "different number of classes");
    }

    [TestMethod]
    public void Workers_GiveTheSameBatches()
    {
        var x = Images(37);
        var y = NDArray.FromArray(Enumerable.Range(0, 37).Select(i => (float)i).ToArray(), 37, 1);
        var gen = new ImageDataGenerator(rotationRange: 20, widthShiftRange: 0.2, horizontalFlip: true);
        List<float[]> Run(int workers)
        {
            var it = gen.Flow(x, y, batchSize: 5, seed: 11);
            var enq = new OrderedEnqueuer(it, workers, maxQueueSize: 3);
            var all = new List<float[]>();
            for (int e = 0; e < 2; e++)
            {
                all.AddRange(enq.GetEpoch(Enumerable.Range(0, it.Count).ToList()).Select(b => b.X.Float32Data));
                it.OnEpochEnd();
            }
            return all;
        }
        var one = Run(1);
        var four = Run(4);
        Assert.AreEqual(one.Count, four.Count);
        for (int i = 0; i < one.Count; i++) CollectionAssert.AreEqual(one[i], four[i], $"batch {i}");
    }

    [TestMethod]
    [DoNotParallelize]
    public void Training_WithFourWorkers_GivesTheSameWeightsAsOne()
    {
        var (x, y) = ResNetKeras.Tests.Keras.TrainingTests.Quadrants(24, 9);
        List<NDArray> Train(int workers)
        {
            Backend.ClearSession();
            Backend.SetRandomSeed(5);
            var model = ResNetCifar.ResNetV1([32, 32, 3], 8, numClasses: 4);
            model.Compile(new Adam(), "categorical_crossentropy", ["accuracy"]);
            var gen = new ImageDataGenerator(widthShiftRange: 0.1, heightShiftRange: 0.1, horizontalFlip: true);
            model.Fit(gen.Flow(x, y, batchSize: 8, seed: 21), epochs: 2, verbose: 0, workers: workers, seed: 4);
            return model.GetWeights();
        }
        var one = Train(1);
        var four = Train(4);
        for (int i = 0; i < one.Count; i++) CollectionAssert.AreEqual(one[i].Float32Data, four[i].Float32Data, $"weight {i}");
    }
}
