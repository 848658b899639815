namespace ResNetKeras.Distributed;

/// <summary>
/// One worker, no communication: every collective is the identity. What a strategy uses when the program was not
/// launched by <c>mpirun</c>, so single-process training needs no MPI installed.
/// </summary>
public sealed class SingleProcessCollectives : ICollectives
{
    /// <inheritdoc/>
    public int Rank => 0;

    /// <inheritdoc/>
    public int Size => 1;

    /// <inheritdoc/>
    public string Name => "single-process";

    /// <inheritdoc/>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <inheritdoc/>
    public void AllReduce(IReadOnlyList<float[]> buffers, ReduceOp op = ReduceOp.Sum) => ArgumentNullException.ThrowIfNull(buffers);

    /// <inheritdoc/>
    public void Broadcast<T>(T[] buffer, int root = 0) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (root != 0) throw new ArgumentOutOfRangeException(nameof(root), root, "Broadcast: root must be a worker index in [0, 1) for a single process.");
    }

    /// <inheritdoc/>
    public void Barrier() { }

    /// <inheritdoc/>
    public void Dispose() { }
}
