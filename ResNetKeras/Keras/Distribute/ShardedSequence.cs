using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>
/// One worker's view of a <see cref="Sequence"/> whose batches are global batches: batch i is this worker's rows of
/// the inner batch i (Keras's split of the global batch across replicas). Every worker computes the same inner batch
/// (the strategy gives all workers the same random state, so shuffles and augmentations agree), so the shards of one
/// batch partition it and an epoch covers every sample exactly once.
/// </summary>
internal sealed class ShardedSequence : Sequence
{
    private readonly Sequence inner;
    private readonly MultiWorkerMirroredStrategy strategy;

    public ShardedSequence(Sequence inner, MultiWorkerMirroredStrategy strategy)
    {
        this.inner = inner;
        this.strategy = strategy;
    }

    public override int Count => inner.Count;

    public override (NDArray X, NDArray? Y) GetItem(int index)
    {
        var (x, y, _) = GetItemWithSampleWeight(index);
        return (x, y);
    }

    public override (NDArray X, NDArray? Y, NDArray? SampleWeight) GetItemWithSampleWeight(int index)
    {
        var (x, y, w) = inner.GetItemWithSampleWeight(index);
        var (start, count) = strategy.ShardOfBatch(x.Dim(0));
        var shard = (x.Slice(start, start + count), y?.Slice(start, start + count), w?.Slice(start, start + count));
        // The views keep the shared buffers alive; the inner batch's own references go now when nobody else holds them.
        if (inner.YieldsTemporaries) { x.Dispose(); y?.Dispose(); w?.Dispose(); }
        return shard;
    }

    public override void OnEpochEnd() => inner.OnEpochEnd();

    public override bool YieldsTemporaries => inner.YieldsTemporaries;
}
