using ResNetKeras.Engine;
using ResNetKeras.Kernels;

namespace ResNetKeras.Ops;

public static partial class Op
{
    /// <summary>
    /// Output length of a transposed convolution (Keras 3's <c>compute_conv_transpose_output_shape</c> /
    /// <c>deconv_output_length</c>): without output padding, "valid" gives in·s + max(k − s, 0) and "same" in·s;
    /// with output padding p, (in − 1)·s + k − 2·pad + p where pad is k / 2 for "same" and 0 for "valid"
    /// (k the dilated extent).
    /// </summary>
    public static int ConvTransposeOutputLength(int input, int kernel, int stride, bool same, int? outputPadding, int dilation = 1)
    {
        int k = (kernel - 1) * dilation + 1;
        if (outputPadding is not int p) return same ? input * stride : input * stride + Math.Max(k - stride, 0);
        return (input - 1) * stride + k - 2 * (same ? k / 2 : 0) + p;
    }

    /// <summary>
    /// Transposed 2-D convolution (<c>tf.nn.conv2d_transpose</c>, Keras's Conv2DTranspose): the gradient of a
    /// convolution with respect to its input. <paramref name="kernel"/> is Keras's (kh, kw, filters, in_channels);
    /// the output is (n, H, W, filters) with H, W from <see cref="ConvTransposeOutputLength"/>.
    /// </summary>
    public static Tensor Conv2DTranspose(Tensor x, Tensor kernel, Tensor? bias, int strideH, int strideW, string padding,
        int? outputPaddingH = null, int? outputPaddingW = null, int dilationH = 1, int dilationW = 1)
    {
        const string op = "Conv2DTranspose";
        OpCheck.Rank(op, "x", x, 4, "(batch, height, width, channels)");
        OpCheck.Rank(op, "kernel", kernel, 4, "(kernel_h, kernel_w, filters, in_channels)");
        OpCheck.Positive(op, "strideH", strideH);
        OpCheck.Positive(op, "strideW", strideW);
        OpCheck.Positive(op, "dilationH", dilationH);
        OpCheck.Positive(op, "dilationW", dilationW);
        bool same = OpCheck.IsSame(op, padding);
        int n = x.Dim(0), h = x.Dim(1), w = x.Dim(2), c = x.Dim(3);
        int kh = kernel.Dim(0), kw = kernel.Dim(1), f = kernel.Dim(2), kc = kernel.Dim(3);
        if (kc != c)
            throw new ArgumentException($"{op}: input of shape {ShapeUtil.Format(x.ShapeSpan)} has {c} channels but kernel of shape {ShapeUtil.Format(kernel.ShapeSpan)} expects {kc} (its last axis).", nameof(kernel));
        if (bias is not null && (bias.Rank != 1 || bias.Dim(0) != f))
            throw new ArgumentException($"{op}: expected `bias` of shape ({f},) to match the kernel of shape {ShapeUtil.Format(kernel.ShapeSpan)}; received shape {ShapeUtil.Format(bias.ShapeSpan)}.", nameof(bias));
        if (outputPaddingH is int ph && (ph < 0 || ph >= strideH))
            throw new ArgumentException($"{op}: invalid value for argument `output_padding`. Expected 0 <= output_padding < stride ({strideH}). Received output_padding={ph}.", nameof(outputPaddingH));
        if (outputPaddingW is int pw && (pw < 0 || pw >= strideW))
            throw new ArgumentException($"{op}: invalid value for argument `output_padding`. Expected 0 <= output_padding < stride ({strideW}). Received output_padding={pw}.", nameof(outputPaddingW));
        OpCheck.SameDevice(op, x, kernel, bias);
        int oh = ConvTransposeOutputLength(h, kh, strideH, same, outputPaddingH, dilationH);
        int ow = ConvTransposeOutputLength(w, kw, strideW, same, outputPaddingW, dilationW);
        // The forward convolution this transposes: input (oh, ow, filters), output (h, w, c).
        var g = ConvGeometry.Create(n, oh, ow, f, kh, kw, c, strideH, strideW, same, dilationH, dilationW);
        if (oh <= 0 || ow <= 0 || g.OutH != h || g.OutW != w)
            throw new ArgumentException($"{op}: output size ({oh}, {ow}) does not invert a convolution to input of shape {ShapeUtil.Format(x.ShapeSpan)} with strides ({strideH}, {strideW}) and padding \"{padding}\"; check output_padding.", nameof(x));
        bool general = dilationH != 1 || dilationW != 1;
        var y = Tensor.Rent(x.Device, [n, oh, ow, f], zeroed: false);
        if (general) x.Device.Conv2DGeneralBackwardData(x.Storage, kernel.Storage, y.Storage, g, dilationH, dilationW, 1);
        else x.Device.Conv2DBackwardData(x.Storage, kernel.Storage, y.Storage, g);
        GradientTape.Record(y, [x, kernel], (dy, needs) =>
        {
            Tensor? dx = null, dk = null;
            if (needs[0])
            {
                dx = OpCheck.Like(x);
                if (general) x.Device.Conv2DGeneralForward(dy.Storage, kernel.Storage, null, dx.Storage, g, dilationH, dilationW, 1);
                else x.Device.Conv2DForward(dy.Storage, kernel.Storage, null, dx.Storage, g);
            }
            if (needs[1])
            {
                dk = OpCheck.Like(kernel);
                if (general) x.Device.Conv2DGeneralBackwardFilter(dy.Storage, x.Storage, dk.Storage, g, dilationH, dilationW, 1);
                else x.Device.Conv2DBackwardFilter(dy.Storage, x.Storage, dk.Storage, g);
            }
            return [dx, dk];
        }, saved: [x, kernel]);
        return bias is null ? y : BiasAdd(y, bias);
    }
}
