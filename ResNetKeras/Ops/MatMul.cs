using ResNetKeras.Engine;
using ResNetKeras.Kernels;

namespace ResNetKeras.Ops;

public static partial class Op
{
    /// <summary>Matrix product of (m, k) and (k, n) tensors (<c>tf.linalg.matmul</c>); a Dense layer's x·W.</summary>
    public static Tensor MatMul(Tensor a, Tensor b)
    {
        const string op = "MatMul";
        OpCheck.Rank(op, "a", a, 2, "(rows, inner)");
        OpCheck.Rank(op, "b", b, 2, "(inner, columns)");
        int m = a.Dim(0), k = a.Dim(1), n = b.Dim(1);
        if (b.Dim(0) != k)
            throw new ArgumentException($"{op}: shapes {ShapeUtil.Format(a.ShapeSpan)} and {ShapeUtil.Format(b.ShapeSpan)} are incompatible; expected b to have {k} rows.", nameof(b));
        OpCheck.SameDevice(op, a, b);
        var y = Tensor.Rent(a.Device, [m, n], zeroed: false);
        a.Device.Gemm(false, false, m, n, k, a.Storage, b.Storage, y.Storage);
        GradientTape.Record(y, [a, b], (dy, needs) =>
        {
            Tensor? da = null, db = null;
            if (needs[0])
            {
                da = OpCheck.Like(a);
                a.Device.Gemm(false, true, m, k, n, dy.Storage, b.Storage, da.Storage);
            }
            if (needs[1])
            {
                db = OpCheck.Like(b);
                a.Device.Gemm(true, false, k, n, m, a.Storage, dy.Storage, db.Storage);
            }
            return [da, db];
        }, saved: [a, b]);
        return y;
    }
}
