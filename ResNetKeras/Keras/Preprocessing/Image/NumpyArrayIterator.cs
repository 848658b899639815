using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>
/// Keras's <c>NumpyArrayIterator</c>, what <see cref="ImageDataGenerator.Flow"/> returns: a <see cref="Sequence"/> of
/// ⌈n/batchSize⌉ batches (the last one partial). Batch i of an epoch holds the samples at positions
/// i·batchSize … (i+1)·batchSize − 1 of the epoch's index array (0…n−1, or a fresh permutation every epoch when
/// shuffling); each image is cast to float32, given its own random transform and standardized.
/// </summary>
/// <remarks>
/// <para><b>Determinism with workers.</b> <see cref="GetItem"/> is a pure function of the epoch and the batch index, so
/// background workers (<see cref="OrderedEnqueuer"/>) give the same batches as one thread, in any request order:
/// the epoch's permutation is drawn in the constructor and in <see cref="OnEpochEnd"/>, never lazily by whichever
/// thread asks first, and batch i of epoch e draws its transforms from <c>RandomState(seed + e·Count + i)</c>.</para>
/// <para><b>Deviation from Keras, and where it agrees.</b> Keras reseeds NumPy's global generator with
/// <c>seed + total_batches_seen</c> at every request, a call counter that depends on the order in which threads ask.
/// Here the counter is replaced by the position e·Count + i, which is the value Keras uses when batches are requested
/// in order (one worker, no batch shuffling, <c>on_epoch_end</c> between epochs). In that case the permutations match
/// too: the first is drawn from <c>seed</c>'s stream before batch 0's transforms (Keras draws it lazily at the first
/// request) and each later one continues the stream of the epoch's last batch after its transforms, as Keras's
/// <c>on_epoch_end</c> does with the global generator. So with a seed, in-order batches equal Keras's exactly.
/// Without a seed, one is derived once from the global seed (<see cref="Utils.SetRandomSeed"/>: the k-th Flow of a
/// program gets the same seed whatever else drew random numbers), or drawn from the session generator without one.</para>
/// <para><b>Resuming.</b> Epoch e's permutation and transforms are a function of (seed, e) alone, so
/// <see cref="OnEpochBegin"/> (called by <c>Model.Fit</c> at every epoch, from <c>initialEpoch</c> on) positions a new
/// iterator at epoch e and it yields exactly the batches an iterator that ran through epochs 0…e−1 yields.</para>
/// </remarks>
public sealed class NumpyArrayIterator : Sequence, IDisposable
{
    private readonly NDArray x;
    private readonly int[] imageShape;
    private readonly int imageSize;
    // The caller's arrays, read in place (x too when it is float32 and C-contiguous).
    [NumSharp.NDBorrowed] private readonly NDArray? y;
    [NumSharp.NDBorrowed] private readonly NDArray? sampleWeight;
    private readonly bool ownsX;
    [NumSharp.NDBorrowed] private readonly ImageDataGenerator generator;
    private readonly uint seed;
    private readonly object epochGate = new();
    private EpochState state;

    /// <summary>The index array of one epoch; replaced as a whole so readers never see half an update.</summary>
    private sealed record EpochState(int Epoch, int[] IndexArray);

