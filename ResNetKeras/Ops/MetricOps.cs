using ResNetKeras.Engine;

namespace ResNetKeras.Ops;

// TEMPORARY HOST LOOPS. The non-differentiable ops that losses and metrics need, written as plain loops over tensor
// elements so the metrics above them contain none. This file is the one place above the device seam allowed to touch
// Tensor.Data this way; each op here moves below the seam (a device kernel) unchanged in signature. None of them is
// recorded on a gradient tape: metric values and states are not differentiated.
public static partial class Op
{
    /// <summary>Per row, 1 where argmax(yPred) == argmax(yTrue) over the last axis (first index on ties), else 0; shape (N,) (Keras's <c>categorical_accuracy</c>).</summary>
    public static Tensor ArgmaxMatches(Tensor yPred, Tensor yTrue)
    {
        const string op = "ArgmaxMatches";
        var (n, k) = Rows(op, yPred);
        OpCheck.NotNull(op, "yTrue", yTrue);
        OpCheck.SameShape(op, "yPred", yPred, "yTrue", yTrue);
        var m = Tensor.Zeros(n);
        for (int r = 0; r < n; r++)
            m.Data[r] = ArgmaxRow(yPred.Data, r * k, k) == ArgmaxRow(yTrue.Data, r * k, k) ? 1f : 0f;
        return m;
    }

    /// <summary>Per row, 1 where argmax(yPred) over the last axis equals the class index in <paramref name="labels"/> ((N,) or (N, 1)), else 0; shape (N,) (Keras's <c>sparse_categorical_accuracy</c>).</summary>
    public static Tensor SparseArgmaxMatches(Tensor yPred, Tensor labels)
    {
        const string op = "SparseArgmaxMatches";
        var (n, k) = Rows(op, yPred);
        CheckIndexLabels(op, labels, n);
        var m = Tensor.Zeros(n);
        for (int r = 0; r < n; r++)
            m.Data[r] = ArgmaxRow(yPred.Data, r * k, k) == labels.Data[r] ? 1f : 0f;
        return m;
    }

    /// <summary>
    /// Per row, 1 where the class <paramref name="labels"/>[r] is among the <paramref name="k"/> largest predictions, else 0;
    /// shape (N,). TensorFlow's <c>in_top_k</c> rule: the target is in the top k when fewer than k classes score strictly
    /// higher (so ties at the boundary all count), and never when its score is not finite or its index is out of range.
    /// </summary>
    public static Tensor InTopK(Tensor yPred, Tensor labels, int k)
    {
        const string op = "InTopK";
        var (n, classes) = Rows(op, yPred);
        CheckIndexLabels(op, labels, n);
        OpCheck.Positive(op, "k", k);
        var m = Tensor.Zeros(n);
        for (int r = 0; r < n; r++)
        {
            float t = labels.Data[r];
            if (!(t >= 0 && t < classes) || t != MathF.Floor(t)) continue;
            int o = r * classes;
            float target = yPred.Data[o + (int)t];
            if (!float.IsFinite(target)) continue;
            int higher = 0;
            for (int j = 0; j < classes; j++) if (yPred.Data[o + j] > target) higher++;
            m.Data[r] = higher < k ? 1f : 0f;
        }
        return m;
    }

    /// <summary>Per row, the index of the largest value over the last axis (first on ties), as float; shape (N,) (<c>argmax(x, axis=-1)</c>).</summary>
    public static Tensor Argmax(Tensor x)
    {
        var (n, k) = Rows("Argmax", x);
        var a = Tensor.Zeros(n);
        for (int r = 0; r < n; r++) a.Data[r] = ArgmaxRow(x.Data, r * k, k);
        return a;
    }

    /// <summary>Element-wise 1 where a == b, else 0, for same-shaped tensors (<c>cast(equal(a, b), "float32")</c>).</summary>
    public static Tensor Equal(Tensor a, Tensor b)
    {
        const string op = "Equal";
        OpCheck.NotNull(op, "a", a);
        OpCheck.NotNull(op, "b", b);
        OpCheck.SameShape(op, "a", a, "b", b);
        var y = Tensor.Zeros(a.Shape);
        for (int i = 0; i < y.Size; i++) y.Data[i] = a.Data[i] == b.Data[i] ? 1f : 0f;
        return y;
    }

