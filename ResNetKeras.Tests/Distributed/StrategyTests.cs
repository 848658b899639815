using ResNetKeras.Distributed;
using ResNetKeras.Engine;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Distributed;

[TestClass]
[DoNotParallelize]
public sealed class StrategyTests
{
    [TestMethod]
    public void ShardOfBatch_SplitsTheGlobalBatchAsKerasRebatches()
    {
        // TF's rebatch: sizes differ by at most one, the first replicas take the larger ones, contiguous in order.
        int[][] expected = [[0, 4], [4, 3], [7, 3]];
        for (int r = 0; r < 3; r++)
        {
            using var s = new MultiWorkerMirroredStrategy(new FakeCollectives(r, 3));
            Assert.AreEqual((expected[r][0], expected[r][1]), s.ShardOfBatch(10));
        }
        (int, int)[] small = [(0, 1), (1, 1), (2, 0)];
        for (int r = 0; r < 3; r++)
        {
            using var s = new MultiWorkerMirroredStrategy(new FakeCollectives(r, 3));
            Assert.AreEqual(small[r], s.ShardOfBatch(2), "a batch smaller than the worker count leaves the last shards empty");
        }
        using var one = new MultiWorkerMirroredStrategy(new FakeCollectives(0, 2));
        var ex = Assert.ThrowsExactly<ArgumentException>(() => one.ShardOfBatch(-1));
        StringAssert.Contains(ex.Message, "globalBatchSize=-1");
    }

    [TestMethod]
    public void ShardedFlow_CoversEverySampleOncePerEpoch()
    {
        const int n = 23, workers = 3;
        var ids = new float[n];
        for (int i = 0; i < n; i++) ids[i] = i;
        var seen = new List<int>[2] { [], [] };
        for (int r = 0; r < workers; r++)
        {
            using var s = new MultiWorkerMirroredStrategy(new FakeCollectives(r, workers));
            var flow = s.Shard(new ImageDataGenerator().Flow(ND.Of((float[])ids.Clone(), n, 1, 1, 1), ND.Of((float[])ids.Clone(), n), batchSize: 5, seed: 11));
            Assert.AreEqual(5, flow.Count);
            for (int e = 0; e < 2; e++)
            {
                for (int b = 0; b < flow.Count; b++)
                {
                    var (x, y) = flow.GetItem(b);
                    Assert.AreEqual(x.Shape[0], y!.Shape[0]);
                    for (int i = 0; i < y.Size; i++)
                    {
                        Assert.AreEqual(y.GetFlat(i), x.GetFlat(i), "inputs and targets stay paired");
                        seen[e].Add((int)y.GetFlat(i));
                    }
                }
                flow.OnEpochEnd();
            }
        }
        for (int e = 0; e < 2; e++)
            CollectionAssert.AreEqual(Enumerable.Range(0, n).ToList(), seen[e].Order().ToList(), $"epoch {e}: every sample exactly once over all workers");
    }

    [TestMethod]
    public void GradientBuckets_PackConsecutiveTensorsUpToTheBucketSize()
    {
        // 8 floats per bucket: [3, 5] fill one, 2 starts a new one, 10 is too big to share, 1 follows it alone.
        var b = new GradientBuckets([3, 5, 2, 10, 1], bucketBytes: 32, extra: 1);
        CollectionAssert.AreEqual(new[] { 9, 2, 10, 1 }, b.Buffers.Select(x => x.Length).ToArray());
        for (int i = 0; i < 5; i++) b.Slot(i).Fill(i + 1);
        b.ExtraSpan[0] = -1;
        CollectionAssert.AreEqual(new float[] { 1, 1, 1, 2, 2, 2, 2, 2, -1 }, b.Buffers[0]);
        CollectionAssert.AreEqual(new float[] { 3, 3 }, b.Buffers[1]);
        CollectionAssert.AreEqual(Enumerable.Repeat(4f, 10).ToArray(), b.Buffers[2]);
        CollectionAssert.AreEqual(new float[] { 5 }, b.Buffers[3]);
        Assert.IsTrue(b.Matches([3, 5, 2, 10, 1]));
        Assert.IsFalse(b.Matches([3, 5, 2, 10]));
        var ex = Assert.ThrowsExactly<ArgumentException>(() => new GradientBuckets([1], bucketBytes: 2, extra: 0));
        StringAssert.Contains(ex.Message, "bucketBytes=2");
    }

