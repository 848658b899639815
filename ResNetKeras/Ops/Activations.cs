using ResNetKeras.Engine;
using ResNetKeras.Kernels;

namespace ResNetKeras.Ops;

public static partial class Op
{
    /// <summary>max(x, 0) (<c>tf.nn.relu</c>; gradient 0 at x = 0 as TensorFlow).</summary>
    public static Tensor Relu(Tensor x) => Unary("Relu", UnaryKind.Relu, x);

    /// <summary>1/(1+e^−x) (<c>tf.math.sigmoid</c>).</summary>
    public static Tensor Sigmoid(Tensor x) => Unary("Sigmoid", UnaryKind.Sigmoid, x);

    /// <summary>tanh(x) (<c>tf.math.tanh</c>).</summary>
    public static Tensor Tanh(Tensor x) => Unary("Tanh", UnaryKind.Tanh, x);

    private static Tensor Unary(string op, UnaryKind kind, Tensor x)
    {
        OpCheck.NotNull(op, "x", x);
        var y = OpCheck.Like(x);
        x.Device.Unary(kind, x.Storage, y.Storage);
        GradientTape.Record(y, [x], (dy, needs) =>
        {
            var dx = OpCheck.Like(x);
            x.Device.UnaryGrad(kind, y.Storage, dy.Storage, dx.Storage);
            return [dx];
        }, saved: [y]);
        return y;
    }
}
