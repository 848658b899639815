using ResNetKeras.Engine;
using ResNetKeras.Kernels;

namespace ResNetKeras.Ops;

public static partial class Op
{
    /// <summary>Keras's <c>backend.epsilon()</c>, the probability clip of cross-entropy on probabilities.</summary>
    public const float Epsilon = 1e-7f;

    /// <summary>
    /// Per-sample categorical cross-entropy from logits, ℓ = Σ_j y_j·(logsumexp(z) − z_j), shape (N,)
    /// (<c>tf.nn.softmax_cross_entropy_with_logits</c>; what tf.keras computes when the model ends in a softmax).
    /// </summary>
    public static Tensor SoftmaxCrossEntropyWithLogits(Tensor logits, Tensor labels) =>
        CrossEntropy("SoftmaxCrossEntropyWithLogits", CrossEntropyKind.SoftmaxLogits, logits, labels);

    /// <summary>
    /// Per-sample categorical cross-entropy from probabilities as Keras computes it when the logits are
    /// unknown: p ← p/Σp, clipped to [ε, 1 − ε], ℓ = −Σ y·log p; shape (N,).
    /// </summary>
    public static Tensor CategoricalCrossentropy(Tensor probs, Tensor labels) =>
        CrossEntropy("CategoricalCrossentropy", CrossEntropyKind.Probabilities, probs, labels);

    /// <summary>Per-sample sparse softmax cross-entropy from logits, ℓ = logsumexp(z) − z_label; shape (N,).</summary>
    public static Tensor SparseSoftmaxCrossEntropyWithLogits(Tensor logits, int[] labels) =>
        SparseSoftmaxCrossEntropyWithLogits(logits, SparseLabels("SparseSoftmaxCrossEntropyWithLogits", logits, labels));

    /// <summary>
    /// <see cref="SparseSoftmaxCrossEntropyWithLogits(Tensor, int[])"/> with the class indices held as floats in a (N,)
    /// tensor on the logits' device; a label that is not a class index gives NaN, as TensorFlow on a GPU.
    /// </summary>
    public static Tensor SparseSoftmaxCrossEntropyWithLogits(Tensor logits, Tensor labels) =>
        CrossEntropy("SparseSoftmaxCrossEntropyWithLogits", CrossEntropyKind.SparseSoftmaxLogits, logits, labels);

    /// <summary>
    /// Per-sample sparse categorical cross-entropy from probabilities as Keras computes it when the logits are unknown:
    /// p is clipped to [ε, 1 − ε] first and its log fed to the sparse softmax cross-entropy, so
    /// ℓ = −log(p̃_label / Σ_j p̃_j) with p̃ the clipped p (unlike <see cref="CategoricalCrossentropy"/>, which
    /// renormalizes before clipping); shape (N,).
    /// </summary>
    public static Tensor SparseCategoricalCrossentropy(Tensor probs, int[] labels) =>
        SparseCategoricalCrossentropy(probs, SparseLabels("SparseCategoricalCrossentropy", probs, labels));

    /// <summary><see cref="SparseCategoricalCrossentropy(Tensor, int[])"/> with float class indices in a (N,) tensor (invalid ones give NaN).</summary>
    public static Tensor SparseCategoricalCrossentropy(Tensor probs, Tensor labels) =>
        CrossEntropy("SparseCategoricalCrossentropy", CrossEntropyKind.SparseProbabilities, probs, labels);

    private static Tensor CrossEntropy(string op, CrossEntropyKind kind, Tensor predictions, Tensor labels)
    {
        OpCheck.Rank(op, "predictions", predictions, 2, "(batch, classes)");
        OpCheck.NotNull(op, "labels", labels);
        bool sparse = kind is CrossEntropyKind.SparseSoftmaxLogits or CrossEntropyKind.SparseProbabilities;
        int n = predictions.Dim(0), k = predictions.Dim(1);
        if (sparse && (labels.Rank != 1 || labels.Dim(0) != n))
            throw new ArgumentException($"{op}: expected `labels` of shape ({n},) (one class index per row of predictions of shape {ShapeUtil.Format(predictions.ShapeSpan)}); received shape {ShapeUtil.Format(labels.ShapeSpan)}.", nameof(labels));
        if (!sparse) OpCheck.SameShape(op, "predictions", predictions, "labels", labels);
        var device = OpCheck.SameDevice(op, predictions, labels);
        var loss = Tensor.Rent(device, [n], zeroed: false);
        device.CrossEntropyForward(kind, predictions.Storage, labels.Storage, loss.Storage, k);
        GradientTape.Record(loss, [predictions, labels], (dl, needs) =>
        {
            Tensor? dp = null;
            if (needs[0])
            {
                dp = OpCheck.Like(predictions);
                device.CrossEntropyBackward(kind, predictions.Storage, labels.Storage, dl.Storage, dp.Storage, k);
            }
            return [dp, null];
        }, saved: [predictions, labels]);
        return loss;
    }

    /// <summary>Checks host class indices (the error names the bad one) and places them as floats beside the scores.</summary>
    private static Tensor SparseLabels(string op, Tensor scores, int[] labels)
    {
        OpCheck.Rank(op, "logits", scores, 2, "(batch, classes)");
        OpCheck.NotNull(op, "labels", labels);
        int n = scores.Dim(0), k = scores.Dim(1);
        if (labels.Length != n)
            throw new ArgumentException($"{op}: expected {n} labels for predictions of shape {ShapeUtil.Format(scores.ShapeSpan)}; received {labels.Length}.", nameof(labels));
        var values = new float[n];
        for (int i = 0; i < n; i++)
        {
            if ((uint)labels[i] >= (uint)k)
                throw new ArgumentException($"{op}: label {labels[i]} at index {i} is outside the valid range [0, {k}).", nameof(labels));
            values[i] = labels[i];
        }
        return Tensor.FromNDArray(new NDArray(values, [n]), scores.Device);
    }
}
