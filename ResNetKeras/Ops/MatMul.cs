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
        var y = Tensor.Rent([m, n], zeroed: false);
        Backend.Current.Gemm(false, false, m, n, k, a.Data, b.Data, y.Data);
        GradientTape.Record(y, [a, b], (dy, needs) =>
        {
            Tensor? da = null, db = null;
            if (needs[0])
            {
                da = OpCheck.Like(a);
                Backend.Current.Gemm(false, true, m, k, n, dy.Data, b.Data, da.Data);
            }
            if (needs[1])
            {
                db = OpCheck.Like(b);
                Backend.Current.Gemm(true, false, k, n, m, a.Data, dy.Data, db.Data);
            }
            return [da, db];
        }, saved: [a, b]);
        return y;
    }
}
