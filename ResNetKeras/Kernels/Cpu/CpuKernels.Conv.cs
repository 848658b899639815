using System.Buffers;

namespace ResNetKeras.Kernels.Cpu;

public sealed unsafe partial class CpuKernels
{
    /// <summary>Images per partial filter gradient (at least): fixed, so the summation order never depends on threads.</summary>
    internal const int FilterGradChunk = 4;

    /// <summary>Floats all partial filter gradients of one call may take together (32 MB), so wide layers stay bounded.</summary>
    internal const int PartialBudget = 1 << 23;

    /// <summary>
    /// Images per chunk of a filter gradient whose partial sums have <paramref name="partialFloats"/> floats: 4, or more
    /// when the batch's partials would exceed <see cref="PartialBudget"/>. Depends only on the shapes, never on threads.
    /// </summary>
    internal static int FilterChunkImages(int batch, int partialFloats) =>
        (int)Math.Max(FilterGradChunk, ((long)batch * partialFloats + PartialBudget - 1) / PartialBudget);

    /// <summary>Floats per work item when partial sums are combined.</summary>
    private const int SumSlice = 4096;

    /// <summary>
    /// dst[i] = Σ_k parts[k·size + i] for k = 0, 1, … in that order, in slices across threads: every element is summed
    /// by one thread in chunk order, so the result does not depend on the thread count.
    /// </summary>
    internal static void SumPartials(float[] parts, int count, int size, float[] dst)
    {
        CpuParallel.For(CpuParallel.ChunkCount(size, SumSlice), sl =>
        {
            int start = sl * SumSlice, len = Math.Min(size - start, SumSlice);
            fixed (float* pp = parts, pd = dst)
            {
                Copy(pp + start, pd + start, len);
                for (int k = 1; k < count; k++) AddTo(pp + (long)k * size + start, pd + start, len);
            }
        });
    }

    private static bool IsPointwise(in ConvGeometry g) =>
        g.KernelH == 1 && g.KernelW == 1 && g.StrideH == 1 && g.StrideW == 1 && g.PadTop == 0 && g.PadLeft == 0;

    // im2col moves one pixel's channels at a time (16-64 floats in the ResNets); inline vector loops avoid the
    // per-call overhead of span copies, which dominated the convolution for small channel counts.
    private static void Copy(float* src, float* dst, int n)
    {
        int i = 0;
        if (System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated)
            for (; i <= n - 8; i += 8) System.Runtime.Intrinsics.Vector256.Store(System.Runtime.Intrinsics.Vector256.Load(src + i), dst + i);
        for (; i < n; i++) dst[i] = src[i];
    }

    private static void Zero(float* dst, int n)
    {
        int i = 0;
        if (System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated)
            for (; i <= n - 8; i += 8) System.Runtime.Intrinsics.Vector256.Store(System.Runtime.Intrinsics.Vector256<float>.Zero, dst + i);
        for (; i < n; i++) dst[i] = 0f;
    }

    private static void AddTo(float* src, float* dst, int n)
    {
        int i = 0;
        if (System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated)
            for (; i <= n - 8; i += 8)
                System.Runtime.Intrinsics.Vector256.Store(System.Runtime.Intrinsics.Vector256.Load(dst + i) + System.Runtime.Intrinsics.Vector256.Load(src + i), dst + i);
        for (; i < n; i++) dst[i] += src[i];
    }

    /// <summary>im2col of one NHWC image: row (oh, ow) holds the kh·kw·Cin window values (zero outside), HWIO order.</summary>
    private static void Im2Col(float* x, float* col, in ConvGeometry g)
    {
        int k = g.KernelH * g.KernelW * g.InC;
        for (int oh = 0; oh < g.OutH; oh++)
            for (int ow = 0; ow < g.OutW; ow++)
            {
                float* row = col + (oh * g.OutW + ow) * k;
                for (int kh = 0; kh < g.KernelH; kh++)
                {
                    int ih = oh * g.StrideH + kh - g.PadTop;
                    for (int kw = 0; kw < g.KernelW; kw++)
                    {
                        int iw = ow * g.StrideW + kw - g.PadLeft;
                        float* dst = row + (kh * g.KernelW + kw) * g.InC;
                        if ((uint)ih < (uint)g.InH && (uint)iw < (uint)g.InW) Copy(x + (ih * g.InW + iw) * g.InC, dst, g.InC);
                        else Zero(dst, g.InC);
                    }
                }
            }
    }