    [TestMethod]
    public void AllReduceGradients_AveragesOverTheWorkersThatHadData()
    {
        var fake = new FakeCollectives(0, 2);
        using var s = new MultiWorkerMirroredStrategy(fake, bucketBytes: 16);
        var g1 = new Tensor([1f, 2f, 3f], 3);
        var g2 = new Tensor([10f, 20f, 30f, 40f, 50f, 60f], 2, 3);
        // The peer contributes 1 to every gradient element and 1 to the contributor count.
        fake.Peers = (_, _) => 1f;
        var avg = s.AllReduceGradients([g1, g2]);
        CollectionAssert.AreEqual(new[] { 2, 3 }, avg[1].Shape);
        CollectionAssert.AreEqual(new float[] { 1f, 1.5f, 2f }, avg[0].ToNDArray().Float32Data);
        CollectionAssert.AreEqual(new float[] { 5.5f, 10.5f, 15.5f, 20.5f, 25.5f, 30.5f }, avg[1].ToNDArray().Float32Data);
        CollectionAssert.AreEqual(new[] { 4, 6 }, fake.ReducedBucketLengths[0], "two buckets of 4 floats at most, the count riding in the first");
        // A worker with an empty shard sends zeros and does not count: the result is the peer's gradient alone.
        var onlyPeer = s.AllReduceGradients([g1, g2], hasData: false);
        CollectionAssert.AreEqual(new float[] { 1f, 1f, 1f }, onlyPeer[0].ToNDArray().Float32Data);
        Assert.AreEqual(2, s.AllReduceCount);
    }

    [TestMethod]
    public void SingleProcess_NeedsNoMpiAndLeavesGradientsAlone()
    {
        Assert.IsFalse(MpiCollectives.IsLaunchedByMpirun, "the test process itself is not started by mpirun");
        using var s = new MultiWorkerMirroredStrategy();
        Assert.IsInstanceOfType<SingleProcessCollectives>(s.Collectives);
        Assert.IsFalse(MpiCollectives.IsInitialized, "MPI is loaded only when the process runs under mpirun or asks for it");
        Assert.AreEqual(1, s.NumReplicasInSync);
        Assert.IsTrue(s.IsChief);
        var g = new Tensor([1f, 2f], 2);
        Assert.AreSame(g, s.AllReduceGradients([g])[0]);
        Assert.AreEqual((0, 7), s.ShardOfBatch(7));
    }

    [TestMethod]
    public void Scope_SetsTheCurrentStrategyUntilDisposed()
    {
        using var s = new MultiWorkerMirroredStrategy(new SingleProcessCollectives());
        Assert.IsNull(MultiWorkerMirroredStrategy.Current);
        using (s.Scope()) Assert.AreSame(s, MultiWorkerMirroredStrategy.Current);
        Assert.IsNull(MultiWorkerMirroredStrategy.Current);
    }

    [TestMethod]
    public void MissingMpiLibrary_IsAClearErrorNamingThePackage()
    {
        var ex = Assert.ThrowsExactly<DllNotFoundException>(() => MpiCollectives.Initialize("libmpi-does-not-exist.so.99", null));
        StringAssert.Contains(ex.Message, "apt-get install openmpi-bin libopenmpi-dev");
        StringAssert.Contains(ex.Message, "libmpi-does-not-exist.so.99");
        var notOpenMpi = Assert.ThrowsExactly<DllNotFoundException>(() => MpiCollectives.Initialize("libc.so.6", null));
        StringAssert.Contains(notOpenMpi.Message, "not Open MPI");
        Assert.IsFalse(MpiCollectives.IsInitialized);
    }

    [TestMethod]
    public void BadArguments_AreClearErrors()
    {
        var bucket = Assert.ThrowsExactly<ArgumentException>(() => new MultiWorkerMirroredStrategy(new SingleProcessCollectives(), bucketBytes: 0));
        StringAssert.Contains(bucket.Message, "bucketBytes=0");
        var timeout = Assert.ThrowsExactly<ArgumentException>(() => new MultiWorkerMirroredStrategy(new SingleProcessCollectives(), timeout: TimeSpan.Zero));
        StringAssert.Contains(timeout.Message, "timeout");
    }

