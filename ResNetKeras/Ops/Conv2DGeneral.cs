using ResNetKeras.Engine;
using ResNetKeras.Kernels;

namespace ResNetKeras.Ops;

public static partial class Op
{
    /// <summary>
    /// <see cref="Conv2D(Tensor, Tensor, Tensor?, int, int, string)"/> with Keras's <c>dilation_rate</c> and <c>groups</c>
    /// (<c>keras.ops.conv</c>): the kernel is (kh, kw, in/groups, filters) and each of the groups of filters sees only
    /// its slice of the input channels. Dilation 1 and one group run the ordinary (fast) convolution.
    /// </summary>
    public static Tensor Conv2D(Tensor x, Tensor kernel, Tensor? bias, int strideH, int strideW, string padding, int dilationH, int dilationW, int groups = 1)
    {
        const string op = "Conv2D";
        OpCheck.Positive(op, "dilationH", dilationH);
        OpCheck.Positive(op, "dilationW", dilationW);
        OpCheck.Positive(op, "groups", groups);
        if (dilationH == 1 && dilationW == 1 && groups == 1) return Conv2D(x, kernel, bias, strideH, strideW, padding);
        OpCheck.Rank(op, "x", x, 4, "(batch, height, width, channels)");
        OpCheck.Rank(op, "kernel", kernel, 4, "(kernel_h, kernel_w, in_channels / groups, filters)");
        OpCheck.Positive(op, "strideH", strideH);
        OpCheck.Positive(op, "strideW", strideW);
        bool same = OpCheck.IsSame(op, padding);
        int n = x.Dim(0), h = x.Dim(1), w = x.Dim(2), c = x.Dim(3);
        int kh = kernel.Dim(0), kw = kernel.Dim(1), kc = kernel.Dim(2), f = kernel.Dim(3);
        if (c % groups != 0 || f % groups != 0)
            throw new ArgumentException($"{op}: groups={groups} must divide both the input channels ({c}) and the filters ({f}).", nameof(groups));
        if (kc * groups != c)
            throw new ArgumentException($"{op}: input of shape {ShapeUtil.Format(x.ShapeSpan)} with groups={groups} expects a kernel with {c / groups} input channels; received kernel of shape {ShapeUtil.Format(kernel.ShapeSpan)}.", nameof(kernel));
        int ekh = (kh - 1) * dilationH + 1, ekw = (kw - 1) * dilationW + 1;
        if (!same && (ekh > h || ekw > w))
            throw new ArgumentException($"{op}: dilated kernel extent ({ekh}, {ekw}) is larger than the input of shape {ShapeUtil.Format(x.ShapeSpan)} with padding \"valid\".", nameof(kernel));
        if (bias is not null && (bias.Rank != 1 || bias.Dim(0) != f))
            throw new ArgumentException($"{op}: expected `bias` of shape ({f},) to match the kernel of shape {ShapeUtil.Format(kernel.ShapeSpan)}; received shape {ShapeUtil.Format(bias.ShapeSpan)}.", nameof(bias));
        OpCheck.SameDevice(op, x, kernel, bias);
        var g = ConvGeometry.Create(n, h, w, c, kh, kw, f, strideH, strideW, same, dilationH, dilationW);
        var y = Tensor.Rent(x.Device, [n, g.OutH, g.OutW, f], zeroed: false);
        x.Device.Conv2DGeneralForward(x.Storage, kernel.Storage, bias?.Storage, y.Storage, g, dilationH, dilationW, groups);
        GradientTape.Record(y, bias is null ? [x, kernel] : [x, kernel, bias], (dy, needs) =>
        {
            Tensor? dx = null, dk = null, db = null;
            if (needs[0])
            {
                dx = OpCheck.Like(x);
                x.Device.Conv2DGeneralBackwardData(dy.Storage, kernel.Storage, dx.Storage, g, dilationH, dilationW, groups);
            }
            if (needs[1])
            {
                dk = OpCheck.Like(kernel);
                x.Device.Conv2DGeneralBackwardFilter(x.Storage, dy.Storage, dk.Storage, g, dilationH, dilationW, groups);
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

    /// <summary>
    /// Depthwise 2-D convolution (<c>keras.ops.depthwise_conv</c>): the (kh, kw, in, multiplier) kernel gives each input
    /// channel c its own multiplier filters, output channel c·multiplier + m. It is the grouped convolution with
    /// groups = in, whose (kh, kw, 1, in·multiplier) kernel has the same memory layout.
    /// </summary>
    public static Tensor DepthwiseConv2D(Tensor x, Tensor kernel, Tensor? bias, int strideH, int strideW, string padding, int dilationH = 1, int dilationW = 1)
    {
        const string op = "DepthwiseConv2D";
        OpCheck.Rank(op, "x", x, 4, "(batch, height, width, channels)");
        OpCheck.Rank(op, "kernel", kernel, 4, "(kernel_h, kernel_w, in_channels, depth_multiplier)");
        int c = x.Dim(3);
        if (kernel.Dim(2) != c)
            throw new ArgumentException($"{op}: input of shape {ShapeUtil.Format(x.ShapeSpan)} has {c} channels but kernel of shape {ShapeUtil.Format(kernel.ShapeSpan)} expects {kernel.Dim(2)}.", nameof(kernel));
        var grouped = Reshape(kernel, kernel.Dim(0), kernel.Dim(1), 1, c * kernel.Dim(3));
        return Conv2D(x, grouped, bias, strideH, strideW, padding, dilationH, dilationW, groups: c);
    }
}
