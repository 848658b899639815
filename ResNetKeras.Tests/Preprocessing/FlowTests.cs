using ResNetKeras.Engine;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Preprocessing;

/// <summary><c>ImageDataGenerator.Flow</c>: Keras's NumpyArrayIterator batching, shuffling, subsets, and determinism under threads.</summary>
[TestClass]
public sealed class FlowTests
{
    /// <summary>n images of 4x4x1 whose pixels are 100·i + p, so a batch tells which samples it holds.</summary>
    private static NDArray Images(int n)
    {
        var x = ND.Zeros([n, 4, 4, 1]);
        for (int i = 0; i < n; i++)
            for (int p = 0; p < 16; p++) x.SetFlat(i * 16 + p, i * 100 + p);
        return x;
    }

    private static NDArray Labels(int n) => ND.Of(Enumerable.Range(0, n).Select(i => (float)i).ToArray(), n, 1);

    private static int[] SampleIds(NDArray batchX) => Enumerable.Range(0, batchX.IntShape[0]).Select(i => (int)batchX.GetDouble(i, 0, 0, 0) / 100).ToArray();

    [TestMethod]
    public void Batches_InOrder_WithThePartialLastBatchKept()
    {
        var it = new ImageDataGenerator().Flow(Images(10), Labels(10), batchSize: 4, shuffle: false);
        Assert.AreEqual(3, it.Count, "ceil(10 / 4)");
        CollectionAssert.AreEqual(new[] { 4, 5, 6, 7 }, SampleIds(it.GetItem(1).X));
        var (x2, y2) = it.GetItem(2);
        CollectionAssert.AreEqual(new[] { 2, 4, 4, 1 }, x2.IntShape);
        CollectionAssert.AreEqual(new float[] { 8, 9 }, y2!.Float32Data);
        CollectionAssert.AreEqual(Images(10)[9].Float32Data, x2[1].Float32Data, "no augmentation: the image itself");
        CollectionAssert.AreEqual(new[] { 8, 9 }, it.BatchIndices(2));
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => it.GetItem(3)).Message, "Asked to retrieve element 3, but the Sequence has length 3");
        Assert.ThrowsExactly<ArgumentException>(() => it.GetItem(-1));
        Assert.AreEqual(1, new ImageDataGenerator().Flow(Images(3), batchSize: 32).Count);
        Assert.IsNull(new ImageDataGenerator().Flow(Images(3)).GetItem(0).Y, "no y: images only");
    }

    [TestMethod]
    public void Shuffle_EveryEpochANewPermutation_EachSampleOnce()
    {
        var it = new ImageDataGenerator().Flow(Images(9), Labels(9), batchSize: 4, shuffle: true, seed: 3);
        int[] Epoch() => Enumerable.Range(0, it.Count).SelectMany(i => SampleIds(it.GetItem(i).X)).ToArray();
        var e1 = Epoch();
        Assert.AreEqual(0, it.Epoch);
        it.OnEpochEnd();
        Assert.AreEqual(1, it.Epoch);
        var e2 = Epoch();
        it.OnEpochEnd();
        var e3 = Epoch();
        CollectionAssert.AreEquivalent(Enumerable.Range(0, 9).ToArray(), e1);
        CollectionAssert.AreEquivalent(e1, e2);
        CollectionAssert.AreEquivalent(e1, e3);
        CollectionAssert.AreNotEqual(e1, e2);
        CollectionAssert.AreNotEqual(e2, e3);
        // Keras: np.random.seed(3) at the first request, then np.random.permutation(9).
        CollectionAssert.AreEqual(new RandomState(3).Permutation(9), e1);
        // Labels follow their images.
        var (bx, by) = it.GetItem(0);
        CollectionAssert.AreEqual(SampleIds(bx).Select(i => (float)i).ToArray(), by!.Float32Data);
        // Asking again gives the same batch: nothing depends on how often or in which order batches are requested.
        CollectionAssert.AreEqual(it.GetItem(1).X.Float32Data, it.GetItem(1).X.Float32Data);
    }

    [TestMethod]
    public void Augmentation_UsesSeedPlusBatchPosition()
    {
        var gen = new ImageDataGenerator(widthShiftRange: 0.3, horizontalFlip: true, semantics: "keras_preprocessing");
        var x = Images(6);
        var it = gen.Flow(x, batchSize: 2, shuffle: false, seed: 40);
        // Batch 2 of epoch 1 uses np.random.seed(40 + 1·3 + 2), the value Keras's seed + total_batches_seen takes in order.
        it.OnEpochEnd();
        var rng = new RandomState(45);
        var expected0 = gen.ApplyTransform(x[4], gen.GetRandomTransform([4, 4, 1], rng));
        var expected1 = gen.ApplyTransform(x[5], gen.GetRandomTransform([4, 4, 1], rng));
        var got = it.GetItem(2).X;
        CollectionAssert.AreEqual(expected0.Float32Data, got[0].Float32Data);
        CollectionAssert.AreEqual(expected1.Float32Data, got[1].Float32Data);
    }

    [TestMethod]
    [DoNotParallelize]
    public void WithoutSeed_ReproducibleFromTheSessionSeed()
    {
        var gen = new ImageDataGenerator(rotationRange: 30);
        float[] Run()
        {
            Backend.SetRandomSeed(8);
            var it = gen.Flow(Images(5), batchSize: 5);
            return it.GetItem(0).X.Float32Data;
        }
        CollectionAssert.AreEqual(Run(), Run());
    }

    [TestMethod]
    public void Subsets_SplitAsKeras()
    {
        var x = Images(10);
        var y = ND.Of(new float[] { 0, 1, 0, 1, 0, 1, 0, 1, 0, 1 }, 10, 1);
        var gen = new ImageDataGenerator(validationSplit: 0.3);
        var val = gen.Flow(x, y, batchSize: 10, shuffle: false, subset: "validation");
        var train = gen.Flow(x, y, batchSize: 10, shuffle: false, subset: "training");
        Assert.AreEqual(3, val.N, "validation = the first int(N · split) samples");
        Assert.AreEqual(7, train.N, "training = the rest");
        CollectionAssert.AreEqual(new[] { 0, 1, 2 }, SampleIds(val.GetItem(0).X));
        CollectionAssert.AreEqual(new[] { 3, 4, 5, 6, 7, 8, 9 }, SampleIds(train.GetItem(0).X));
        var w = ND.Of(Enumerable.Range(0, 10).Select(i => i / 10f).ToArray(), 10);
        var weighted = gen.Flow(x, y, batchSize: 10, shuffle: false, subset: "training", sampleWeight: w);
        Assert.IsTrue(weighted.HasSampleWeight);
        CollectionAssert.AreEqual(new[] { 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f }, weighted.GetItemWithSampleWeight(0).SampleWeight!.Float32Data, "weights follow their samples");
        // Keras compares np.unique of the label values: sorted scalar labels fail, one-hot labels pass whatever the split.
        var sorted = ND.Of(new float[] { 0, 0, 0, 1, 1, 1, 1, 1, 1, 1 }, 10, 1);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => gen.Flow(x, sorted, subset: "validation")).Message, "different number of classes after the split");
        Assert.AreEqual(7, gen.Flow(x, sorted, subset: "training", ignoreClassSplit: true).N, "Keras 2.9+'s ignore_class_split");
        var oneHot = ND.Zeros([10, 2]);
        for (int i = 0; i < 10; i++) oneHot.SetDouble(1, i, i < 3 ? 0 : 1);
        Assert.AreEqual(3, gen.Flow(x, oneHot, subset: "validation").N);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => gen.Flow(x, y, subset: "test")).Message, "Invalid subset name: test");
    }

    [TestMethod]
    public void InvalidArguments_AreRefusedInKerasWords()
    {
        var gen = new ImageDataGenerator();
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => gen.Flow(Images(4), Labels(3))).Message, "`x` (images tensor) and `y` (labels) should have the same length. Found: x.shape = (4, 4, 4, 1), y.shape = (3, 1)");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => gen.Flow(Images(4), sampleWeight: ND.Zeros([5]))).Message, "`sample_weight` should have the same length");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => gen.Flow(ND.Zeros([4, 4, 4]))).Message, "should have rank 4");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => gen.Flow(Images(4), batchSize: 0)).Message, "batch_size=0");
    }

    [TestMethod]
    public void GetItem_FromManyThreadsInAnyOrder_EqualsSequential()
    {
        var gen = new ImageDataGenerator(rotationRange: 20, widthShiftRange: 0.2, zoomRange: 0.1, horizontalFlip: true, samplewiseCenter: true);
        var x = Images(40);
        var expected = gen.Flow(x, batchSize: 3, seed: 5);
        var reference = Enumerable.Range(0, expected.Count).Select(i => expected.GetItem(i).X.Float32Data).ToList();
        var it = gen.Flow(x, batchSize: 3, seed: 5);
        var order = new RandomState(1).Permutation(it.Count).Concat(new RandomState(2).Permutation(it.Count)).ToArray();
        var results = new float[order.Length][];
        Parallel.For(0, order.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, k => results[k] = it.GetItem(order[k]).X.Float32Data);
        for (int k = 0; k < order.Length; k++) CollectionAssert.AreEqual(reference[order[k]], results[k], $"batch {order[k]}");
    }

    [TestMethod]
    public void OrderedEnqueuer_FourWorkers_GiveTheSameBatchesAsOne()
    {
        var x = Images(37);
        var y = Labels(37);
        var gen = new ImageDataGenerator(rotationRange: 20, widthShiftRange: 0.2, horizontalFlip: true, brightnessRange: [0.8, 1.2]);
        List<float[]> Run(int workers)
        {
            var it = gen.Flow(x, y, batchSize: 5, seed: 11);
            var enqueuer = new OrderedEnqueuer(it, workers, maxQueueSize: 3);
            var all = new List<float[]>();
            for (int e = 0; e < 3; e++)
            {
                // Batch order shuffled per epoch, as Model.Fit does for a Sequence.
                var order = new RandomState((uint)e).Permutation(it.Count);
                foreach (var (bx, by) in enqueuer.GetEpoch(order))
                {
                    all.Add(bx.Float32Data);
                    all.Add(by!.Float32Data);
                }
                it.OnEpochEnd();
            }
            return all;
        }
        var one = Run(1);
        var four = Run(4);
        Assert.AreEqual(one.Count, four.Count);
        for (int i = 0; i < one.Count; i++) CollectionAssert.AreEqual(one[i], four[i], $"array {i}");
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
        Assert.AreEqual(one.Count, four.Count);
        for (int i = 0; i < one.Count; i++) CollectionAssert.AreEqual(one[i].Float32Data, four[i].Float32Data, $"weight {i}");
    }
}
