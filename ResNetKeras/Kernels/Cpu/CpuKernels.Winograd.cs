using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ResNetKeras.Kernels.Cpu;

/// <summary>
/// 3×3 stride-1 convolutions by Winograd's minimal filtering F(2×2, 3×3) (Lavin and Gray, 2016): each 2×2 output tile
/// is Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A for its 4×4 input tile d, summed over input channels, so the channel sums become
/// 16 independent products (tiles × C)·(C × O) with 16 multiplies per tile and channel pair instead of 36.
/// The products run on the <see cref="ConvTiles"/> register tiles; transforms are 16-channel vector adds.
/// The data gradient is the same forward on dy with the rotated kernel; the filter gradient is the exact adjoint:
/// dU = Σ_tiles Vᵀ·(A dY Aᵀ) per tile position, then dg = Gᵀ dU G; it runs for 32 channels and more, where it beats
/// the direct filter tiles by about 20% (with 16 channels the transforms cost what the saved multiplies gain).
/// Images are independent work items and the filter gradient sums fixed 4-image chunks in order, so results do not
/// depend on the thread count.
/// </summary>
public sealed unsafe partial class CpuKernels
{
    /// <summary>Whether Winograd runs: 3×3, stride 1, channel counts multiples of 16, AVX-512.</summary>
    internal static bool WinogradFits(in ConvGeometry g) =>
        ConvTiles.IsSupported && g.KernelH == 3 && g.KernelW == 3 && g.StrideH == 1 && g.StrideW == 1
        && g.InC % 16 == 0 && g.OutC % 16 == 0 && g.InC > 0 && g.OutC > 0;

    /// <summary>U[ξ][c][o] = (G g Gᵀ)[ξ] for the HWIO kernel w (3, 3, c, o); 16 (c, o) pairs per vector (c·o is a multiple of 16).</summary>
    private static float[] WinogradWeights(float[] w, int cin, int cout)
    {
        int plane = cin * cout;
        var u = ArrayPool<float>.Shared.Rent(16 * plane);
        var half = Vector512.Create(0.5f);
        fixed (float* pw = w, pu = u)
            for (int p = 0; p < plane; p += 16)
            {
                var g00 = Vector512.Load(pw + p); var g01 = Vector512.Load(pw + plane + p); var g02 = Vector512.Load(pw + 2 * plane + p);
                var g10 = Vector512.Load(pw + 3 * plane + p); var g11 = Vector512.Load(pw + 4 * plane + p); var g12 = Vector512.Load(pw + 5 * plane + p);
                var g20 = Vector512.Load(pw + 6 * plane + p); var g21 = Vector512.Load(pw + 7 * plane + p); var g22 = Vector512.Load(pw + 8 * plane + p);
                // Rows of G·g (4×3), then each row times Gᵀ. G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1].
                float* o = pu + p;
                WeightRow(g00, g01, g02, o, plane);
                WeightRow(half * (g00 + g10 + g20), half * (g01 + g11 + g21), half * (g02 + g12 + g22), o + 4 * plane, plane);
                WeightRow(half * (g00 - g10 + g20), half * (g01 - g11 + g21), half * (g02 - g12 + g22), o + 8 * plane, plane);
                WeightRow(g20, g21, g22, o + 12 * plane, plane);
            }
        return u;
    }

    /// <summary>One row r of G·g times Gᵀ: r0, ½(r0 + r1 + r2), ½(r0 − r1 + r2), r2 into four consecutive planes.</summary>
    private static void WeightRow(Vector512<float> r0, Vector512<float> r1, Vector512<float> r2, float* o, long plane)
    {
        var half = Vector512.Create(0.5f);
        r0.Store(o);
        (half * (r0 + r1 + r2)).Store(o + plane);
        (half * (r0 - r1 + r2)).Store(o + 2 * plane);
        r2.Store(o + 3 * plane);
    }

