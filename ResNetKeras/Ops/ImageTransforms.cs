using ResNetKeras.Engine;
using ResNetKeras.Kernels;

namespace ResNetKeras.Ops;

public static partial class Op
{
    /// <summary>
    /// Projective transform of NHWC images (Keras 3's <c>keras.ops.image.affine_transform</c> on TensorFlow,
    /// ImageProjectiveTransformV3): <paramref name="transforms"/> is (batch, 8), output pixel (x, y) reading the input
    /// at ((a0·x + a1·y + a2)/k, (b0·x + b1·y + b2)/k), k = c0·x + c1·y + 1. Differentiable in x only.
    /// </summary>
    public static Tensor AffineTransform(Tensor x, Tensor transforms, string interpolation = "bilinear", string fillMode = "constant", float fillValue = 0f)
    {
        const string op = "AffineTransform";
        OpCheck.Rank(op, "x", x, 4, "(batch, height, width, channels)");
        OpCheck.Rank(op, "transforms", transforms, 2, "(batch, 8)");
        if (transforms.Dim(0) != x.Dim(0) || transforms.Dim(1) != 8)
            throw new ArgumentException($"{op}: expected `transforms` of shape ({x.Dim(0)}, 8) for x of shape {ShapeUtil.Format(x.ShapeSpan)}; received {ShapeUtil.Format(transforms.ShapeSpan)}.", nameof(transforms));
        bool bilinear = ParseInterpolation(op, interpolation);
        var mode = ParseFillMode(op, fillMode);
        OpCheck.SameDevice(op, x, transforms);
        int n = x.Dim(0), h = x.Dim(1), w = x.Dim(2), c = x.Dim(3);
        var y = OpCheck.Like(x);
        x.Device.AffineTransform2DForward(x.Storage, transforms.Storage, y.Storage, n, h, w, c, bilinear, mode, fillValue);
        GradientTape.Record(y, [x], (dy, needs) =>
        {
            var dx = OpCheck.Like(x);
            x.Device.AffineTransform2DBackward(dy.Storage, transforms.Storage, dx.Storage, n, h, w, c, bilinear, mode);
            return [dx];
        }, saved: [transforms]);
        return y;
    }

    internal static AffineFillMode ParseFillMode(string op, string fillMode)
    {
        OpCheck.NotNull(op, "fillMode", fillMode);
        return fillMode switch
        {
            "reflect" => AffineFillMode.Reflect,
            "wrap" => AffineFillMode.Wrap,
            "constant" => AffineFillMode.Constant,
            "nearest" => AffineFillMode.Nearest,
            _ => throw new ArgumentException($"{op}: invalid value for argument `fill_mode`. Expected one of {{\"reflect\", \"wrap\", \"constant\", \"nearest\"}}. Received fill_mode={fillMode}.", nameof(fillMode)),
        };
    }

    /// <summary>
    /// Keras's RandomContrast step: per image b, clip((x − μ)·factors[b] + μ, low, high) with μ the per-channel mean of
    /// the image. Differentiable in x only.
    /// </summary>
    public static Tensor AdjustContrast(Tensor x, Tensor factors, float low, float high)
    {
        const string op = "AdjustContrast";
        OpCheck.Rank(op, "x", x, 4, "(batch, height, width, channels)");
        OpCheck.Rank(op, "factors", factors, 1, "(batch,)");
        if (factors.Dim(0) != x.Dim(0))
            throw new ArgumentException($"{op}: expected one factor per image ({x.Dim(0)}); received `factors` of shape {ShapeUtil.Format(factors.ShapeSpan)}.", nameof(factors));
        if (!(low <= high))
            throw new ArgumentException($"{op}: expected low <= high; received low={low}, high={high}.", nameof(low));
        OpCheck.SameDevice(op, x, factors);
        int n = x.Dim(0), spatial = x.Dim(1) * x.Dim(2), c = x.Dim(3);
        var y = OpCheck.Like(x);
        x.Device.AdjustContrastForward(x.Storage, factors.Storage, y.Storage, n, spatial, c, low, high);
        GradientTape.Record(y, [x], (dy, needs) =>
        {
            var dx = OpCheck.Like(x);
            x.Device.AdjustContrastBackward(x.Storage, dy.Storage, factors.Storage, dx.Storage, n, spatial, c, low, high);
            return [dx];
        }, saved: [x, factors]);
        return y;
    }
}
