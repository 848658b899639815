using ResNetKeras.Engine;

namespace ResNetKeras.Ops;

// The metrics' remaining ops beside Matches.cs, all on the device. None of them is recorded on a gradient tape,
// except RowMeans (an Op.Mean), harmless for metric values.
public static partial class Op
{
    /// <summary>Per row, the index of the largest value over the last axis (first on ties), as float; shape (N,) (<c>argmax(x, axis=-1)</c>).</summary>
    public static Tensor Argmax(Tensor x)
    {
        var (n, k) = Rows("Argmax", x);
        var y = Tensor.Rent(x.Device, [n], zeroed: false);
        x.Device.ArgMaxRows(x.Storage, y.Storage, k);
        return y;
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
        var y = OpCheck.Like(a);
        device.DivideNoNan(a.Storage, b.Storage, y.Storage);
        return y;
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
}
