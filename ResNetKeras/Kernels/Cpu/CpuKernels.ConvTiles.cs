using System.Buffers;
using System.Runtime.CompilerServices;

namespace ResNetKeras.Kernels.Cpu;

public sealed unsafe partial class CpuKernels
{
    /// <summary>
    /// Convolutions run as implicit GEMM on <see cref="ConvTiles"/> where the CPU has AVX-512 and the column count
    /// of the product (output channels; input channels for the data gradient) is a multiple of 16.
    /// </summary>
    internal static bool TilesFit(int columns) => ConvTiles.IsSupported && columns % 16 == 0 && columns > 0;

    /// <summary>
    /// Images are the work items; with fewer images than twice the threads, each image's output rows are split
    /// into bands too. Every output element is computed the same way whichever band holds it, so this choice never
    /// changes a result.
    /// </summary>
    private static int BandCount(int batch, int outH)
    {
        int want = 2 * CpuParallel.MaxDegreeOfParallelism;
        return batch >= want ? 1 : Math.Min(outH, (want + batch - 1) / batch);
    }

    internal static void ForwardTiles(float[] x, float[] w, float[]? bias, float[] y, in ConvGeometry g)
    {
        var geo = g;
        int bands = BandCount(g.Batch, g.OutH), bandRows = (g.OutH + bands - 1) / bands;
        int padSize = ((bandRows - 1) * g.StrideH + g.KernelH) * ((g.OutW - 1) * g.StrideW + g.KernelW) * g.InC;
        CpuParallel.For(g.Batch * bands, item =>
        {
            int n = item / bands, oh0 = item % bands * bandRows, oh1 = Math.Min(geo.OutH, oh0 + bandRows);
            if (oh0 >= oh1) return;
            var pad = ArrayPool<float>.Shared.Rent(padSize);
            try
            {
                fixed (float* px = x, pw = w, pb = bias, py = y, pp = pad)
                    ImplicitConvRows(px + (long)n * geo.InImage, geo.InH, geo.InW, geo.InC, geo.PadTop, geo.PadLeft, geo.KernelH, geo.KernelW,
                        geo.StrideH, geo.StrideW, geo.OutW, oh0, oh1, pw, pb, geo.OutC, py + (long)n * geo.OutImage, pp);
            }
            finally { ArrayPool<float>.Shared.Return(pad); }
        });
    }

    /// <summary>
    /// Stride 1 only: dx is the 'full' correlation of dy with the kernel rotated by 180° and its channel axes
    /// swapped, i.e. a forward convolution of dy padded by (k − 1 − pad) on the leading sides.
    /// </summary>
    internal static void BackwardDataTiles(float[] dy, float[] w, float[] dx, in ConvGeometry g)
    {
        var geo = g;
        int kh = g.KernelH, kw = g.KernelW, cin = g.InC, cout = g.OutC;
        var rotated = ArrayPool<float>.Shared.Rent(kh * kw * cin * cout);
        for (int i = 0; i < kh; i++)
            for (int j = 0; j < kw; j++)
                for (int c = 0; c < cin; c++)
                {
                    int src = ((i * kw + j) * cin + c) * cout, dst = ((kh - 1 - i) * kw + (kw - 1 - j)) * cout * cin + c;
                    for (int o = 0; o < cout; o++) rotated[dst + o * cin] = w[src + o];
                }
        int bands = BandCount(g.Batch, g.InH), bandRows = (g.InH + bands - 1) / bands;
        int padSize = (bandRows - 1 + kh) * (g.InW - 1 + kw) * cout;
        try
        {
            CpuParallel.For(g.Batch * bands, item =>
            {
                int n = item / bands, r0 = item % bands * bandRows, r1 = Math.Min(geo.InH, r0 + bandRows);
                if (r0 >= r1) return;
                var pad = ArrayPool<float>.Shared.Rent(padSize);
                try
                {
                    fixed (float* pdy = dy, pw = rotated, pdx = dx, pp = pad)
                        ImplicitConvRows(pdy + (long)n * geo.OutImage, geo.OutH, geo.OutW, cout, kh - 1 - geo.PadTop, kw - 1 - geo.PadLeft, kh, kw,
                            1, 1, geo.InW, r0, r1, pw, null, cin, pdx + (long)n * geo.InImage, pp);
                }
                finally { ArrayPool<float>.Shared.Return(pad); }
            });
        }
        finally { ArrayPool<float>.Shared.Return(rotated); }
    }