    /// <summary>Element-wise 1 where (yPred &gt; threshold ? 1 : 0) == yTrue, else 0 (Keras's <c>binary_accuracy</c> before its mean).</summary>
    public static Tensor ThresholdMatches(Tensor yPred, Tensor yTrue, float threshold)
    {
        const string op = "ThresholdMatches";
        OpCheck.NotNull(op, "yPred", yPred);
        OpCheck.NotNull(op, "yTrue", yTrue);
        OpCheck.SameShape(op, "yPred", yPred, "yTrue", yTrue);
        var y = Tensor.Zeros(yPred.Shape);
        for (int i = 0; i < y.Size; i++) y.Data[i] = (yPred.Data[i] > threshold ? 1f : 0f) == yTrue.Data[i] ? 1f : 0f;
        return y;
    }

    /// <summary>Per row, the mean over all axes but the first; shape (N,) (how Keras's <c>Mean</c> reduces per-sample values of rank &gt; 1).</summary>
    public static Tensor RowMeans(Tensor x)
    {
        const string op = "RowMeans";
        OpCheck.NotNull(op, "x", x);
        if (x.Rank < 1) throw new ArgumentException($"{op}: expected `x` of rank >= 1; received shape {ShapeUtil.Format(x.ShapeSpan)}.", nameof(x));
        int n = x.Dim(0), k = n == 0 ? 0 : x.Size / n;
        var y = Tensor.Zeros(n);
        for (int r = 0; r < n; r++)
        {
            double s = 0;
            for (int j = 0; j < k; j++) s += x.Data[r * k + j];
            y.Data[r] = k == 0 ? float.NaN : (float)(s / k);
        }
        return y;
    }

    /// <summary>a / b element-wise, 0 where b is 0 (<c>divide_no_nan</c>), for same-shaped tensors; float32 division.</summary>
    public static Tensor DivideNoNan(Tensor a, Tensor b)
    {
        const string op = "DivideNoNan";
        OpCheck.NotNull(op, "a", a);
        OpCheck.NotNull(op, "b", b);
        OpCheck.SameShape(op, "a", a, "b", b);
        var y = Tensor.Zeros(a.Shape);
        for (int i = 0; i < y.Size; i++) y.Data[i] = b.Data[i] == 0 ? 0f : a.Data[i] / b.Data[i];
        return y;
    }

    /// <summary><c>variable.assign_add(value)</c>: target += value in place, in float32, for tensors of the same size.</summary>
    public static void AssignAdd(Tensor target, Tensor value)
    {
        CheckSameSize("AssignAdd", target, value);
        for (int i = 0; i < target.Size; i++) target.Data[i] += value.Data[i];
    }

    /// <summary><c>variable.assign(value)</c>: copies value into target in place, for tensors of the same size.</summary>
    public static void Assign(Tensor target, Tensor value)
    {
        CheckSameSize("Assign", target, value);
        Array.Copy(value.Data, target.Data, target.Size);
    }

    private static void CheckSameSize(string op, Tensor target, Tensor value)
    {
        OpCheck.NotNull(op, "target", target);
        OpCheck.NotNull(op, "value", value);
        if (target.Size != value.Size)
            throw new ArgumentException($"{op}: `value` of shape {ShapeUtil.Format(value.ShapeSpan)} does not fit `target` of shape {ShapeUtil.Format(target.ShapeSpan)}.", nameof(value));
    }

    private static (int N, int K) Rows(string op, Tensor x)
    {
        OpCheck.NotNull(op, "yPred", x);
        if (x.Rank < 1 || x.Dim(-1) == 0)
            throw new ArgumentException($"{op}: expected predictions of shape (batch, ..., classes) with at least one class; received shape {ShapeUtil.Format(x.ShapeSpan)}.", "yPred");
        int k = x.Dim(-1);
        return (x.Size / k, k);
    }

    private static void CheckIndexLabels(string op, Tensor labels, int n)
    {
        OpCheck.NotNull(op, "labels", labels);
        if (labels.Size != n || labels.Rank > 2 || (labels.Rank == 2 && labels.Dim(1) != 1))
            throw new ArgumentException($"{op}: expected {n} class indices, shape ({n},) or ({n}, 1); received shape {ShapeUtil.Format(labels.ShapeSpan)}.", nameof(labels));
    }

    private static int ArgmaxRow(float[] data, int offset, int k)
    {
        int best = 0;
        for (int j = 1; j < k; j++) if (data[offset + j] > data[offset + best]) best = j;
        return best;
    }
}
