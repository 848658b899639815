using ResNetKeras.Engine;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Preprocessing;

/// <summary>The contract of <see cref="OrderedEnqueuer"/>: order, bounded look-ahead and concurrency, errors, disposal.</summary>
[TestClass]
public sealed class OrderedEnqueuerTests
{
    /// <summary>Batch i is the scalar i; records concurrency, call threads and requests; can fail or stall on request.</summary>
    private sealed class Probe(int count, int failAt = -1, int delayMs = 0) : Sequence
    {
        private int running, started;
        public int MaxRunning;
        public int Started => Volatile.Read(ref started);
        public int Running => Volatile.Read(ref running);
        public readonly System.Collections.Concurrent.ConcurrentBag<int> Threads = new();
        public int Consumed;
        public int MaxAhead;

        public override int Count => count;

        public override (NDArray X, NDArray? Y) GetItem(int index)
        {
            Interlocked.Increment(ref started);
            int now = Interlocked.Increment(ref running);
            InterlockedMax(ref MaxRunning, now);
            InterlockedMax(ref MaxAhead, Started - Volatile.Read(ref Consumed));
            Threads.Add(Environment.CurrentManagedThreadId);
            try
            {
                // Uneven work so that workers finish out of order.
                if (delayMs > 0) Thread.Sleep(delayMs * (1 + (index * 7) % 3));
                if (index == failAt) throw new InvalidDataException($"batch {index} is broken");
                return (ND.Of(new float[] { index }, 1), null);
            }
            finally
            {
                Interlocked.Decrement(ref running);
            }
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int seen;
            while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen) { }
        }
    }

    [TestMethod]
    public void Workers_YieldInRequestedOrder_WithBoundedConcurrencyAndLookAhead()
    {
        var probe = new Probe(30, delayMs: 2);
        var enqueuer = new OrderedEnqueuer(probe, workers: 3, maxQueueSize: 4);
        var order = new RandomState(4).Permutation(30);
        var got = new List<int>();
        foreach (var (x, _) in enqueuer.GetEpoch(order))
        {
            got.Add((int)x.Item());
            Interlocked.Increment(ref probe.Consumed);
        }
        CollectionAssert.AreEqual(order, got);
        Assert.IsLessThanOrEqualTo(3, probe.MaxRunning, "at most `workers` GetItem calls at once");
        Assert.IsLessThanOrEqualTo(5, probe.MaxAhead, "at most max_queue_size batches beyond the one being consumed");
        Assert.IsFalse(probe.Threads.Contains(Environment.CurrentManagedThreadId), "workers are background threads");
    }

    /// <summary>Batch 0 completes only once batch 1 has started: possible only if two workers run at the same time.</summary>
    private sealed class Rendezvous : Sequence
    {
        public readonly ManualResetEventSlim SecondStarted = new();
        public override int Count => 4;
        public override (NDArray X, NDArray? Y) GetItem(int index)
        {
            if (index == 1) SecondStarted.Set();
            if (index == 0 && !SecondStarted.Wait(TimeSpan.FromSeconds(60)))
                throw new TimeoutException("batch 1 never started while batch 0 was being prepared");
            return (ND.Of(new float[] { index }, 1), null);
        }
    }

    [TestMethod]
    public void Workers_PrepareBatchesConcurrently()
    {
        var got = new OrderedEnqueuer(new Rendezvous(), workers: 2).GetEpoch([0, 1, 2, 3]).Select(b => (int)b.X.Item()).ToList();
        CollectionAssert.AreEqual(new[] { 0, 1, 2, 3 }, got);
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(1)]
    public void ZeroOrOneWorker_RunsLazilyOnTheConsumersThread(int workers)
    {
        var probe = new Probe(5);
        var enqueuer = new OrderedEnqueuer(probe, workers);
        using var e = enqueuer.GetEpoch([4, 2, 0]).GetEnumerator();
        Assert.AreEqual(0, probe.Started, "nothing happens before the first MoveNext");
        Assert.IsTrue(e.MoveNext());
        Assert.AreEqual(4.0, e.Current.X.Item());
        Assert.AreEqual(1, probe.Started, "one batch per MoveNext");
        CollectionAssert.AreEqual(new[] { Environment.CurrentManagedThreadId }, probe.Threads.Distinct().ToArray());
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(4)]
    public void WorkerException_ReachesTheConsumerAtThatBatch(int workers)
    {
        var probe = new Probe(10, failAt: 3, delayMs: 1);
        var got = new List<int>();
        var error = Assert.ThrowsExactly<InvalidDataException>(() =>
        {
            foreach (var (x, _) in new OrderedEnqueuer(probe, workers, maxQueueSize: 2).GetEpoch(Enumerable.Range(0, 10).ToList()))
                got.Add((int)x.Item());
        });
        Assert.AreEqual("batch 3 is broken", error.Message);
        CollectionAssert.AreEqual(new[] { 0, 1, 2 }, got);
        Assert.AreEqual(0, probe.Running, "no worker left running after the exception");
    }

    [TestMethod]
    public void Disposal_StopsTheWorkers()
    {
        var probe = new Probe(200, delayMs: 3);
        var enqueuer = new OrderedEnqueuer(probe, workers: 4, maxQueueSize: 6);
        var first = enqueuer.GetEpoch(Enumerable.Range(0, 200).ToList()).Take(3).Select(b => (int)b.X.Item()).ToList();
        CollectionAssert.AreEqual(new[] { 0, 1, 2 }, first);
        Assert.AreEqual(0, probe.Running, "Dispose waits for the batches in preparation");
        int started = probe.Started;
        Thread.Sleep(50);
        Assert.AreEqual(started, probe.Started, "no batch starts after Dispose");
        Assert.IsLessThanOrEqualTo(3 + 6, started, "only the look-ahead was requested");
    }

    [TestMethod]
    public void InvalidArguments_AreRefused()
    {
        var probe = new Probe(2);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new OrderedEnqueuer(probe, workers: -1)).Message, "workers=-1");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new OrderedEnqueuer(probe, maxQueueSize: 0)).Message, "max_queue_size=0");
        Assert.ThrowsExactly<ArgumentNullException>(() => new OrderedEnqueuer(null!));
        Assert.ThrowsExactly<ArgumentNullException>(() => new OrderedEnqueuer(probe).GetEpoch(null!));
    }
}
