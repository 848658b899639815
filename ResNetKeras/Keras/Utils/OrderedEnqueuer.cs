using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>
/// Keras's <c>OrderedEnqueuer</c> (threads only): prepares batches of a <see cref="Sequence"/> on background threads and
/// hands them out in the requested order, so that data preparation (augmentation) overlaps the training step.
/// </summary>
/// <remarks>
/// Contract, for <c>Model.Fit</c> and other consumers:
/// <list type="bullet">
/// <item><see cref="GetEpoch"/> yields <c>sequence.GetItem(batchOrder[0])</c>, <c>GetItem(batchOrder[1])</c>, … in that
/// order, whatever order the workers finish in.</item>
/// <item>With <see cref="Workers"/> ≤ 1 everything runs on the consumer's thread, lazily, one batch per
/// <c>MoveNext</c> (Keras's <c>workers=0/1</c> without multiprocessing). Otherwise up to <see cref="Workers"/> thread-pool
/// threads call <c>GetItem</c> concurrently, and at most <see cref="MaxQueueSize"/> batches beyond the one being consumed
/// are requested (prepared or in preparation) at any time.</item>
/// <item>An exception thrown by <c>GetItem</c> on a worker is rethrown, unchanged, from the consumer's <c>MoveNext</c>
/// for that batch; later batches are then abandoned.</item>
/// <item>Disposing the enumerator (leaving a <c>foreach</c>, <c>Take</c>, an exception in the consumer) cancels the batches
/// not yet started and waits for those running, so when <c>Dispose</c> returns no worker touches the sequence any more.</item>
/// <item>The sequence must be safe to call from several threads and give batch i the same content whoever asks first
/// (as <see cref="NumpyArrayIterator"/> does); then the batches are identical for any number of workers.
/// <c>OnEpochEnd</c> is the caller's business, after the epoch's enumeration has finished or been disposed.</item>
/// </list>
/// </remarks>
public sealed class OrderedEnqueuer
{
    private readonly Sequence sequence;

    /// <summary>An enqueuer over <paramref name="sequence"/> (Keras's <c>OrderedEnqueuer(sequence)</c> plus <c>start(workers, max_queue_size)</c>).</summary>
    /// <param name="sequence">The batches.</param>
    /// <param name="workers">Background threads; 0 or 1 prepares batches on the consumer's thread.</param>
    /// <param name="maxQueueSize">Batches prepared ahead of the consumer (Keras's <c>max_queue_size</c>, default 10).</param>
    public OrderedEnqueuer(Sequence sequence, int workers = 1, int maxQueueSize = 10)
    {
        this.sequence = sequence ?? throw new ArgumentNullException(nameof(sequence));
        if (workers < 0)
            throw new ArgumentException($"Invalid value for argument `workers`. Expected an integer >= 0. Received workers={workers}.", nameof(workers));
        if (maxQueueSize < 1)
            throw new ArgumentException($"Invalid value for argument `max_queue_size`. Expected an integer >= 1. Received max_queue_size={maxQueueSize}.", nameof(maxQueueSize));
        Workers = workers;
        MaxQueueSize = maxQueueSize;
    }

    /// <summary>Threads calling <c>GetItem</c> concurrently (0 or 1: the consumer's thread).</summary>
    public int Workers { get; }

    /// <summary>Batches requested ahead of the consumer.</summary>
    public int MaxQueueSize { get; }

    /// <summary>
    /// The batches <c>GetItem(i)</c> for each i of <paramref name="batchOrder"/>, in that order (one epoch); see the class
    /// remarks for threading, exceptions and disposal.
    /// </summary>
    public IEnumerable<(NDArray X, NDArray? Y)> GetEpoch(IReadOnlyList<int> batchOrder)
    {
        ArgumentNullException.ThrowIfNull(batchOrder);
        return Batches(batchOrder, sequence.GetItem);
    }

    /// <summary><see cref="GetEpoch"/> through <see cref="Sequence.GetItemWithSampleWeight"/> (what <c>Fit</c> consumes).</summary>
    public IEnumerable<(NDArray X, NDArray? Y, NDArray? SampleWeight)> GetEpochWithSampleWeight(IReadOnlyList<int> batchOrder)
    {
        ArgumentNullException.ThrowIfNull(batchOrder);
        return Batches(batchOrder, sequence.GetItemWithSampleWeight);
    }

    private IEnumerable<T> Batches<T>(IReadOnlyList<int> batchOrder, Func<int, T> get) =>
        Workers <= 1 ? Synchronous(batchOrder, get) : Threaded(batchOrder.ToArray(), get);

    private static IEnumerable<T> Synchronous<T>(IReadOnlyList<int> batchOrder, Func<int, T> get)
    {
        for (int i = 0; i < batchOrder.Count; i++) yield return get(batchOrder[i]);
    }

    private IEnumerable<T> Threaded<T>(int[] batchOrder, Func<int, T> get)
    {
        using var gate = new SemaphoreSlim(Workers);
        using var cancel = new CancellationTokenSource();
        var pending = new Queue<Task<T>>();
        int next = 0;
        void Fill()
        {
            while (next < batchOrder.Length && pending.Count < MaxQueueSize)
            {
                int index = batchOrder[next++];
                var token = cancel.Token;
                pending.Enqueue(Task.Run(async () =>
                {
                    await gate.WaitAsync(token).ConfigureAwait(false);
                    try
                    {
                        token.ThrowIfCancellationRequested();
                        return get(index);
                    }
                    finally
                    {
                        gate.Release();
                    }
                }, token));
            }
        }
        try
        {
            Fill();
            while (pending.Count > 0)
            {
                var batch = pending.Dequeue().GetAwaiter().GetResult();
                Fill();
                yield return batch;
            }
        }
        finally
        {
            cancel.Cancel();
            foreach (var t in pending)
            {
                try { t.Wait(); }
                catch (AggregateException) { }
            }
        }
    }
}
