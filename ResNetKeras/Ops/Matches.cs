using ResNetKeras.Engine;
using ResNetKeras.Kernels;

namespace ResNetKeras.Ops;

public static partial class Op
{
    /// <summary>1 per row where argmax(yPred) equals argmax(yTrue), else 0, shape (N,) (Keras's categorical_accuracy); not differentiable.</summary>
    public static Tensor ArgmaxMatches(Tensor yPred, Tensor yTrue)
    {
        const string op = "ArgmaxMatches";
        OpCheck.NotNull(op, "yPred", yPred);
        OpCheck.NotNull(op, "yTrue", yTrue);
        OpCheck.SameShape(op, "yPred", yPred, "yTrue", yTrue);
        return RowMatches(op, MatchKind.Argmax, yPred, yTrue, 1);
    }

    /// <summary>1 per row where argmax(yPred) equals the class index in <paramref name="labels"/> (N,) (sparse_categorical_accuracy).</summary>
    public static Tensor SparseArgmaxMatches(Tensor yPred, Tensor labels) => SparseRowMatches("SparseArgmaxMatches", MatchKind.SparseArgmax, yPred, labels, 1);

    /// <summary>1 per row where the labelled class is among the <paramref name="k"/> largest predictions (<c>tf.math.in_top_k</c>: boundary ties count).</summary>
    public static Tensor InTopK(Tensor yPred, Tensor labels, int k)
    {
        OpCheck.Positive("InTopK", "k", k);
        return SparseRowMatches("InTopK", MatchKind.SparseInTopK, yPred, labels, k);
    }

    /// <summary>1 where a equals b element-wise, else 0 (Keras's <c>Accuracy</c>).</summary>
    public static Tensor Equal(Tensor a, Tensor b) => ElementMatches("Equal", MatchKind.Equal, a, b, 0f);

    /// <summary>1 where (yPred &gt; threshold) equals yTrue element-wise (Keras's binary_accuracy before its mean).</summary>
    public static Tensor ThresholdMatches(Tensor yPred, Tensor yTrue, float threshold = 0.5f) => ElementMatches("ThresholdMatches", MatchKind.Threshold, yPred, yTrue, threshold);

    /// <summary>target += value in place on the device (a metric's state update; not recorded on any tape).</summary>
    public static void AssignAdd(Tensor target, Tensor value)
    {
        const string op = "AssignAdd";
        OpCheck.NotNull(op, "target", target);
        OpCheck.NotNull(op, "value", value);
        OpCheck.SameShape(op, "target", target, "value", value);
        var device = OpCheck.SameDevice(op, target, value);
        device.AssignAdd(target.Storage, value.Storage);
    }

    private static Tensor SparseRowMatches(string op, MatchKind kind, Tensor yPred, Tensor labels, int k)
    {
        OpCheck.Rank(op, "yPred", yPred, 2, "(batch, classes)");
        OpCheck.NotNull(op, "labels", labels);
        if (labels.Size != yPred.Dim(0))
            throw new ArgumentException($"{op}: expected one class index per row of yPred of shape {ShapeUtil.Format(yPred.ShapeSpan)}; received labels of shape {ShapeUtil.Format(labels.ShapeSpan)}.", nameof(labels));
        return RowMatches(op, kind, yPred, labels, k);
    }

    private static Tensor RowMatches(string op, MatchKind kind, Tensor yPred, Tensor labels, int k)
    {
        if (yPred.Rank < 1) throw new ArgumentException($"{op}: expected `yPred` of rank >= 1; received a scalar.", nameof(yPred));
        var device = OpCheck.SameDevice(op, yPred, labels);
        int classes = yPred.Dim(-1), rows = classes == 0 ? 0 : yPred.Size / classes;
        var result = Tensor.Rent(device, [rows], zeroed: false);
        device.Matches(kind, yPred.Storage, labels.Storage, result.Storage, classes, k, 0f);
        return result;
    }

    private static Tensor ElementMatches(string op, MatchKind kind, Tensor a, Tensor b, float threshold)
    {
        OpCheck.NotNull(op, "a", a);
        OpCheck.NotNull(op, "b", b);
        OpCheck.SameShape(op, "a", a, "b", b);
        var device = OpCheck.SameDevice(op, a, b);
        var result = OpCheck.Like(a);
        device.Matches(kind, a.Storage, b.Storage, result.Storage, 1, 1, threshold);
        return result;
    }
}
