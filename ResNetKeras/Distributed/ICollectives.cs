namespace ResNetKeras.Distributed;

/// <summary>
/// The collective operations data-parallel training needs, between the processes (workers) of one job: the seam below
/// <c>MultiWorkerMirroredStrategy</c>. <see cref="MpiCollectives"/> runs them over MPI between processes (one or many
/// machines); <see cref="SingleProcessCollectives"/> is the one-worker case that needs no MPI. A NCCL implementation
/// for several GPUs (one process per GPU, device buffers) plugs in here without touching the trainer: the trainer hands
/// over gradients fused into buckets and reads the reduced buckets back, and nothing above this interface knows how
/// they travel. Every call is collective: all workers make the same calls in the same order with the same sizes.
/// </summary>
public interface ICollectives : IDisposable
{
    /// <summary>This worker's index in [0, <see cref="Size"/>); worker 0 is the chief (Keras's <c>task_id</c>).</summary>
    int Rank { get; }

    /// <summary>Number of workers (Keras's <c>num_replicas_in_sync</c> with one replica per worker).</summary>
    int Size { get; }

    /// <summary>A short name for messages and logs (<c>mpi</c>, <c>single-process</c>).</summary>
    string Name { get; }

    /// <summary>
    /// How long one collective may wait for the other workers before it gives up with a
    /// <see cref="CollectiveTimeoutException"/>: a worker that died or hangs ends the others within this bound.
    /// </summary>
    TimeSpan Timeout { get; set; }

    /// <summary>
    /// Reduces every buffer in place over all workers (each buffer one fused bucket of gradients): all reductions are
    /// started before any is waited for, so buckets travel concurrently. <see cref="ReduceOp.Mean"/> divides the sum by
    /// <see cref="Size"/>. Every worker ends with the same values.
    /// </summary>
    void AllReduce(IReadOnlyList<float[]> buffers, ReduceOp op = ReduceOp.Sum);

    /// <summary>Overwrites <paramref name="buffer"/> on every worker with worker <paramref name="root"/>'s contents.</summary>
    void Broadcast<T>(T[] buffer, int root = 0) where T : unmanaged;

    /// <summary>Returns once every worker has called it (bounded by <see cref="Timeout"/>).</summary>
    void Barrier();
}
