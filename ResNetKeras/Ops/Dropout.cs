using ResNetKeras.Engine;

namespace ResNetKeras.Ops;

public static partial class Op
{
    /// <summary>
    /// Inverted dropout (<c>tf.nn.dropout</c>): keeps each element with probability 1 − rate and scales kept ones by
    /// 1/(1 − rate). The mask is drawn on the device from (seed, element index), so it is the same on every device.
    /// The caller applies it only in training.
    /// </summary>
    public static Tensor Dropout(Tensor x, float rate, ulong seed)
    {
        const string op = "Dropout";
        OpCheck.NotNull(op, "x", x);
        if (!(rate >= 0f && rate < 1f))
            throw new ArgumentException($"{op}: invalid value for argument `rate`. Expected a float in the range [0, 1). Received rate={rate}.", nameof(rate));
        var device = x.Device;
        var mask = device.Allocate(x.Size);
        device.DropoutMask(mask, rate, seed);
        var y = OpCheck.Like(x);
        device.Multiply(x.Storage, mask, y.Storage);
        GradientTape.Record(y, [x], (dy, needs) =>
        {
            var dx = OpCheck.Like(x);
            device.Multiply(dy.Storage, mask, dx.Storage);
            return [dx];
        }, saved: []);
        return y;
    }

    /// <summary><see cref="Dropout(Tensor, float, ulong)"/> with a seed drawn from <paramref name="rng"/> (one draw per call).</summary>
    public static Tensor Dropout(Tensor x, float rate, RandomState rng)
    {
        OpCheck.NotNull("Dropout", "rng", rng);
        ulong seed;
        lock (rng) seed = (ulong)rng.NextUInt32() << 32 | rng.NextUInt32();
        return Dropout(x, rate, seed);
    }
}
