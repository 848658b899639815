using ResNetKeras.Engine;
using ResNetKeras.Kernels;

namespace ResNetKeras.Ops;

public static partial class Op
{
    /// <summary>Adds a bias over the last axis (<c>tf.nn.bias_add</c>, channels_last).</summary>
    public static Tensor BiasAdd(Tensor x, Tensor bias)
    {
        const string op = "BiasAdd";
        OpCheck.NotNull(op, "x", x);
        OpCheck.Rank(op, "bias", bias, 1, "(channels,)");
        if (x.Rank == 0 || x.Dim(-1) != bias.Dim(0))
            throw new ArgumentException($"{op}: bias of shape {ShapeUtil.Format(bias.ShapeSpan)} does not match the last axis of x of shape {ShapeUtil.Format(x.ShapeSpan)}.", nameof(bias));
        OpCheck.SameDevice(op, x, bias);
        int c = bias.Dim(0);
        var y = OpCheck.Like(x);
        x.Device.BiasAdd(x.Storage, bias.Storage, y.Storage, c);
        GradientTape.Record(y, [x, bias], (dy, needs) =>
        {
            Tensor? db = null;
            if (needs[1])
            {
                db = Tensor.Rent(x.Device, [c], zeroed: false);
                x.Device.ColumnSum(dy.Storage, db.Storage, c);
            }
            return [needs[0] ? dy : null, db];
        }, saved: []);
        return y;
    }
}
