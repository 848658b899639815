using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>
/// What <see cref="ImageDataGenerator.Flow"/> returns (Keras's <c>NumpyArrayIterator</c>): ⌈n/B⌉ batches, the last
/// one partial, each image augmented then standardized, a new permutation every epoch when shuffling.
/// </summary>
/// <remarks>
/// Keras seeds NumPy with <c>seed + total_batches_seen</c> at each batch request, which depends on the order in which
/// threads ask. Here batch i of epoch e always uses <c>seed + e·len + i</c> (equal to Keras's value when batches are
/// requested in order, as with one worker and no batch shuffling), and the permutations are replayed from those
/// streams exactly as Keras draws them, so any number of workers gives the same batches. Without a seed, one is
/// drawn once from the session generator.
/// </remarks>
public sealed class NumpyArrayIterator : Sequence
{
    private readonly NDArray x;
    private readonly NDArray? y;
    private readonly ImageDataGenerator generator;
    private readonly uint seed;
    private int[] indexArray;
    private int epoch;

    internal NumpyArrayIterator(NDArray x, NDArray? y, ImageDataGenerator generator, int batchSize, bool shuffle, uint? seed, string? subset)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 4)
            throw new ArgumentException($"Input data in `NumpyArrayIterator` should have rank 4. You passed an array with shape {ShapeUtil.Format(x.ShapeSpan)}", nameof(x));
        if (y is not null && y.Shape[0] != x.Shape[0])
            throw new ArgumentException($"`x` (images tensor) and `y` (labels) should have the same length. Found: x.shape = {ShapeUtil.Format(x.ShapeSpan)}, y.shape = {ShapeUtil.Format(y.ShapeSpan)}", nameof(y));
        if (batchSize <= 0)
            throw new ArgumentException($"Invalid value for argument `batch_size`. Expected a strictly positive integer. Received batchSize={batchSize}.", nameof(batchSize));
        if (subset is not null)
        {
            if (subset is not ("training" or "validation"))
                throw new ArgumentException($"Invalid subset name: {subset}; expected \"training\" or \"validation\"", nameof(subset));
            int split = (int)(x.Shape[0] * generator.ValidationSplit);
            if (y is not null)
            {
                var a = Enumerable.Range(0, split).Select(i => y[i].ToDoubleArray()).Select(v => string.Join(",", v)).ToHashSet();
                var b = Enumerable.Range(split, x.Shape[0] - split).Select(i => y[i].ToDoubleArray()).Select(v => string.Join(",", v)).ToHashSet();
                if (!a.SetEquals(b))
                    throw new ArgumentException("Training and validation subsets have different number of classes after the split. If your numpy arrays are sorted by the label, you might want to shuffle them.", nameof(subset));
            }
            (x, y) = subset == "validation" ? (x.Slice(0, split), y?.Slice(0, split)) : (x.Slice(split, x.Shape[0]), y?.Slice(split, y.Shape[0]));
        }
        this.x = x.DType == DType.Float32 ? x : x.AsType(DType.Float32);
        this.y = y;
        this.generator = generator;
        BatchSize = batchSize;
        Shuffle = shuffle;
        this.seed = seed ?? Backend.NextSeed();
        N = this.x.Shape[0];
        indexArray = Enumerable.Range(0, N).ToArray();
        if (Shuffle) indexArray = new RandomState(this.seed).Permutation(N);
    }

    /// <summary>Number of samples.</summary>
    public int N { get; }
    /// <summary>Samples per batch.</summary>
    public int BatchSize { get; }
    /// <summary>Whether each epoch uses a new permutation.</summary>
    public bool Shuffle { get; }

    /// <inheritdoc/>
    public override int Count => (N + BatchSize - 1) / BatchSize;

    /// <summary>The generator whose first batch of the first epoch also drew the permutation.</summary>
    private RandomState BatchRng(int index, out uint batchSeed)
    {
        batchSeed = unchecked(seed + (uint)(epoch * Count + index));
        var rng = new RandomState(batchSeed);
        if (Shuffle && epoch == 0 && index == 0) rng.Permutation(N);
        return rng;
    }

    /// <inheritdoc/>
    public override (NDArray X, NDArray? Y) GetItem(int index)
    {
        if (index < 0 || index >= Count)
            throw new ArgumentException($"Asked to retrieve element {index}, but the Sequence has length {Count}", nameof(index));
        int[] order;
        RandomState rng;
        lock (this)
        {
            order = indexArray.AsSpan(index * BatchSize, Math.Min(BatchSize, N - index * BatchSize)).ToArray();
            rng = BatchRng(index, out _);
        }
        var shape = x.Shape;
        shape[0] = order.Length;
        var batch = NDArray.Zeros(shape);
        for (int i = 0; i < order.Length; i++)
        {
            var img = x[order[i]];
            var p = generator.GetRandomTransform(img.Shape, rng);
            img = generator.Standardize(generator.ApplyTransform(img, p));
            batch.SetRows(i, img.Reshape([1, .. img.Shape]));
        }
        return (batch, y?.Take(order));
    }

    /// <summary>Draws the next epoch's permutation, continuing the last batch's stream as Keras's global generator does.</summary>
    public override void OnEpochEnd()
    {
        lock (this)
        {
            if (Shuffle)
            {
                int last = Count - 1;
                var rng = BatchRng(last, out _);
                int count = Math.Min(BatchSize, N - last * BatchSize);
                var imgShape = x.Shape[1..];
                for (int i = 0; i < count; i++) generator.GetRandomTransform(imgShape, rng);
                indexArray = rng.Permutation(N);
            }
            epoch++;
        }
    }
}