    /// <summary>Forward: y = x ⋆ w for a geometry <see cref="WinogradFits"/> accepts.</summary>
    internal static void WinogradForward(float[] x, float[] w, float[]? bias, float[] y, in ConvGeometry g)
    {
        var u = WinogradWeights(w, g.InC, g.OutC);
        try { WinogradConv(x, u, bias, y, g); }
        finally { ArrayPool<float>.Shared.Return(u); }
    }

    /// <summary>Data gradient: dx is dy convolved (stride 1) with the kernel rotated by 180° and its channel axes swapped.</summary>
    internal static void WinogradBackwardData(float[] dy, float[] w, float[] dx, in ConvGeometry g)
    {
        int cin = g.InC, cout = g.OutC, plane = cin * cout;
        var rotated = ArrayPool<float>.Shared.Rent(9 * plane);
        try
        {
            for (int t = 0; t < 9; t++)
                for (int c = 0; c < cin; c++)
                    for (int o = 0; o < cout; o++) rotated[(8 - t) * plane + o * cin + c] = w[t * plane + c * cout + o];
            var u = WinogradWeights(rotated, cout, cin);
            try
            {
                var back = new ConvGeometry(g.Batch, g.OutH, g.OutW, cout, 3, 3, cin, 1, 1, g.InH, g.InW, 2 - g.PadTop, 2 - g.PadLeft);
                WinogradConv(dy, u, null, dx, back);
            }
            finally { ArrayPool<float>.Shared.Return(u); }
        }
        finally { ArrayPool<float>.Shared.Return(rotated); }
    }

