using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>Keras's <c>keras.utils</c> helpers.</summary>
public static class Utils
{
    /// <summary>
    /// <c>keras.utils.to_categorical(y, num_classes=None)</c>: one-hot float32 rows. Labels are cast to int as
    /// <c>np.array(y, dtype='int')</c> does (truncation toward zero); if <paramref name="y"/> has rank &gt; 1 and its
    /// last axis is 1, that axis is dropped ((N, 1) labels give (N, num_classes)); <paramref name="numClasses"/>
    /// defaults to max(y) + 1. Where NumPy would wrap a negative label around or fail with an IndexError, this raises
    /// <see cref="ArgumentException"/> naming the label.
    /// </summary>
    public static NDArray ToCategorical(NDArray y, int? numClasses = null)
    {
        ArgumentNullException.ThrowIfNull(y);
        if (numClasses is < 1)
            throw new ArgumentException($"Invalid value for argument `num_classes`. Expected a strictly positive value. Received num_classes={numClasses}.", nameof(numClasses));
        var shape = y.IntShape.ToList();
        if (shape.Count > 1 && shape[^1] == 1) shape.RemoveAt(shape.Count - 1);
        var values = y.ToDoubleArray();
        var labels = new int[values.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            double v = values[i];
            if (double.IsNaN(v) || v <= -1 || v >= int.MaxValue)
                throw new ArgumentException($"to_categorical: label {Format(v)} at index {i} is not a valid class index; expected labels in [0, {(numClasses is { } c ? c.ToString() : "num_classes")}).", nameof(y));
            labels[i] = (int)v; // truncation toward zero, as NumPy's cast to int (-0.5 becomes 0)
        }
        if (numClasses is null && labels.Length == 0)
            throw new ArgumentException("to_categorical: `y` is empty, so num_classes cannot be inferred from max(y) + 1; pass numClasses.", nameof(y));
        int k = numClasses ?? labels.Max() + 1;
        long total = Math.Max(1, (long)shape.Aggregate(1L, (a, b) => a * b)) * k;
        if (total > Array.MaxLength)
            throw new ArgumentException($"to_categorical: {shape.Aggregate(1L, (a, b) => a * b)} labels x num_classes={k} is too large for one array.", nameof(numClasses));
        var result = np.zeros(new NumSharp.Shape([.. shape, k]), np.float32);
        var d = result.WriteSpan<float>();
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= k)
                throw new ArgumentException($"to_categorical: label {labels[i]} at index {i} is out of range for num_classes={k}; expected labels in [0, {k}).", nameof(y));
            d[i * k + labels[i]] = 1f;
        }
        return result;
    }

    /// <summary>
    /// <c>keras.utils.set_random_seed(seed)</c>: makes a program reproducible. Weight initializers and dropout then draw,
    /// in the order layers are built, from a generator seeded with <paramref name="seed"/>; <c>Model.Fit</c>'s shuffles,
    /// <c>ImageDataGenerator.Flow</c> and <c>ImageDataGenerator</c>'s other draws without an explicit <c>seed</c> use
    /// streams derived from (seed, purpose) alone, so the shuffle and augmentation of epoch k depend only on the seed and k,
    /// not on what drew random numbers before: a program that loads a checkpoint and resumes with <c>initialEpoch: k</c>
    /// continues exactly as the uninterrupted program would.
    /// </summary>
    /// <param name="seed">An integer in [0, 2³²), as NumPy's <c>np.random.seed</c> accepts.</param>
    public static void SetRandomSeed(long seed)
    {
        if (seed < 0 || seed > uint.MaxValue)
            throw new ArgumentException($"Invalid value for argument `seed`. Expected an integer in [0, 2**32). Received seed={seed}.", nameof(seed));
        Backend.SetRandomSeed((uint)seed);
    }

    private static string Format(double v) => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
