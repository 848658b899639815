namespace ResNetKeras.Keras;

/// <summary>
/// Prepares batches of a <see cref="Sequence"/> on background threads and hands them out in order
/// (Keras's <c>OrderedEnqueuer</c>, threads only). Because a Sequence's batch depends only on its index
/// and the epoch state, the batches are the same whatever <c>workers</c> is.
/// </summary>
public sealed class OrderedEnqueuer
{
    private readonly Sequence sequence;

    /// <summary>An enqueuer over <paramref name="sequence"/> with up to <paramref name="workers"/> threads and <paramref name="maxQueueSize"/> batches prepared ahead.</summary>
    public OrderedEnqueuer(Sequence sequence, int workers = 1, int maxQueueSize = 10)
    {
        this.sequence = sequence ?? throw new ArgumentNullException(nameof(sequence));
        if (workers < 0) throw new ArgumentException($"Invalid value for argument `workers`. Expected a value >= 0. Received workers={workers}.", nameof(workers));
        if (maxQueueSize < 1) throw new ArgumentException($"Invalid value for argument `max_queue_size`. Expected a value >= 1. Received max_queue_size={maxQueueSize}.", nameof(maxQueueSize));
        Workers = workers;
        MaxQueueSize = maxQueueSize;
    }

    /// <summary>Background threads (0 or 1: batches are made on the caller's thread).</summary>
    public int Workers { get; }

    /// <summary>Batches prepared ahead of the consumer.</summary>
    public int MaxQueueSize { get; }

    /// <summary>Yields <c>GetItem(i)</c> for each index of <paramref name="batchOrder"/>, in that order; a worker's exception surfaces here.</summary>
    public IEnumerable<(Engine.NDArray X, Engine.NDArray? Y)> GetEpoch(IReadOnlyList<int> batchOrder)
    {
        if (Workers <= 1)
        {
            foreach (int i in batchOrder) yield return sequence.GetItem(i);
            yield break;
        }
        using var gate = new SemaphoreSlim(Workers);
        using var cancel = new CancellationTokenSource();
        var pending = new Queue<Task<(Engine.NDArray, Engine.NDArray?)>>();
        int next = 0;
        void Fill()
        {
            while (next < batchOrder.Count && pending.Count < MaxQueueSize)
            {
                int index = batchOrder[next++];
                pending.Enqueue(Task.Run(async () =>
                {
                    await gate.WaitAsync(cancel.Token).ConfigureAwait(false);
                    try { return sequence.GetItem(index); }
                    finally { gate.Release(); }
                }, cancel.Token));
            }
        }
        try
        {
            Fill();
            while (pending.Count > 0)
            {
                var task = pending.Dequeue();
                var batch = task.GetAwaiter().GetResult();
                Fill();
                yield return batch;
            }
        }
        finally
        {
            cancel.Cancel();
            foreach (var t in pending)
            {
                try { t.Wait(); } catch (AggregateException) { } catch (OperationCanceledException) { }
            }
        }
    }
}
