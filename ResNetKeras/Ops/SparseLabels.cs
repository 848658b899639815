using ResNetKeras.Engine;

namespace ResNetKeras.Ops;

public static partial class Op
{
    /// <summary>
    /// <see cref="SparseSoftmaxCrossEntropyWithLogits(Tensor, int[])"/> with the class indices held in a float tensor of
    /// shape (N,) or (N, 1), as Keras's sparse losses receive <c>y_true</c>; shape (N,).
    /// </summary>
    public static Tensor SparseSoftmaxCrossEntropyWithLogits(Tensor logits, Tensor labels) =>
        SparseSoftmaxCrossEntropyWithLogits(logits, ClassIndices("SparseSoftmaxCrossEntropyWithLogits", logits, labels));

    /// <summary>
    /// <see cref="SparseCategoricalCrossentropy(Tensor, int[])"/> with the class indices held in a float tensor of shape
    /// (N,) or (N, 1); shape (N,).
    /// </summary>
    public static Tensor SparseCategoricalCrossentropy(Tensor probs, Tensor labels) =>
        SparseCategoricalCrossentropy(probs, ClassIndices("SparseCategoricalCrossentropy", probs, labels));

    // Host conversion for now: the sparse kernels take int indices. It reads the labels through the named sync point
    // (ToNDArray); a device implementation gathers on the device instead.
    private static int[] ClassIndices(string op, Tensor scores, Tensor labels)
    {
        OpCheck.Rank(op, "predictions", scores, 2, "(batch, classes)");
        OpCheck.NotNull(op, "labels", labels);
        int n = scores.Dim(0);
        bool shapeOk = labels.Rank == 1 || (labels.Rank == 2 && labels.Dim(1) == 1);
        if (!shapeOk || labels.Dim(0) != n)
            throw new ArgumentException($"{op}: expected `labels` of shape ({n},) or ({n}, 1) (class indices) for predictions of shape {ShapeUtil.Format(scores.ShapeSpan)}; received shape {ShapeUtil.Format(labels.ShapeSpan)}.", nameof(labels));
        var flat = labels.ToNDArray();
        var idx = new int[n];
        for (int i = 0; i < n; i++)
        {
            double v = flat.GetFlat(i);
            if (v != Math.Floor(v) || double.IsInfinity(v))
                throw new ArgumentException($"{op}: label {v} at index {i} is not an integer class index.", nameof(labels));
            idx[i] = v is < int.MinValue or > int.MaxValue ? -1 : (int)v;
        }
        return idx;
    }
}