    private static void WinogradConv(float[] x, float[] u, float[]? bias, float[] y, ConvGeometry g)
    {
        int th = (g.OutH + 1) / 2, tw = (g.OutW + 1) / 2;
        int bands = BandCount(g.Batch, th), bandTiles = (th + bands - 1) / bands;
        int wp = 2 * tw + 2, c = g.InC, o = g.OutC;
        int padSize = (2 * bandTiles + 2) * wp * c, vPlane = tw * c + PlaneSkew, mPlane = tw * o + PlaneSkew;
        CpuParallel.For(g.Batch * bands, item =>
        {
            int n = item / bands, t0 = item % bands * bandTiles, t1 = Math.Min(th, t0 + bandTiles);
            if (t0 >= t1) return;
            var pad = ArrayPool<float>.Shared.Rent(padSize);
            var v = ArrayPool<float>.Shared.Rent(16 * vPlane);
            var m = ArrayPool<float>.Shared.Rent(16 * mPlane);
            try
            {
                fixed (float* px = x, pu = u, pb = bias, py = y, pp = pad, pv = v, pm = m)
                {
                    PadRows(px + (long)n * g.InImage, g.InH, g.InW, c, g.PadTop - 2 * t0, g.PadLeft, 2 * (t1 - t0) + 2, wp, pp);
                    float* yi = py + (long)n * g.OutImage;
                    for (int i = t0; i < t1; i++)
                    {
                        InputTransformRow(pp + (long)(2 * (i - t0)) * wp * c, wp * c, tw, c, pv, vPlane);
                        switch (c)
                        {
                            case 16: TileProducts(new K16(), tw, c, o, pv, vPlane, pu, pm, mPlane); break;
                            case 32: TileProducts(new K32(), tw, c, o, pv, vPlane, pu, pm, mPlane); break;
                            case 64: TileProducts(new K64(), tw, c, o, pv, vPlane, pu, pm, mPlane); break;
                            default: TileProducts(new KDyn(c), tw, c, o, pv, vPlane, pu, pm, mPlane); break;
                        }
                        OutputTransformRow(pm, mPlane, tw, o, pb, yi, 2 * i, g.OutH, g.OutW);
                    }
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(pad);
                ArrayPool<float>.Shared.Return(v);
                ArrayPool<float>.Shared.Return(m);
            }
        });
    }

    /// <summary>
    /// Floats added to the stride between the 16 planes of transformed tiles: planes a power-of-two bytes apart
    /// (4 KB for 32 tiles of 32 channels) map the 16 stores of one tile to the same L1 set, which made the transforms
    /// several times slower than their arithmetic.
    /// </summary>
    private const int PlaneSkew = 16;

    /// <summary>M[ξ] (tiles × o) = V[ξ] (tiles × c) · U[ξ] (c × o) for the 16 tile positions ξ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void TileProducts<TS>(TS rs, int tiles, int c, int o, float* v, int vPlane, float* u, float* m, int mPlane) where TS : struct, IConst
    {
        for (int xi = 0; xi < 16; xi++)
            ConvTiles.Rows(rs, tiles, o, 1, c, v + (long)xi * vPlane, 1, 0, u + (long)xi * c * o, o, 0, m + (long)xi * mPlane, o, accumulate: false);
    }

    /// <summary>
    /// Copies <paramref name="rows"/> image rows starting at row −<paramref name="padTop"/> into a zeroed buffer of
    /// <paramref name="wp"/> columns starting at column −<paramref name="padLeft"/> (outside the image: zeros).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PadRows(float* x, int inH, int inW, int c, int padTop, int padLeft, int rows, int wp, float* pad)
    {
        int rowLen = wp * c, c0 = Math.Max(0, padLeft), c1 = Math.Min(wp, inW + padLeft);
        for (int r = 0; r < rows; r++)
        {
            float* dst = pad + (long)r * rowLen;
            int ih = r - padTop;
            if ((uint)ih >= (uint)inH || c0 >= c1)
            {
                Zero(dst, rowLen);
                continue;
            }
            Zero(dst, c0 * c);
            Copy(x + ((long)ih * inW + c0 - padLeft) * c, dst + c0 * c, (c1 - c0) * c);
            Zero(dst + c1 * c, (wp - c1) * c);
        }
    }

    /// <summary>V[ξ][j][c] = (Bᵀ d B)[ξ] for the 4×4 input tiles d of one tile row (d starts at column 2j).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InputTransformRow(float* p, int rowLen, int tiles, int c, float* v, int plane)
    {
        for (int j = 0; j < tiles; j++)
            for (int k = 0; k < c; k += 16)
            {
                float* d = p + (long)2 * j * c + k;
                Vector512<float> a0, a1, a2, a3, b0, b1, b2, b3, c0, c1, c2, c3, e0, e1, e2, e3;
                // Bᵀ d: rows d0 − d2, d1 + d2, d2 − d1, d1 − d3, each a row of four column vectors.
                {
                    var r0 = d; var r1 = d + rowLen; var r2 = d + 2 * rowLen; var r3 = d + 3 * rowLen;
                    var x00 = Vector512.Load(r0); var x01 = Vector512.Load(r0 + c); var x02 = Vector512.Load(r0 + 2 * c); var x03 = Vector512.Load(r0 + 3 * c);
                    var x10 = Vector512.Load(r1); var x11 = Vector512.Load(r1 + c); var x12 = Vector512.Load(r1 + 2 * c); var x13 = Vector512.Load(r1 + 3 * c);
                    var x20 = Vector512.Load(r2); var x21 = Vector512.Load(r2 + c); var x22 = Vector512.Load(r2 + 2 * c); var x23 = Vector512.Load(r2 + 3 * c);
                    var x30 = Vector512.Load(r3); var x31 = Vector512.Load(r3 + c); var x32 = Vector512.Load(r3 + 2 * c); var x33 = Vector512.Load(r3 + 3 * c);
                    a0 = x00 - x20; a1 = x01 - x21; a2 = x02 - x22; a3 = x03 - x23;
                    b0 = x10 + x20; b1 = x11 + x21; b2 = x12 + x22; b3 = x13 + x23;
                    c0 = x20 - x10; c1 = x21 - x11; c2 = x22 - x12; c3 = x23 - x13;
                    e0 = x10 - x30; e1 = x11 - x31; e2 = x12 - x32; e3 = x13 - x33;
                }
                // (Bᵀ d) B: the same combination across columns.
                float* o = v + (long)j * c + k;
                (a0 - a2).Store(o); (a1 + a2).Store(o + plane); (a2 - a1).Store(o + 2 * plane); (a1 - a3).Store(o + 3 * plane);
                (b0 - b2).Store(o + 4 * plane); (b1 + b2).Store(o + 5 * plane); (b2 - b1).Store(o + 6 * plane); (b1 - b3).Store(o + 7 * plane);
                (c0 - c2).Store(o + 8 * plane); (c1 + c2).Store(o + 9 * plane); (c2 - c1).Store(o + 10 * plane); (c1 - c3).Store(o + 11 * plane);
                (e0 - e2).Store(o + 12 * plane); (e1 + e2).Store(o + 13 * plane); (e2 - e1).Store(o + 14 * plane); (e1 - e3).Store(o + 15 * plane);
            }
    }

    /// <summary>y tile = Aᵀ M A (2×2) (+ bias) for each tile of one tile row, written where it lies inside the output.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void OutputTransformRow(float* m, int plane, int tiles, int o, float* bias, float* y, int row, int outH, int outW)
    {
        bool secondRow = row + 1 < outH;
        for (int j = 0; j < tiles; j++)
        {
            bool secondCol = 2 * j + 1 < outW;
            float* y0 = y + ((long)row * outW + 2 * j) * o, y1 = y0 + (long)outW * o;
            for (int k = 0; k < o; k += 16)
            {
                float* q = m + (long)j * o + k;
                var m00 = Vector512.Load(q); var m01 = Vector512.Load(q + plane); var m02 = Vector512.Load(q + 2 * plane); var m03 = Vector512.Load(q + 3 * plane);
                var m10 = Vector512.Load(q + 4 * plane); var m11 = Vector512.Load(q + 5 * plane); var m12 = Vector512.Load(q + 6 * plane); var m13 = Vector512.Load(q + 7 * plane);
                var m20 = Vector512.Load(q + 8 * plane); var m21 = Vector512.Load(q + 9 * plane); var m22 = Vector512.Load(q + 10 * plane); var m23 = Vector512.Load(q + 11 * plane);
                var m30 = Vector512.Load(q + 12 * plane); var m31 = Vector512.Load(q + 13 * plane); var m32 = Vector512.Load(q + 14 * plane); var m33 = Vector512.Load(q + 15 * plane);
                // Aᵀ M: rows m0 + m1 + m2 and m1 − m2 − m3; then the same across columns.
                var s0 = m00 + m10 + m20; var s1 = m01 + m11 + m21; var s2 = m02 + m12 + m22; var s3 = m03 + m13 + m23;
                var t0 = m10 - m20 - m30; var t1 = m11 - m21 - m31; var t2 = m12 - m22 - m32; var t3 = m13 - m23 - m33;
                if (bias != null)
                {
                    // Adding the bias to the middle column adds it once to each output of the column transform.
                    var b = Vector512.Load(bias + k);
                    s1 += b;
                    t1 += b;
                }
                (s0 + s1 + s2).Store(y0 + k);
                if (secondCol) (s1 - s2 - s3).Store(y0 + o + k);
                if (secondRow)
                {
                    (t0 + t1 + t2).Store(y1 + k);
                    if (secondCol) (t1 - t2 - t3).Store(y1 + o + k);
                }
            }
        }
    }

    /// <summary>
    /// Filter gradient: per image, V (input transform of every tile) and dM = A dY Aᵀ (dY zero beyond the output), then
    /// dU[ξ] += V[ξ]ᵀ·dM[ξ]; chunks of <see cref="FilterChunkImages"/> images into their own partials, summed in order,
    /// and dg = Gᵀ dU G.
    /// </summary>
    internal static void WinogradBackwardFilter(float[] x, float[] dy, float[] dw, in ConvGeometry g)
    {
        var geo = g;
        int th = (g.OutH + 1) / 2, tw = (g.OutW + 1) / 2, tiles = th * tw, c = g.InC, o = g.OutC, plane = c * o;
        int wp = 2 * tw + 2;
        int blockRows = Math.Max(1, WinogradFilterBlockTiles / tw);
        int vPlane = Math.Min(th, blockRows) * tw * c + PlaneSkew, mPlane = Math.Min(th, blockRows) * tw * o + PlaneSkew;
        int chunkImages = FilterChunkImages(g.Batch, 16 * plane), chunks = CpuParallel.ChunkCount(g.Batch, chunkImages);
        var parts = ArrayPool<float>.Shared.Rent(chunks * 16 * plane);
        try
        {
            CpuParallel.For(chunks, ch =>
            {
                var pad = ArrayPool<float>.Shared.Rent((2 * th + 2) * wp * c);
                var v = ArrayPool<float>.Shared.Rent(16 * vPlane);
                var dm = ArrayPool<float>.Shared.Rent(16 * mPlane);
                try
                {
                    fixed (float* px = x, pdy = dy, pparts = parts, pp = pad, pv = v, pm = dm)
                    {
                        float* du = pparts + (long)ch * 16 * plane;
                        Zero(du, 16 * plane);
                        int end = Math.Min(geo.Batch, (ch + 1) * chunkImages);
                        for (int n = ch * chunkImages; n < end; n++)
                        {
                            PadRows(px + (long)n * geo.InImage, geo.InH, geo.InW, c, geo.PadTop, geo.PadLeft, 2 * th + 2, wp, pp);
                            // Blocks of tile rows keep the transformed tiles in L1/L2 between the transforms and the products.
                            for (int i0 = 0; i0 < th; i0 += blockRows)
                            {
                                int i1 = Math.Min(th, i0 + blockRows), bt = (i1 - i0) * tw;
                                for (int i = i0; i < i1; i++)
                                    InputTransformRow(pp + (long)2 * i * wp * c, wp * c, tw, c, pv + (long)(i - i0) * tw * c, vPlane);
                                OutputGradientTransform(pdy + (long)n * geo.OutImage, geo.OutH, geo.OutW, o, i0, i1, tw, pm, mPlane);
                                for (int xi = 0; xi < 16; xi++)
                                    ConvTiles.Rows(new K1(), c, o, 1, bt, pv + (long)xi * vPlane, c, 0, pm + (long)xi * mPlane, o, 0, du + (long)xi * plane, o, accumulate: true);
                            }
                        }
                    }
                }
                finally
                {
                    ArrayPool<float>.Shared.Return(pad);
                    ArrayPool<float>.Shared.Return(v);
                    ArrayPool<float>.Shared.Return(dm);
                }
            });
            var du = ArrayPool<float>.Shared.Rent(16 * plane);
            try
            {
                SumPartials(parts, chunks, 16 * plane, du);
                WinogradFilterOutput(du, plane, dw);
            }
            finally { ArrayPool<float>.Shared.Return(du); }
        }
        finally { ArrayPool<float>.Shared.Return(parts); }
    }

    /// <summary>dg = Gᵀ dU G for every (c, o) pair: dU is (16, plane), dg (3, 3, plane); 16-lane vectors over the pairs.</summary>
    private static void WinogradFilterOutput(float[] du, int plane, float[] dw)
    {
        CpuParallel.For(CpuParallel.ChunkCount(plane, SumSlice), sl =>
        {
            int start = sl * SumSlice, end = Math.Min(plane, start + SumSlice);
            var half = Vector512.Create(0.5f);
            Span<Vector512<float>> r = stackalloc Vector512<float>[12];
            fixed (float* pu = du, pw = dw)
                for (int p = start; p < end; p += 16)
                {
                    // Rows: r_a = dU[a]·G (4×3) per a, columns: g_i = Σ_a G[a][i]·r_a. G = [1 0 0; ½ ½ ½; ½ −½ ½; 0 0 1].
                    for (int a = 0; a < 4; a++)
                    {
                        var u0 = Vector512.Load(pu + (4 * a) * plane + p);
                        var u1 = Vector512.Load(pu + (4 * a + 1) * plane + p);
                        var u2 = Vector512.Load(pu + (4 * a + 2) * plane + p);
                        var u3 = Vector512.Load(pu + (4 * a + 3) * plane + p);
                        r[3 * a] = u0 + half * (u1 + u2);
                        r[3 * a + 1] = half * (u1 - u2);
                        r[3 * a + 2] = half * (u1 + u2) + u3;
                    }
                    for (int j = 0; j < 3; j++)
                    {
                        (r[j] + half * (r[3 + j] + r[6 + j])).Store(pw + j * plane + p);
                        (half * (r[3 + j] - r[6 + j])).Store(pw + (3 + j) * plane + p);
                        (half * (r[3 + j] + r[6 + j]) + r[9 + j]).Store(pw + (6 + j) * plane + p);
                    }
                }
        });
    }

    /// <summary>Tiles per block of the filter gradient's transforms (a few tile rows; 32 tiles of 16 channels are 32 KB per buffer).</summary>
    internal const int WinogradFilterBlockTiles = 32;

    /// <summary>dM[ξ][tile][o] = (A dY Aᵀ)[ξ] for the 2×2 tiles of dy in tile rows [i0, i1) (positions beyond the output count as zero).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void OutputGradientTransform(float* dy, int outH, int outW, int o, int i0, int i1, int tw, float* dm, long plane)
    {
        for (int i = i0; i < i1; i++)
            for (int j = 0; j < tw; j++)
            {
                bool r1 = 2 * i + 1 < outH, c1 = 2 * j + 1 < outW;
                float* d0 = dy + ((long)2 * i * outW + 2 * j) * o, d1 = d0 + (long)outW * o;
                float* q = dm + ((long)(i - i0) * tw + j) * o;
                for (int k = 0; k < o; k += 16)
                {
                    var y00 = Vector512.Load(d0 + k);
                    var y01 = c1 ? Vector512.Load(d0 + o + k) : Vector512<float>.Zero;
                    var y10 = r1 ? Vector512.Load(d1 + k) : Vector512<float>.Zero;
                    var y11 = r1 && c1 ? Vector512.Load(d1 + o + k) : Vector512<float>.Zero;
                    // A dY: rows y0, y0 + y1, y0 − y1, −y1 (A = [1 0; 1 1; 1 −1; 0 −1]); then the same across columns.
                    var a0 = y00; var a1 = y01;
                    var b0 = y00 + y10; var b1 = y01 + y11;
                    var e0 = y00 - y10; var e1 = y01 - y11;
                    var f0 = -y10; var f1 = -y11;
                    float* z = q + k;
                    a0.Store(z); (a0 + a1).Store(z + plane); (a0 - a1).Store(z + 2 * plane); (-a1).Store(z + 3 * plane);
                    b0.Store(z + 4 * plane); (b0 + b1).Store(z + 5 * plane); (b0 - b1).Store(z + 6 * plane); (-b1).Store(z + 7 * plane);
                    e0.Store(z + 8 * plane); (e0 + e1).Store(z + 9 * plane); (e0 - e1).Store(z + 10 * plane); (-e1).Store(z + 11 * plane);
                    f0.Store(z + 12 * plane); (f0 + f1).Store(z + 13 * plane); (f0 - f1).Store(z + 14 * plane); (-f1).Store(z + 15 * plane);
                }
            }
    }
}
