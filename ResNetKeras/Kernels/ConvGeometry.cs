namespace ResNetKeras.Kernels;

/// <summary>
/// Shapes of one 2-D convolution or pooling over NHWC input: batch, input size, window, strides and
/// the padding already resolved to explicit top/left amounts (TF 'same' puts the odd pixel bottom/right).
/// </summary>
public readonly record struct ConvGeometry(
    int Batch, int InH, int InW, int InC,
    int KernelH, int KernelW, int OutC,
    int StrideH, int StrideW,
    int OutH, int OutW,
    int PadTop, int PadLeft)
{
    /// <summary>Resolves output size and padding as TensorFlow does for "same" and "valid".</summary>
    public static ConvGeometry Create(int batch, int inH, int inW, int inC, int kh, int kw, int outC, int sh, int sw, bool same)
    {
        int oh, ow, pt = 0, pl = 0;
        if (same)
        {
            oh = (inH + sh - 1) / sh;
            ow = (inW + sw - 1) / sw;
            int ph = Math.Max((oh - 1) * sh + kh - inH, 0);
            int pw = Math.Max((ow - 1) * sw + kw - inW, 0);
            pt = ph / 2;
            pl = pw / 2;
        }
        else
        {
            oh = (inH - kh) / sh + 1;
            ow = (inW - kw) / sw + 1;
        }
        return new ConvGeometry(batch, inH, inW, inC, kh, kw, outC, sh, sw, oh, ow, pt, pl);
    }

    /// <summary>
    /// <see cref="Create(int, int, int, int, int, int, int, int, int, bool)"/> for a dilated window: sizes and padding
    /// follow the effective extent (k − 1)·d + 1 as TensorFlow's, while KernelH/KernelW stay the number of taps.
    /// </summary>
    public static ConvGeometry Create(int batch, int inH, int inW, int inC, int kh, int kw, int outC, int sh, int sw, bool same, int dilationH, int dilationW) =>
        Create(batch, inH, inW, inC, (kh - 1) * dilationH + 1, (kw - 1) * dilationW + 1, outC, sh, sw, same) with { KernelH = kh, KernelW = kw };

    /// <summary>Elements of one input image.</summary>
    public int InImage => InH * InW * InC;

    /// <summary>Elements of one output image.</summary>
    public int OutImage => OutH * OutW * OutC;
}