    /// <summary>
    /// Output rows [oh0, oh1) of one image of a convolution with n (multiple of 16) output channels: copies the
    /// input rows they read into a zero-padded band, then each output row is one tile row block whose A rows are
    /// the output pixels (stride·c apart) and whose k runs over kernel rows (segments) and (kw, c) within one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ImplicitConvRows(float* x, int inH, int inW, int c, int padTop, int padLeft, int kh, int kw, int sh, int sw,
        int outW, int oh0, int oh1, float* w, float* bias, int n, float* y, float* pad)
    {
        int wp = (outW - 1) * sw + kw, hb = (oh1 - oh0 - 1) * sh + kh, rowLen = wp * c;
        int c0 = Math.Max(0, padLeft), c1 = Math.Min(wp, inW + padLeft);
        for (int r = 0; r < hb; r++)
        {
            float* dst = pad + (long)r * rowLen;
            int ih = oh0 * sh - padTop + r;
            if ((uint)ih >= (uint)inH || c0 >= c1)
            {
                Zero(dst, rowLen);
                continue;
            }
            Zero(dst, c0 * c);
            Copy(x + ((long)ih * inW + c0 - padLeft) * c, dst + c0 * c, (c1 - c0) * c);
            Zero(dst + c1 * c, (wp - c1) * c);
        }
        switch (sw * c)
        {
            case 3: ConvRows(new K3(), pad, rowLen, sh, kh, kw * c, outW, oh0, oh1, w, bias, n, y); break;
            case 16: ConvRows(new K16(), pad, rowLen, sh, kh, kw * c, outW, oh0, oh1, w, bias, n, y); break;
            case 32: ConvRows(new K32(), pad, rowLen, sh, kh, kw * c, outW, oh0, oh1, w, bias, n, y); break;
            case 64: ConvRows(new K64(), pad, rowLen, sh, kh, kw * c, outW, oh0, oh1, w, bias, n, y); break;
            default: ConvRows(new KDyn(sw * c), pad, rowLen, sh, kh, kw * c, outW, oh0, oh1, w, bias, n, y); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ConvRows<TS>(TS rs, float* pad, int rowLen, int sh, int kh, int run, int outW, int oh0, int oh1, float* w, float* bias, int n, float* y)
        where TS : struct, IConst
    {
        for (int oh = oh0; oh < oh1; oh++)
            ConvTiles.Rows(rs, outW, n, kh, run, pad + (long)(oh - oh0) * sh * rowLen, 1, rowLen, w, n, (nint)run * n, y + (long)oh * outW * n, n, accumulate: false, bias);
    }

    private static int CeilDiv(int a, int b) => a >= 0 ? (a + b - 1) / b : -(-a / b);

    private static int FloorDiv(int a, int b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    /// <summary>
    /// dW[(i, j, c), o] = Σ_images Σ_pixels x[oh·sh + i − pt, ow·sw + j − pl, c]·dy[oh, ow, o], for each kernel tap over
    /// the rectangle of output pixels whose input lies inside the image (no padding copy). Images are summed in fixed
    /// chunks, each chunk into its own partial, and the partials in chunk order.
    /// </summary>
    internal static void BackwardFilterTiles(float[] x, float[] dy, float[] dw, in ConvGeometry g)
    {
        var geo = g;
        int taps = g.KernelH * g.KernelW, wSize = taps * g.InC * g.OutC, tapSize = g.InC * g.OutC;
        int chunkImages = FilterChunkImages(g.Batch, wSize), chunks = CpuParallel.ChunkCount(g.Batch, chunkImages);
        int groups = chunks >= 2 * CpuParallel.MaxDegreeOfParallelism ? 1 : taps;
        var parts = ArrayPool<float>.Shared.Rent(chunks * wSize);
        try
        {
            CpuParallel.For(chunks * groups, item =>
            {
                int ch = item / groups, t0 = groups == 1 ? 0 : item % groups, t1 = groups == 1 ? taps : t0 + 1;
                fixed (float* px = x, pdy = dy, pparts = parts)
                {
                    float* part = pparts + (long)ch * wSize;
                    Zero(part + t0 * tapSize, (t1 - t0) * tapSize);
                    int end = Math.Min(geo.Batch, (ch + 1) * chunkImages);
                    for (int img = ch * chunkImages; img < end; img++)
                        for (int t = t0; t < t1; t++)
                            FilterTap(px + (long)img * geo.InImage, pdy + (long)img * geo.OutImage, part + t * tapSize, t / geo.KernelW, t % geo.KernelW, geo);
                }
            });
            SumPartials(parts, chunks, wSize, dw);
        }
        finally { ArrayPool<float>.Shared.Return(parts); }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FilterTap(float* x, float* dy, float* dwTap, int i, int j, in ConvGeometry g)
    {
        int oh0 = Math.Max(0, CeilDiv(g.PadTop - i, g.StrideH)), oh1 = Math.Min(g.OutH, FloorDiv(g.InH - 1 + g.PadTop - i, g.StrideH) + 1);
        int ow0 = Math.Max(0, CeilDiv(g.PadLeft - j, g.StrideW)), ow1 = Math.Min(g.OutW, FloorDiv(g.InW - 1 + g.PadLeft - j, g.StrideW) + 1);
        if (oh0 >= oh1 || ow0 >= ow1) return;
        int ih0 = oh0 * g.StrideH + i - g.PadTop, iw0 = ow0 * g.StrideW + j - g.PadLeft, c = g.InC, n = g.OutC;
        ConvTiles.Rows(new K1(), c, n, oh1 - oh0, ow1 - ow0, x + ((long)ih0 * g.InW + iw0) * c, (nint)g.StrideW * c, (nint)g.StrideH * g.InW * c,
            dy + ((long)oh0 * g.OutW + ow0) * n, n, (nint)g.OutW * n, dwTap, n, accumulate: true);
    }
}