    [TestMethod]
    public void ReadSummedOverWorkers_SeesTheSumAndRestoresTheOwnValues()
    {
        var fake = new FakeCollectives(1, 2) { Peers = (_, i) => 10 * (i + 1) };
        using var s = new MultiWorkerMirroredStrategy(fake);
        var total = new Variable("total:0", new Tensor([1f, 2f], 2), trainable: false);
        var count = new Variable("count:0", Tensor.Scalar(4f), trainable: false);
        var seen = s.ReadSummedOverWorkers([total, count], () => (total.Numpy().Float32Data.ToArray(), count.Numpy().Float32Data[0]));
        CollectionAssert.AreEqual(new[] { 11f, 22f }, seen.Item1);
        Assert.AreEqual(34f, seen.Item2);
        CollectionAssert.AreEqual(new[] { 1f, 2f }, total.Numpy().Float32Data, "the worker's own state is kept");
        Assert.AreEqual(4f, count.Numpy().Float32Data[0]);
        CollectionAssert.AreEqual(new[] { 8, 9 }, s.ShardIndices([2, 5, 7, 8, 9]), "worker 1 of 2 takes the last 2 of 5");
    }

    [TestMethod]
    public void OnlyTheChief_WritesCheckpointsLogsAndTheProgressBar()
    {
        using var chief = new MultiWorkerMirroredStrategy(new FakeCollectives(0, 2));
        using var other = new MultiWorkerMirroredStrategy(new FakeCollectives(1, 2));
        Callback[] writers = [new ModelCheckpoint(filepath: "m.h5"), new CSVLogger("log.csv"), new TensorBoard(Path.Combine(Path.GetTempPath(), "unused-tb")), new ProgbarLogger()];
        Callback[] steering = [new ReduceLROnPlateau(), new EarlyStopping(), new History()];
        foreach (var c in writers.Concat(steering)) Assert.IsTrue(chief.RunsCallback(c), c.GetType().Name);
        foreach (var c in writers) Assert.IsFalse(other.RunsCallback(c), c.GetType().Name);
        foreach (var c in steering) Assert.IsTrue(other.RunsCallback(c), c.GetType().Name);
    }

    [TestMethod]
    public void AverageVariables_LeavesTheMeanOverWorkersOnEveryWorker()
    {
        // The peer holds 3 and 5: with this worker's 1 and 2 the means are 2 and 3.5.
        var fake = new FakeCollectives(0, 2) { Peers = (_, i) => i == 0 ? 3 : 5 };
        using var s = new MultiWorkerMirroredStrategy(fake);
        var movingMean = new Variable("moving_mean:0", new Tensor([1f, 2f], 2), trainable: false);
        s.AverageVariables([movingMean]);
        CollectionAssert.AreEqual(new[] { 2f, 3.5f }, movingMean.Numpy().Float32Data);
    }

    [TestMethod]
    public void BroadcastVariables_TakesTheRootsValuesAndRefusesADifferentModel()
    {
        // The root has the same two variables (3 values in all) holding 7, 8, 9.
        var fake = new FakeCollectives(1, 2) { Root = b => { if (b is float[] f) for (int i = 0; i < f.Length; i++) f[i] = 7 + i; } };
        using var s = new MultiWorkerMirroredStrategy(fake);
        var a = new Variable("a:0", new Tensor([1f, 2f], 2));
        var c = new Variable("c:0", Tensor.Scalar(3f));
        s.BroadcastVariables([a, c]);
        CollectionAssert.AreEqual(new[] { 7f, 8f }, a.Numpy().Float32Data);
        Assert.AreEqual(9f, c.Numpy().Float32Data[0]);
        // The root reports one variable more: this worker built another model.
        fake.Root = b => { if (b is long[] sig) sig[0] += 1; };
        var ex = Assert.ThrowsExactly<InvalidOperationException>(() => s.BroadcastVariables([a, c]));
        StringAssert.Contains(ex.Message, "every worker must build the same model");
        StringAssert.Contains(ex.Message, "worker 0 has 3");
    }
}
