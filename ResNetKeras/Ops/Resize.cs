using ResNetKeras.Engine;

namespace ResNetKeras.Ops;

public static partial class Op
{
    /// <summary>
    /// Resizes NHWC images to (<paramref name="height"/>, <paramref name="width"/>) as Keras 3's
    /// <c>keras.ops.image.resize</c> on TensorFlow (<c>tf.image.resize</c>: half-pixel centers, no antialiasing);
    /// <paramref name="interpolation"/> is "bilinear" or "nearest".
    /// </summary>
    public static Tensor Resize(Tensor x, int height, int width, string interpolation = "bilinear")
    {
        const string op = "Resize";
        OpCheck.Rank(op, "x", x, 4, "(batch, height, width, channels)");
        OpCheck.Positive(op, "height", height);
        OpCheck.Positive(op, "width", width);
        bool bilinear = ParseInterpolation(op, interpolation);
        int n = x.Dim(0), h = x.Dim(1), w = x.Dim(2), c = x.Dim(3);
        var y = Tensor.Rent(x.Device, [n, height, width, c], zeroed: false);
        x.Device.Resize2DForward(bilinear, x.Storage, y.Storage, n, h, w, c, height, width);
        GradientTape.Record(y, [x], (dy, needs) =>
        {
            var dx = OpCheck.Like(x);
            x.Device.Resize2DBackward(bilinear, dy.Storage, dx.Storage, n, h, w, c, height, width);
            return [dx];
        }, saved: []);
        return y;
    }

    internal static bool ParseInterpolation(string op, string interpolation)
    {
        OpCheck.NotNull(op, "interpolation", interpolation);
        return interpolation switch
        {
            "bilinear" => true,
            "nearest" => false,
            _ => throw new ArgumentException($"{op}: invalid value for argument `interpolation`. Expected one of {{\"bilinear\", \"nearest\"}}. Received interpolation={interpolation}.", nameof(interpolation)),
        };
    }
}
