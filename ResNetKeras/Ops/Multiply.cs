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
        OpCheck.SameDevice(op, a, b);
        var y = OpCheck.Like(a);
        a.Device.Multiply(a.Storage, b.Storage, y.Storage);
        GradientTape.Record(y, [a, b], (dy, needs) =>
        {
            Tensor? da = null, db = null;
            if (needs[0])
            {
                da = OpCheck.Like(a);
                a.Device.Multiply(dy.Storage, b.Storage, da.Storage);
            }
            if (needs[1])
            {
                db = OpCheck.Like(b);
                a.Device.Multiply(dy.Storage, a.Storage, db.Storage);
            }
            return [da, db];
        }, saved: [a, b]);
        return y;
    }
}