    /// <summary>The adjoint of <see cref="Im2Col"/>: adds each window row back onto the image gradient.</summary>
    private static void Col2ImAdd(float* col, float* dx, in ConvGeometry g)
    {
        int k = g.KernelH * g.KernelW * g.InC;
        for (int oh = 0; oh < g.OutH; oh++)
            for (int ow = 0; ow < g.OutW; ow++)
            {
                float* row = col + (oh * g.OutW + ow) * k;
                for (int kh = 0; kh < g.KernelH; kh++)
                {
                    int ih = oh * g.StrideH + kh - g.PadTop;
                    if ((uint)ih >= (uint)g.InH) continue;
                    for (int kw = 0; kw < g.KernelW; kw++)
                    {
                        int iw = ow * g.StrideW + kw - g.PadLeft;
                        if ((uint)iw >= (uint)g.InW) continue;
                        AddTo(row + (kh * g.KernelW + kw) * g.InC, dx + (ih * g.InW + iw) * g.InC, g.InC);
                    }
                }
            }
    }

    /// <inheritdoc/>
    public void Conv2DForward(float[] x, float[] w, float[]? bias, float[] y, in ConvGeometry g)
    {
        if (WinogradFits(g)) WinogradForward(x, w, bias, y, g);
        else if (TilesFit(g.OutC)) ForwardTiles(x, w, bias, y, g);
        else Im2ColForward(x, w, bias, y, g);
    }

    /// <summary>Forward by im2col per image and <see cref="Sgemm"/> (any CPU, any channel count).</summary>
    internal static void Im2ColForward(float[] x, float[] w, float[]? bias, float[] y, in ConvGeometry g)
    {
        var geo = g;
        int m = g.OutH * g.OutW, k = g.KernelH * g.KernelW * g.InC;
        bool pointwise = IsPointwise(g);
        CpuParallel.For(g.Batch, n =>
        {
            float[]? col = pointwise ? null : ArrayPool<float>.Shared.Rent(m * k);
            try
            {
                fixed (float* px = x, pw = w, py = y)
                fixed (float* pcol = col)
                {
                    float* xi = px + (long)n * geo.InImage;
                    float* a = xi;
                    if (!pointwise)
                    {
                        Im2Col(xi, pcol, geo);
                        a = pcol;
                    }
                    float* yi = py + (long)n * geo.OutImage;
                    Sgemm.Multiply(m, geo.OutC, k, a, k, 1, pw, geo.OutC, yi, geo.OutC, accumulate: false);
                    if (bias is not null)
                        fixed (float* pb = bias)
                            for (int r = 0; r < m; r++) AddTo(pb, yi + (long)r * geo.OutC, geo.OutC);
                }
            }
            finally { if (col is not null) ArrayPool<float>.Shared.Return(col); }
        });
    }

    /// <inheritdoc/>
    public void Conv2DBackwardData(float[] dy, float[] w, float[] dx, in ConvGeometry g)
    {
        if (WinogradFits(g)) WinogradBackwardData(dy, w, dx, g);
        else if (g.StrideH == 1 && g.StrideW == 1 && TilesFit(g.InC)) BackwardDataTiles(dy, w, dx, g);
        else Im2ColBackwardData(dy, w, dx, g);
    }

