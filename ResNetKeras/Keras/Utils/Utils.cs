using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>Keras's <c>keras.utils</c> helpers.</summary>
public static class Utils
{
    /// <summary>
    /// <c>to_categorical(y, num_classes=None)</c>: one-hot float32 rows; a trailing axis of 1 is dropped
    /// ((N, 1) labels give (N, num_classes)); num_classes defaults to max(y) + 1.
    /// </summary>
    public static NDArray ToCategorical(NDArray y, int? numClasses = null)
    {
        ArgumentNullException.ThrowIfNull(y);
        var shape = y.Shape.ToList();
        if (shape.Count > 1 && shape[^1] == 1) shape.RemoveAt(shape.Count - 1);
        var labels = new long[y.Size];
        for (int i = 0; i < labels.Length; i++)
        {
            double v = y.GetFlat(i);
            labels[i] = (long)v;
            if (labels[i] < 0)
                throw new ArgumentException($"to_categorical: label {v} at index {i} is negative; expected class indices >= 0.", nameof(y));
        }
        int k = numClasses ?? (labels.Length == 0 ? 0 : (int)labels.Max() + 1);
        if (k <= 0 && labels.Length > 0)
            throw new ArgumentException($"Invalid value for argument `num_classes`. Expected a strictly positive value. Received num_classes={numClasses}.", nameof(numClasses));
        var result = NDArray.Zeros([.. shape, k]);
        var d = result.Float32Data;
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= k)
                throw new ArgumentException($"to_categorical: label {labels[i]} at index {i} is out of range for num_classes={k}; expected labels in [0, {k}).", nameof(y));
            d[i * k + labels[i]] = 1f;
        }
        return result;
    }
}
