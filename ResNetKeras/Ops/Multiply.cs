using ResNetKeras.Engine;
using ResNetKeras.Kernels;

namespace ResNetKeras.Ops;

public static partial class Op
{
    /// <summary>Element-wise product of same-shaped tensors (<c>tf.math.multiply</c> without broadcasting; Keras's <c>Multiply</c> layer).</summary>
    public static Tensor Multiply(Tensor a, Tensor b)
    {
        const string op = "Multiply";
        OpCheck.NotNull(op, "a", a);
        OpCheck.NotNull(op, "b", b);
        OpCheck.SameShape(op, "a", a, "b", b);
        var y = OpCheck.Like(a);
        Backend.Current.Multiply(a.Data, b.Data, y.Data);
        GradientTape.Record(y, [a, b], (dy, needs) =>
        {
            Tensor? da = null, db = null;
            if (needs[0])
            {
                da = OpCheck.Like(a);
                Backend.Current.Multiply(dy.Data, b.Data, da.Data);
            }
            if (needs[1])
            {
                db = OpCheck.Like(b);
                Backend.Current.Multiply(dy.Data, a.Data, db.Data);
            }
            return [da, db];
        }, saved: [a, b]);
        return y;
    }
}
