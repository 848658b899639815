using ResNetKeras.Engine;
using ResNetKeras.Kernels;

namespace ResNetKeras.Ops;

public static partial class Op
{
    /// <summary>
    /// Inverted dropout (<c>tf.nn.dropout</c>): keeps each element with probability 1 − rate and scales
    /// kept ones by 1/(1 − rate). The caller applies it only in training.
    /// </summary>
    public static Tensor Dropout(Tensor x, float rate, RandomState rng)
    {
        const string op = "Dropout";
        OpCheck.NotNull(op, "x", x);
        OpCheck.NotNull(op, "rng", rng);
        if (!(rate >= 0f && rate < 1f))
            throw new ArgumentException($"{op}: invalid value for argument `rate`. Expected a float in the range [0, 1). Received rate={rate}.", nameof(rate));
        var mask = new float[x.Size];
        float keep = 1f / (1f - rate);
        for (int i = 0; i < mask.Length; i++) mask[i] = rng.NextDouble() >= rate ? keep : 0f;
        var y = OpCheck.Like(x);
        Backend.Current.Multiply(x.Data, mask, y.Data);
        GradientTape.Record(y, [x], (dy, needs) =>
        {
            var dx = OpCheck.Like(x);
            Backend.Current.Multiply(dy.Data, mask, dx.Data);
            return [dx];
        }, saved: []);
        return y;
    }
}
