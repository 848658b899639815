using ResNetKeras.Engine;
using ResNetKeras.Kernels;

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
        Backend.Current.Softmax(x.Data, y.Data, k);
        GradientTape.Record(y, [x], (dy, needs) =>
        {
            var dx = OpCheck.Like(x);
            int rows = k == 0 ? 0 : x.Size / k;
            for (int r = 0; r < rows; r++)
            {
                int o = r * k;
                double dot = 0;
                for (int j = 0; j < k; j++) dot += dy.Data[o + j] * y.Data[o + j];
                for (int j = 0; j < k; j++) dx.Data[o + j] = y.Data[o + j] * (float)(dy.Data[o + j] - dot);
            }
            return [dx];
        }, saved: [y]);
        return y;
    }
}
