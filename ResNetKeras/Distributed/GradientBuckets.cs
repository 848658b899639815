namespace ResNetKeras.Distributed;

/// <summary>
/// Gradients fused into a few large buffers for the all-reduce (Horovod's tensor fusion, PyTorch DDP's buckets):
/// consecutive tensors share a bucket up to <c>bucketBytes</c>, a tensor larger than that gets a bucket of its own, so
/// one collective moves many small tensors and the per-call latency is paid per bucket, not per tensor. A few extra
/// floats at the end of bucket 0 carry bookkeeping (how many workers contributed) in the same collective.
/// </summary>
internal sealed class GradientBuckets
{
    private readonly (int Bucket, int Offset)[] slots;
    private readonly int[] sizes;
    private readonly int extraOffset;

    public GradientBuckets(IReadOnlyList<int> sizes, int bucketBytes, int extra)
    {
        if (bucketBytes < sizeof(float))
            throw new ArgumentException($"Invalid value for argument `bucketBytes`. Expected at least {sizeof(float)} bytes. Received bucketBytes={bucketBytes}.", nameof(bucketBytes));
        ArgumentOutOfRangeException.ThrowIfNegative(extra);
        this.sizes = sizes.ToArray();
        long capacity = bucketBytes / sizeof(float);
        slots = new (int, int)[sizes.Count];
        var lengths = new List<long> { 0 };
        for (int i = 0; i < sizes.Count; i++)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(sizes[i]);
            if (lengths[^1] > 0 && lengths[^1] + sizes[i] > capacity) lengths.Add(0);
            slots[i] = (lengths.Count - 1, (int)lengths[^1]);
            lengths[^1] += sizes[i];
        }
        extraOffset = (int)lengths[0];
        lengths[0] += extra;
        if (lengths.Any(l => l > Array.MaxLength))
            throw new ArgumentException($"A gradient bucket would hold more than {Array.MaxLength} floats; use a smaller bucketBytes.", nameof(bucketBytes));
        Buffers = lengths.Select(l => new float[l]).ToArray();
        Extra = extra;
    }

    /// <summary>The fused buffers, in the order every worker reduces them.</summary>
    public float[][] Buffers { get; }

    /// <summary>Number of bookkeeping floats after the tensors of bucket 0.</summary>
    public int Extra { get; }

    /// <summary>Whether this plan was made for tensors of exactly these sizes.</summary>
    public bool Matches(IReadOnlyList<int> other)
    {
        if (other.Count != sizes.Length) return false;
        for (int i = 0; i < sizes.Length; i++) if (other[i] != sizes[i]) return false;
        return true;
    }

    /// <summary>Where tensor <paramref name="index"/> lives.</summary>
    public Span<float> Slot(int index) => Buffers[slots[index].Bucket].AsSpan(slots[index].Offset, sizes[index]);

    /// <summary>The bookkeeping floats.</summary>
    public Span<float> ExtraSpan => Buffers[0].AsSpan(extraOffset, Extra);
}