    /// <summary>Data gradient by dY·Wᵀ per image (<see cref="Sgemm"/>) and col2im.</summary>
    internal static void Im2ColBackwardData(float[] dy, float[] w, float[] dx, in ConvGeometry g)
    {
        var geo = g;
        int m = g.OutH * g.OutW, k = g.KernelH * g.KernelW * g.InC;
        bool pointwise = IsPointwise(g);
        // Wᵀ (Cout × K) once, so each image's dCol = dY·Wᵀ is a plain row-major product.
        var wt = ArrayPool<float>.Shared.Rent(k * g.OutC);
        for (int p = 0; p < k; p++)
            for (int o = 0; o < g.OutC; o++) wt[o * k + p] = w[p * g.OutC + o];
        try
        {
            CpuParallel.For(g.Batch, n =>
            {
                float[]? col = pointwise ? null : ArrayPool<float>.Shared.Rent(m * k);
                try
                {
                    fixed (float* pdy = dy, pwt = wt, pdx = dx)
                    fixed (float* pcol = col)
                    {
                        float* dxi = pdx + (long)n * geo.InImage;
                        float* dyi = pdy + (long)n * geo.OutImage;
                        if (pointwise) Sgemm.Multiply(m, k, geo.OutC, dyi, geo.OutC, 1, pwt, k, dxi, k, accumulate: false);
                        else
                        {
                            Sgemm.Multiply(m, k, geo.OutC, dyi, geo.OutC, 1, pwt, k, pcol, k, accumulate: false);
                            new Span<float>(dxi, geo.InImage).Clear();
                            Col2ImAdd(pcol, dxi, geo);
                        }
                    }
                }
                finally { if (col is not null) ArrayPool<float>.Shared.Return(col); }
            });
        }
        finally { ArrayPool<float>.Shared.Return(wt); }
    }

    /// <inheritdoc/>
    public void Conv2DBackwardFilter(float[] x, float[] dy, float[] dw, in ConvGeometry g)
    {
        // With 16 channels Winograd's transforms of x and dy cost what its saved multiplies gain (measured 5.8-9.1 ms
        // against 5.5-6.8 ms for the direct tiles per 128 images of 32x32x16); from 32 channels on it is ~20% faster.
        // Winograd's 16 partial planes per chunk must also leave room for 8 chunks or more in the partial budget.
        if (WinogradFits(g) && g.InC >= 32 && g.OutC >= 32 && 16L * g.InC * g.OutC * 8 <= PartialBudget) WinogradBackwardFilter(x, dy, dw, g);
        else if (TilesFit(g.OutC)) BackwardFilterTiles(x, dy, dw, g);
        else Im2ColBackwardFilter(x, dy, dw, g);
    }

    /// <summary>Filter gradient by im2col per image and colᵀ·dY (<see cref="Sgemm"/>), images summed in fixed chunks.</summary>
    internal static void Im2ColBackwardFilter(float[] x, float[] dy, float[] dw, in ConvGeometry g)
    {
        var geo = g;
        int m = g.OutH * g.OutW, k = g.KernelH * g.KernelW * g.InC;
        int wSize = k * g.OutC;
        bool pointwise = IsPointwise(g);
        int chunkImages = FilterChunkImages(g.Batch, wSize), chunks = CpuParallel.ChunkCount(g.Batch, chunkImages);
        var parts = new float[chunks][];
        CpuParallel.For(chunks, ch =>
        {
            var acc = Rent(wSize);
            float[]? col = pointwise ? null : ArrayPool<float>.Shared.Rent(m * k);
            try
            {
                fixed (float* px = x, pdy = dy, pacc = acc)
                fixed (float* pcol = col)
                {
                    int end = Math.Min(geo.Batch, (ch + 1) * chunkImages);
                    for (int n = ch * chunkImages; n < end; n++)
                    {
                        float* xi = px + (long)n * geo.InImage;
                        float* a = xi;
                        if (!pointwise)
                        {
                            Im2Col(xi, pcol, geo);
                            a = pcol;
                        }
                        // dW (K × Cout) += colᵀ·dY: op(A) = colᵀ read through strides (row stride 1, column stride K).
                        Sgemm.Multiply(k, geo.OutC, m, a, 1, k, pdy + (long)n * geo.OutImage, geo.OutC, pacc, geo.OutC, accumulate: true);
                    }
                }
            }
            finally { if (col is not null) ArrayPool<float>.Shared.Return(col); }
            parts[ch] = acc;
        });
        Array.Clear(dw, 0, wSize);
        foreach (var p in parts)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(dw.AsSpan(0, wSize), p.AsSpan(0, wSize), dw.AsSpan(0, wSize));
            Return(p);
        }
    }
}