    internal NumpyArrayIterator(NDArray x, NDArray? y, ImageDataGenerator generator, int batchSize, bool shuffle,
        NDArray? sampleWeight, uint? seed, string? subset, bool ignoreClassSplit)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(generator);
        if (batchSize <= 0)
            throw new ArgumentException($"Invalid value for argument `batch_size`. Expected a strictly positive integer. Received batch_size={batchSize}.", nameof(batchSize));
        if (x.Rank == 0)
            throw new ArgumentException("Input data in `NumpyArrayIterator` should have rank 4. You passed a scalar.", nameof(x));
        int total = x.IntShape[0];
        if (y is not null && (y.Rank == 0 || y.IntShape[0] != total))
            throw new ArgumentException($"`x` (images tensor) and `y` (labels) should have the same length. Found: x.shape = {ShapeUtil.Format(x.ShapeSpan)}, y.shape = {ShapeUtil.Format(y.ShapeSpan)}", nameof(y));
        if (sampleWeight is not null && (sampleWeight.Rank == 0 || sampleWeight.IntShape[0] != total))
            throw new ArgumentException($"`x` (images tensor) and `sample_weight` should have the same length. Found: x.shape = {ShapeUtil.Format(x.ShapeSpan)}, sample_weight.shape = {ShapeUtil.Format(sampleWeight.ShapeSpan)}", nameof(sampleWeight));
        if (subset is not null)
        {
            if (subset is not ("training" or "validation"))
                throw new ArgumentException($"Invalid subset name: {subset}; expected \"training\" or \"validation\".", nameof(subset));
            int split = (int)(total * generator.ValidationSplit);
            // Keras compares np.unique of the label values (flattened), not label rows.
            if (y is not null && !ignoreClassSplit && !UniqueValues(y, 0, split).SequenceEqual(UniqueValues(y, split, total)))
                throw new ArgumentException("Training and validation subsets have different number of classes after the split. If your numpy arrays are sorted by the label, you might want to shuffle them.", nameof(subset));
            (int from, int to) = subset == "validation" ? (0, split) : (split, total);
            x = x.Slice(from, to);
            y = y?.Slice(from, to);
            sampleWeight = sampleWeight?.Slice(from, to);
        }
        if (x.Rank != 4)
            throw new ArgumentException($"Input data in `NumpyArrayIterator` should have rank 4. You passed an array with shape {ShapeUtil.Format(x.ShapeSpan)}", nameof(x));
        int channels = x.IntShape[generator.ChannelAxis];
        if (channels is not (1 or 3 or 4))
            Console.Error.WriteLine($"UserWarning: NumpyArrayIterator is set to use the data format convention \"{generator.DataFormat}\" (channels on axis {generator.ChannelAxis}), i.e. expected either 1, 3, or 4 channels on axis {generator.ChannelAxis}. However, it was passed an array with shape {ShapeUtil.Format(x.ShapeSpan)} ({channels} channels).");
        // Keras's np.asarray(x, dtype='float32'): a float32 C-contiguous array is read in place, anything else is
        // converted once here rather than per batch.
        ownsX = !(x.DType == DType.Float32 && x.Shape.IsContiguous);
        this.x = ownsX ? x.astype(np.float32, order: 'C') : x;
        imageShape = x.IntShape[1..];
        imageSize = ShapeUtil.Size(imageShape);
        this.y = y;
        this.sampleWeight = sampleWeight;
        this.generator = generator;
        BatchSize = batchSize;
        Shuffle = shuffle;
        N = x.IntShape[0];
        this.seed = seed ?? Backend.DerivedSeed("flow", counted: true);
        Seed = seed;
        state = new EpochState(0, IndexArray(0));
    }

    private static double[] UniqueValues(NDArray a, int from, int to)
    {
        var set = new SortedSet<double>();
        if (to > from)
            foreach (double v in a.Slice(from, to).ToDoubleArray()) set.Add(v);
        return set.ToArray();
    }

    /// <summary>Number of samples (<c>n</c>, after the subset split).</summary>
    public int N { get; }
    /// <summary><c>batch_size</c>.</summary>
    public int BatchSize { get; }
    /// <summary><c>shuffle</c>: a new permutation every epoch.</summary>
    public bool Shuffle { get; }
    /// <summary>The seed given to <see cref="ImageDataGenerator.Flow"/>, or null.</summary>
    public uint? Seed { get; }
    /// <summary>The epoch whose batches <see cref="GetItem"/> returns: 0 at first, then set by <see cref="OnEpochEnd"/> (one more) or <see cref="OnEpochBegin"/>.</summary>
    public int Epoch => Volatile.Read(ref state).Epoch;
    /// <summary>Whether sample weights were given (then <see cref="GetItemWithSampleWeight"/> returns them).</summary>
    public bool HasSampleWeight => sampleWeight is not null;

    /// <inheritdoc/>
    public override int Count => (N + BatchSize - 1) / BatchSize;

    /// <inheritdoc/>
    public override bool YieldsTemporaries => true;

    /// <summary>The sample indices of batch <paramref name="index"/> in the current epoch (Keras's <c>index_array</c> slice).</summary>
    public int[] BatchIndices(int index)
    {
        CheckIndex(index);
        var s = Volatile.Read(ref state);
        return s.IndexArray.AsSpan(index * BatchSize, Math.Min(BatchSize, N - index * BatchSize)).ToArray();
    }

    private void CheckIndex(int index)
    {
        if (index < 0 || index >= Count)
            throw new ArgumentException($"Asked to retrieve element {index}, but the Sequence has length {Count}", nameof(index));
    }

    /// <summary>The generator of batch <paramref name="index"/> of epoch <paramref name="epoch"/>, positioned as Keras's global one.</summary>
    private RandomState BatchRandom(int epoch, int index)
    {
        var rng = new RandomState(unchecked(seed + (uint)epoch * (uint)Count + (uint)index));
        // Keras draws the first permutation lazily, right after seeding for the first request.
        if (Shuffle && epoch == 0 && index == 0) rng.Permutation(N);
        return rng;
    }

    /// <summary>
    /// Keras's <c>__getitem__</c>: (images, labels) of batch <paramref name="index"/>; labels are null without <c>y</c>.
    /// Thread-safe, and the same for the same (epoch, index) whatever the thread or request order.
    /// </summary>
    public override (NDArray X, NDArray? Y) GetItem(int index)
    {
        var (bx, by, _) = GetItemWithSampleWeight(index);
        return (bx, by);
    }

    /// <summary>Keras's <c>__getitem__</c> when <c>sample_weight</c> was given: (images, labels, sample weights).</summary>
    public override (NDArray X, NDArray? Y, NDArray? SampleWeight) GetItemWithSampleWeight(int index)
    {
        CheckIndex(index);
        var s = Volatile.Read(ref state);
        var order = s.IndexArray.AsSpan(index * BatchSize, Math.Min(BatchSize, N - index * BatchSize)).ToArray();
        var rng = BatchRandom(s.Epoch, index);
        // The batch is written in place into the one array that is returned (Fit disposes it after its step).
        var batch = np.empty(new NumSharp.Shape([order.Length, .. imageShape]), np.float32);
        try
        {
            var all = x.ReadSpan<float>();
            var batchSpan = batch.WriteSpan<float>();
            bool identity = generator.StandardizeIsIdentity;
            for (int i = 0; i < order.Length; i++)
            {
                var src = all.Slice(order[i] * imageSize, imageSize);
                var dst = batchSpan.Slice(i * imageSize, imageSize);
                var p = generator.GetRandomTransform(imageShape, rng);
                generator.ApplyTransformInto(src, imageShape, p, dst);
                if (identity) continue;
                using var image = batch[i];
                var standardized = generator.Standardize(image);
                try
                {
                    if (standardized.Size != imageSize)
                        throw new InvalidOperationException($"Standardize returned shape {ShapeUtil.Format(standardized.ShapeSpan)} for an image of shape {ShapeUtil.Format(imageShape)}; `preprocessing_function` must keep the shape.");
                    if (!ReferenceEquals(standardized, image)) standardized.CopyToFloat32(dst);
                }
                finally
                {
                    if (!ReferenceEquals(standardized, image)) standardized.Dispose();
                }
            }
        }
        catch
        {
            batch.Dispose();
            throw;
        }
        return (batch, y?.Take(order), sampleWeight?.Take(order));
    }

    /// <summary>
    /// Keras's <c>on_epoch_end</c>: moves to the next epoch and, when shuffling, draws its permutation (continuing the
    /// stream of this epoch's last batch, as Keras's global generator would be after an in-order epoch). Call it between
    /// epochs, not while batches of the finishing epoch are still being prepared.
    /// </summary>
    public override void OnEpochEnd()
    {
        lock (epochGate)
        {
            int next = state.Epoch + 1;
            Volatile.Write(ref state, new EpochState(next, IndexArray(next)));
        }
    }

    /// <summary>
    /// Positions the iterator at <paramref name="epoch"/> (called by <c>Model.Fit</c> at the start of every epoch): its
    /// batches are then those of that epoch of an iterator that ran from epoch 0 with <see cref="OnEpochEnd"/> between
    /// epochs. Nothing changes when it is there already.
    /// </summary>
    public override void OnEpochBegin(int epoch)
    {
        if (epoch < 0)
            throw new ArgumentException($"Invalid value for argument `epoch`. Expected an integer >= 0. Received epoch={epoch}.", nameof(epoch));
        lock (epochGate)
        {
            if (state.Epoch == epoch) return;
            Volatile.Write(ref state, new EpochState(epoch, IndexArray(epoch)));
        }
    }

    /// <summary>
    /// Epoch <paramref name="epoch"/>'s index array, a function of (seed, epoch): 0…n−1 without shuffling; the first
    /// permutation from <c>seed</c>'s stream; a later one from the stream of the previous epoch's last batch after its
    /// transforms (what Keras's global generator holds after an in-order epoch).
    /// </summary>
    private int[] IndexArray(int epoch)
    {
        if (!Shuffle || N == 0) return Enumerable.Range(0, N).ToArray();
        if (epoch == 0) return new RandomState(seed).Permutation(N);
        int last = Count - 1;
        var rng = BatchRandom(epoch - 1, last);
        int count = N - last * BatchSize;
        for (int i = 0; i < count; i++) generator.GetRandomTransform(imageShape, rng);
        return rng.Permutation(N);
    }

    /// <summary>Frees the float32 copy made of a non-float32 or strided <c>x</c> (the caller's own arrays are left alone).</summary>
    public void Dispose()
    {
        if (ownsX) x.Dispose();
    }
}
