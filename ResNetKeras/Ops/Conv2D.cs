using ResNetKeras.Engine;
using ResNetKeras.Kernels;

namespace ResNetKeras.Ops;

/// <summary>Differentiable primitives over float32 tensors (Keras 3's <c>keras.ops</c>); each runs on the device that holds its inputs.</summary>
public static partial class Op
{
    /// <summary>
    /// 2-D cross-correlation of NHWC <paramref name="x"/> with an HWIO <paramref name="kernel"/>, no bias
    /// (<c>tf.nn.conv2d</c>); "same" pads as TensorFlow (odd pixel bottom/right), "valid" does not pad.
    /// </summary>
    public static Tensor Conv2D(Tensor x, Tensor kernel, int strideH, int strideW, string padding) =>
        Conv2D(x, kernel, null, strideH, strideW, padding);

    /// <summary>
    /// <see cref="Conv2D(Tensor, Tensor, int, int, string)"/> plus a bias over the output channels, added inside the
    /// convolution kernel (one pass and one buffer less than <c>BiasAdd(Conv2D(...))</c>; Keras's Conv2D with use_bias).
    /// </summary>
    public static Tensor Conv2D(Tensor x, Tensor kernel, Tensor? bias, int strideH, int strideW, string padding)
    {
        const string op = "Conv2D";
        OpCheck.Rank(op, "x", x, 4, "(batch, height, width, channels)");
        OpCheck.Rank(op, "kernel", kernel, 4, "(kernel_h, kernel_w, in_channels, filters)");
        OpCheck.Positive(op, "strideH", strideH);
        OpCheck.Positive(op, "strideW", strideW);
        bool same = OpCheck.IsSame(op, padding);
        int n = x.Dim(0), h = x.Dim(1), w = x.Dim(2), c = x.Dim(3);
        int kh = kernel.Dim(0), kw = kernel.Dim(1), kc = kernel.Dim(2), f = kernel.Dim(3);
        if (kc != c)
            throw new ArgumentException($"{op}: input of shape {ShapeUtil.Format(x.ShapeSpan)} has {c} channels but kernel of shape {ShapeUtil.Format(kernel.ShapeSpan)} expects {kc}.", nameof(kernel));
        if (!same && (kh > h || kw > w))
            throw new ArgumentException($"{op}: kernel of shape {ShapeUtil.Format(kernel.ShapeSpan)} is larger than the input of shape {ShapeUtil.Format(x.ShapeSpan)} with padding \"valid\"; expected kernel_h <= {h} and kernel_w <= {w}.", nameof(kernel));
        if (bias is not null && (bias.Rank != 1 || bias.Dim(0) != f))
            throw new ArgumentException($"{op}: expected `bias` of shape ({f},) to match the kernel of shape {ShapeUtil.Format(kernel.ShapeSpan)}; received shape {ShapeUtil.Format(bias.ShapeSpan)}.", nameof(bias));
        OpCheck.SameDevice(op, x, kernel, bias);
        var g = ConvGeometry.Create(n, h, w, c, kh, kw, f, strideH, strideW, same);
        var y = Tensor.Rent(x.Device, [n, g.OutH, g.OutW, f], zeroed: false);
        x.Device.Conv2DForward(x.Storage, kernel.Storage, bias?.Storage, y.Storage, g);
        GradientTape.Record(y, bias is null ? [x, kernel] : [x, kernel, bias], (dy, needs) =>
        {
            Tensor? dx = null, dk = null, db = null;
            if (needs[0])
            {
                dx = OpCheck.Like(x);
                x.Device.Conv2DBackwardData(dy.Storage, kernel.Storage, dx.Storage, g);
            }
            if (needs[1])
            {
                dk = OpCheck.Like(kernel);
                x.Device.Conv2DBackwardFilter(x.Storage, dy.Storage, dk.Storage, g);
            }
            if (bias is not null && needs[2])
            {
                db = Tensor.Rent(x.Device, [f], zeroed: false);
                x.Device.ColumnSum(dy.Storage, db.Storage, f);
            }
            return bias is null ? [dx, dk] : [dx, dk, db];
        }, saved: [x, kernel]);
        return y;
    }
}
