using ResNetKeras.Engine;

namespace ResNetKeras.Ops;

public static partial class Op
{
    /// <summary>
    /// Spatial dropout (Keras's SpatialDropout2D: <c>tf.nn.dropout</c> with noise_shape (batch, 1, 1, channels)): whole
    /// feature maps are kept, scaled by 1/(1 − rate), or zeroed. The (batch × channels) mask is drawn on the device from
    /// (seed, index) with <see cref="Dropout(Tensor, float, ulong)"/>'s draw. The caller applies it only in training.
    /// </summary>
    public static Tensor SpatialDropout2D(Tensor x, float rate, ulong seed)
    {
        const string op = "SpatialDropout2D";
        OpCheck.Rank(op, "x", x, 4, "(batch, height, width, channels)");
        if (!(rate >= 0f && rate < 1f))
            throw new ArgumentException($"{op}: invalid value for argument `rate`. Expected a float in the range [0, 1). Received rate={rate}.", nameof(rate));
        var device = x.Device;
        int n = x.Dim(0), spatial = x.Dim(1) * x.Dim(2), c = x.Dim(3);
        var mask = device.Allocate(n * c);
        device.DropoutMask(mask, rate, seed);
        var y = OpCheck.Like(x);
        device.ChannelMaskMultiply(x.Storage, mask, y.Storage, n, spatial, c);
        GradientTape.Record(y, [x], (dy, needs) =>
        {
            var dx = OpCheck.Like(x);
            device.ChannelMaskMultiply(dy.Storage, mask, dx.Storage, n, spatial, c);
            return [dx];
        }, saved: []);
        return y;
    }
}
