using ResNetKeras.Engine;

namespace ResNetKeras.Ops;

public static partial class Op
{
    /// <summary>Softmax over the last axis, exp(x − max)/Σexp(x − max) (<c>tf.nn.softmax</c>); rank-1 input is an error, as in Keras.</summary>
    public static Tensor Softmax(Tensor x)
    {
        const string op = "Softmax";
        OpCheck.NotNull(op, "x", x);
        if (x.Rank < 2)
            throw new ArgumentException($"{op}: cannot apply softmax to a tensor that is 1D; received input of shape {ShapeUtil.Format(x.ShapeSpan)}.", nameof(x));
        int k = x.Dim(-1);
        var y = OpCheck.Like(x);
        x.Device.Softmax(x.Storage, y.Storage, k);
        GradientTape.Record(y, [x], (dy, needs) =>
        {
            var dx = OpCheck.Like(x);
            x.Device.SoftmaxBackward(y.Storage, dy.Storage, dx.Storage, k);
            return [dx];
        }, saved: [y]);
        return y;
    }
}
