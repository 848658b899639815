using ResNetKeras.Devices;
using ResNetKeras.Engine;

namespace ResNetKeras.Ops;

// TEMPORARY HOST LOOPS. The non-differentiable ops that metrics need, written as plain loops over host copies of the
// tensors (ToArray, a named sync point) with the result placed back on the inputs' device, so the metrics above them
// contain no element loop. This file is the one place above the device seam that loops like this; each op here moves
// below the seam (an IDevice kernel) unchanged in signature. AssignAdd and Assign already run on the device. None of
// them is recorded on a gradient tape: metric values and states are not differentiated.
public static partial class Op
{
    private static Tensor OnDevice(float[] values, int[] shape, IDevice device) => Tensor.FromNDArray(new NDArray(values, shape), device);

    /// <summary>Per row, 1 where argmax(yPred) == argmax(yTrue) over the last axis (first index on ties), else 0; shape (N,) (Keras's <c>categorical_accuracy</c>).</summary>
    public static Tensor ArgmaxMatches(Tensor yPred, Tensor yTrue)
    {
        const string op = "ArgmaxMatches";
        var (n, k) = Rows(op, yPred);
        OpCheck.NotNull(op, "yTrue", yTrue);
        OpCheck.SameShape(op, "yPred", yPred, "yTrue", yTrue);
        var device = OpCheck.SameDevice(op, yPred, yTrue);
        float[] p = yPred.ToArray(), t = yTrue.ToArray(), m = new float[n];
        for (int r = 0; r < n; r++) m[r] = ArgmaxRow(p, r * k, k) == ArgmaxRow(t, r * k, k) ? 1f : 0f;
        return OnDevice(m, [n], device);
    }

    /// <summary>Per row, 1 where argmax(yPred) over the last axis equals the class index in <paramref name="labels"/> ((N,) or (N, 1)), else 0; shape (N,) (Keras's <c>sparse_categorical_accuracy</c>).</summary>
    public static Tensor SparseArgmaxMatches(Tensor yPred, Tensor labels)
    {
        const string op = "SparseArgmaxMatches";
        var (n, k) = Rows(op, yPred);
        CheckIndexLabels(op, labels, n);
        var device = OpCheck.SameDevice(op, yPred, labels);
        float[] p = yPred.ToArray(), t = labels.ToArray(), m = new float[n];
        for (int r = 0; r < n; r++) m[r] = ArgmaxRow(p, r * k, k) == t[r] ? 1f : 0f;
        return OnDevice(m, [n], device);
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
        var device = OpCheck.SameDevice(op, yPred, labels);
        float[] p = yPred.ToArray(), l = labels.ToArray(), m = new float[n];
        for (int r = 0; r < n; r++)
        {
            float t = l[r];
            if (!(t >= 0 && t < classes) || t != MathF.Floor(t)) continue;
            int o = r * classes;
            float target = p[o + (int)t];
            if (!float.IsFinite(target)) continue;
            int higher = 0;
            for (int j = 0; j < classes; j++) if (p[o + j] > target) higher++;
            m[r] = higher < k ? 1f : 0f;
        }
        return OnDevice(m, [n], device);
    }

    /// <summary>Per row, the index of the largest value over the last axis (first on ties), as float; shape (N,) (<c>argmax(x, axis=-1)</c>).</summary>
    public static Tensor Argmax(Tensor x)
    {
        var (n, k) = Rows("Argmax", x);
        float[] v = x.ToArray(), a = new float[n];
        for (int r = 0; r < n; r++) a[r] = ArgmaxRow(v, r * k, k);
        return OnDevice(a, [n], x.Device);
    }

    /// <summary>Element-wise 1 where a == b, else 0, for same-shaped tensors (<c>cast(equal(a, b), "float32")</c>).</summary>
    public static Tensor Equal(Tensor a, Tensor b)
    {
        const string op = "Equal";
        OpCheck.NotNull(op, "a", a);
        OpCheck.NotNull(op, "b", b);
        OpCheck.SameShape(op, "a", a, "b", b);
        var device = OpCheck.SameDevice(op, a, b);
        float[] av = a.ToArray(), bv = b.ToArray(), y = new float[av.Length];
        for (int i = 0; i < y.Length; i++) y[i] = av[i] == bv[i] ? 1f : 0f;
        return OnDevice(y, a.Shape, device);
    }

    /// <summary>Element-wise 1 where (yPred &gt; threshold ? 1 : 0) == yTrue, else 0 (Keras's <c>binary_accuracy</c> before its mean).</summary>
    public static Tensor ThresholdMatches(Tensor yPred, Tensor yTrue, float threshold)
    {
        const string op = "ThresholdMatches";
        OpCheck.NotNull(op, "yPred", yPred);
        OpCheck.NotNull(op, "yTrue", yTrue);
        OpCheck.SameShape(op, "yPred", yPred, "yTrue", yTrue);
        var device = OpCheck.SameDevice(op, yPred, yTrue);
        float[] p = yPred.ToArray(), t = yTrue.ToArray(), y = new float[p.Length];
        for (int i = 0; i < y.Length; i++) y[i] = (p[i] > threshold ? 1f : 0f) == t[i] ? 1f : 0f;
        return OnDevice(y, yPred.Shape, device);
    }

    /// <summary>Per row, the mean over all axes but the first; shape (N,) (how Keras's <c>Mean</c> reduces per-sample values of rank &gt; 1). On the device.</summary>
    public static Tensor RowMeans(Tensor x)
    {
        const string op = "RowMeans";
        OpCheck.NotNull(op, "x", x);
        if (x.Rank < 1 || x.Size == 0) throw new ArgumentException($"{op}: expected a non-empty `x` of rank >= 1; received shape {ShapeUtil.Format(x.ShapeSpan)}.", nameof(x));
        int n = x.Dim(0);
        return Mean(Reshape(x, n, x.Size / n), 1);
    }

    /// <summary>a / b element-wise, 0 where b is 0 (<c>divide_no_nan</c>), for same-shaped tensors; float32 division.</summary>
    public static Tensor DivideNoNan(Tensor a, Tensor b)
    {
        const string op = "DivideNoNan";
        OpCheck.NotNull(op, "a", a);
        OpCheck.NotNull(op, "b", b);
        OpCheck.SameShape(op, "a", a, "b", b);
        var device = OpCheck.SameDevice(op, a, b);
        float[] av = a.ToArray(), bv = b.ToArray(), y = new float[av.Length];
        for (int i = 0; i < y.Length; i++) y[i] = bv[i] == 0 ? 0f : av[i] / bv[i];
        return OnDevice(y, a.Shape, device);
    }

    /// <summary>
    /// <c>variable.assign_add(value)</c>: target += value in place on the target's device, in float32, for tensors of
    /// the same size (a value on another device is copied there first).
    /// </summary>
    public static void AssignAdd(Tensor target, Tensor value)
    {
        CheckSameSize("AssignAdd", target, value);
        target.Device.AssignAdd(target.Storage, value.To(target.Device).Storage);
    }

    /// <summary><c>variable.assign(value)</c>: copies value into target in place on the target's device, for tensors of the same size.</summary>
    public static void Assign(Tensor target, Tensor value)
    {
        CheckSameSize("Assign", target, value);
        target.Device.Copy(value.To(target.Device).Storage, target.Storage);
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
