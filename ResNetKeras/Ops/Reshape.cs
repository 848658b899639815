using ResNetKeras.Engine;

namespace ResNetKeras.Ops;

public static partial class Op
{
    /// <summary>Same elements, new shape (one dimension may be -1); shares storage on every device (<c>tf.reshape</c>; Flatten is Reshape(x, N, -1)).</summary>
    public static Tensor Reshape(Tensor x, params int[] shape)
    {
        OpCheck.NotNull("Reshape", "x", x);
        var resolved = ShapeUtil.ResolveReshape(x.ShapeSpan, shape);
        var y = new Tensor(x.Storage, resolved);
        GradientTape.Record(y, [x], (dy, needs) => [new Tensor(dy.Storage, x.Shape)], saved: []);
        return y;
    }
}
