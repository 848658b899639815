using ResNetKeras.Engine;

namespace ResNetKeras.Ops;

public static partial class Op
{
    /// <summary>Mean of all elements, a 0-d tensor (<c>tf.reduce_mean</c>).</summary>
    public static Tensor Mean(Tensor x)
    {
        OpCheck.NotNull("Mean", "x", x);
        double s = 0;
        foreach (float v in x.Data) s += v;
        int n = x.Size;
        var y = Tensor.Scalar(n == 0 ? float.NaN : (float)(s / n));
        GradientTape.Record(y, [x], (dy, needs) => [Tensor.Full(x.Shape, dy.Data[0] / n)], saved: []);
        return y;
    }

    /// <summary>Sum of all elements, a 0-d tensor (<c>tf.reduce_sum</c>).</summary>
    public static Tensor Sum(Tensor x)
    {
        OpCheck.NotNull("Sum", "x", x);
        double s = 0;
        foreach (float v in x.Data) s += v;
        var y = Tensor.Scalar((float)s);
        GradientTape.Record(y, [x], (dy, needs) => [Tensor.Full(x.Shape, dy.Data[0])], saved: []);
        return y;
    }

    /// <summary>Keras's L2 regularization penalty l·Σw² (no ½), a 0-d tensor; gradient 2·l·w.</summary>
    public static Tensor L2Penalty(Tensor w, float l)
    {
        OpCheck.NotNull("L2Penalty", "w", w);
        double s = 0;
        foreach (float v in w.Data) s += (double)v * v;
        var y = Tensor.Scalar((float)(l * s));
        GradientTape.Record(y, [w], (dy, needs) =>
        {
            var g = OpCheck.Like(w);
            float k = 2f * l * dy.Data[0];
            for (int i = 0; i < g.Size; i++) g.Data[i] = k * w.Data[i];
            return [g];
        }, saved: [w]);
        return y;
    }
}
