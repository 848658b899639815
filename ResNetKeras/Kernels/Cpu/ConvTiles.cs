using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ResNetKeras.Kernels.Cpu;

/// <summary>A compile-time integer for generic specialization: the JIT folds <see cref="Value"/> of the constant structs.</summary>
internal interface IConst
{
    int Value { get; }
}

internal readonly struct K1 : IConst { public int Value => 1; }
internal readonly struct K2 : IConst { public int Value => 2; }
internal readonly struct K3 : IConst { public int Value => 3; }
internal readonly struct K4 : IConst { public int Value => 4; }
internal readonly struct K8 : IConst { public int Value => 8; }
internal readonly struct K16 : IConst { public int Value => 16; }
internal readonly struct K32 : IConst { public int Value => 32; }
internal readonly struct K64 : IConst { public int Value => 64; }

/// <summary>A row stride known only at run time (the fallback when no constant struct matches).</summary>
internal readonly struct KDyn(int value) : IConst
{
    public int Value => value;
}

/// <summary>
/// AVX-512 register tiles for convolution as an implicit GEMM: no im2col matrix is formed; A is read straight from
/// the (padded) image through strides. Each tile computes
/// <c>C[r, 16v + l] = (accumulate ? C[r, 16v + l] : bias?[16v + l] ?? 0) + Σ_{j &lt; segs} Σ_{t &lt; steps} A(r, j, t)·B(j, t, 16v + l)</c>
/// with <c>A(r, j, t) = a[j·aJump + t·aStep + r·rs]</c>, <c>B(j, t, col) = b[j·bJump + t·bStep + col]</c>, C row-major
/// with leading dimension ldc. The sum runs over j then t in increasing order with one fused multiply-add per term,
/// the same for every row count, so how rows are grouped into tiles never changes a result.
/// Forward: rows are output pixels of one output row (rs = stride·C), j the kernel row, t the (kw, c) run of it.
/// Filter gradient: rows are input channels (rs = 1), j the output row, t the output column.
/// The row count TR and the row stride TS are generic constants so every A address is a base plus an immediate.
/// </summary>
internal static unsafe class ConvTiles
{
    /// <summary>Whether the tiles can run (AVX-512 present); callers fall back to im2col + <see cref="Sgemm"/> otherwise.</summary>
    public static bool IsSupported => Avx512F.IsSupported;

    /// <summary>
    /// <paramref name="rows"/> rows × <paramref name="cols"/> columns (a multiple of 16), split into the widest tiles;
    /// row r's A starts at <c>a + r·rs</c> and its C at <c>c + r·ldc</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Rows<TS>(TS rs, int rows, int cols, int segs, int steps, float* a, nint aStep, nint aJump, float* b, nint bStep, nint bJump, float* c, nint ldc, bool accumulate, float* bias = null)
        where TS : struct, IConst
    {
        nint s = rs.Value;
        int col = 0;
        for (; col + 64 <= cols; col += 64)
        {
            float* bb = b + col, cc = c + col, bs = bias == null ? null : bias + col;
            int r = 0;
            for (; r + 4 <= rows; r += 4) Tile64<K4, TS>(rs, segs, steps, a + r * s, aStep, aJump, bb, bStep, bJump, cc + r * ldc, ldc, accumulate, bs);
            if (rows - r >= 2) { Tile64<K2, TS>(rs, segs, steps, a + r * s, aStep, aJump, bb, bStep, bJump, cc + r * ldc, ldc, accumulate, bs); r += 2; }
            if (rows - r >= 1) Tile64<K1, TS>(rs, segs, steps, a + r * s, aStep, aJump, bb, bStep, bJump, cc + r * ldc, ldc, accumulate, bs);
        }
        for (; col + 32 <= cols; col += 32)
        {
            float* bb = b + col, cc = c + col, bs = bias == null ? null : bias + col;
            int r = 0;
            for (; r + 8 <= rows; r += 8) Tile32<K8, TS>(rs, segs, steps, a + r * s, aStep, aJump, bb, bStep, bJump, cc + r * ldc, ldc, accumulate, bs);
            if (rows - r >= 4) { Tile32<K4, TS>(rs, segs, steps, a + r * s, aStep, aJump, bb, bStep, bJump, cc + r * ldc, ldc, accumulate, bs); r += 4; }
            if (rows - r >= 2) { Tile32<K2, TS>(rs, segs, steps, a + r * s, aStep, aJump, bb, bStep, bJump, cc + r * ldc, ldc, accumulate, bs); r += 2; }
            if (rows - r >= 1) Tile32<K1, TS>(rs, segs, steps, a + r * s, aStep, aJump, bb, bStep, bJump, cc + r * ldc, ldc, accumulate, bs);
        }
        for (; col + 16 <= cols; col += 16)
        {
            float* bb = b + col, cc = c + col, bs = bias == null ? null : bias + col;
            int r = 0;
            for (; r + 16 <= rows; r += 16) Tile16<K16, TS>(rs, segs, steps, a + r * s, aStep, aJump, bb, bStep, bJump, cc + r * ldc, ldc, accumulate, bs);
            if (rows - r >= 8) { Tile16<K8, TS>(rs, segs, steps, a + r * s, aStep, aJump, bb, bStep, bJump, cc + r * ldc, ldc, accumulate, bs); r += 8; }
            if (rows - r >= 4) { Tile16<K4, TS>(rs, segs, steps, a + r * s, aStep, aJump, bb, bStep, bJump, cc + r * ldc, ldc, accumulate, bs); r += 4; }
            if (rows - r >= 2) { Tile16<K2, TS>(rs, segs, steps, a + r * s, aStep, aJump, bb, bStep, bJump, cc + r * ldc, ldc, accumulate, bs); r += 2; }
            if (rows - r >= 1) Tile16<K1, TS>(rs, segs, steps, a + r * s, aStep, aJump, bb, bStep, bJump, cc + r * ldc, ldc, accumulate, bs);
        }
    }

    /// <summary>Up to 16 rows × 16 columns (1 vector of 16 per row) in 16 accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile16<TR, TS>(TS rs, int segs, int steps, float* a, nint aStep, nint aJump, float* b, nint bStep, nint bJump, float* c, nint ldc, bool accumulate, float* bias)
        where TR : struct, IConst where TS : struct, IConst
    {
        int rows = default(TR).Value;
        nint s = rs.Value;
        Vector512<float> c0_0, c1_0, c2_0, c3_0, c4_0, c5_0, c6_0, c7_0, c8_0, c9_0, c10_0, c11_0, c12_0, c13_0, c14_0, c15_0;
        c0_0 = c1_0 = c2_0 = c3_0 = c4_0 = c5_0 = c6_0 = c7_0 = c8_0 = c9_0 = c10_0 = c11_0 = c12_0 = c13_0 = c14_0 = c15_0 = Vector512<float>.Zero;
        if (accumulate)
        {
            c0_0 = Vector512.Load(c);
            if (rows > 1) { c1_0 = Vector512.Load(c + ldc); }
            if (rows > 2) { c2_0 = Vector512.Load(c + 2 * ldc); }
            if (rows > 3) { c3_0 = Vector512.Load(c + 3 * ldc); }
            if (rows > 4) { c4_0 = Vector512.Load(c + 4 * ldc); }
            if (rows > 5) { c5_0 = Vector512.Load(c + 5 * ldc); }
            if (rows > 6) { c6_0 = Vector512.Load(c + 6 * ldc); }
            if (rows > 7) { c7_0 = Vector512.Load(c + 7 * ldc); }
            if (rows > 8) { c8_0 = Vector512.Load(c + 8 * ldc); }
            if (rows > 9) { c9_0 = Vector512.Load(c + 9 * ldc); }
            if (rows > 10) { c10_0 = Vector512.Load(c + 10 * ldc); }
            if (rows > 11) { c11_0 = Vector512.Load(c + 11 * ldc); }
            if (rows > 12) { c12_0 = Vector512.Load(c + 12 * ldc); }
            if (rows > 13) { c13_0 = Vector512.Load(c + 13 * ldc); }
            if (rows > 14) { c14_0 = Vector512.Load(c + 14 * ldc); }
            if (rows > 15) { c15_0 = Vector512.Load(c + 15 * ldc); }
        }
        else if (bias != null)
        {
            var bias0 = Vector512.Load(bias);
            c0_0 = bias0; c1_0 = bias0; c2_0 = bias0; c3_0 = bias0; c4_0 = bias0; c5_0 = bias0; c6_0 = bias0; c7_0 = bias0; c8_0 = bias0; c9_0 = bias0; c10_0 = bias0; c11_0 = bias0; c12_0 = bias0; c13_0 = bias0; c14_0 = bias0; c15_0 = bias0;
        }
        for (int j = 0; j < segs; j++)
        {
            float* ap = a + j * aJump, bp = b + j * bJump;
            for (int t = 0; t < steps; t++)
            {
                var b0 = Vector512.Load(bp);
                { var x = Vector512.Create(ap[0]); c0_0 = Avx512F.FusedMultiplyAdd(x, b0, c0_0); }
                if (rows > 1) { var x = Vector512.Create(ap[s]); c1_0 = Avx512F.FusedMultiplyAdd(x, b0, c1_0); }
                if (rows > 2) { var x = Vector512.Create(ap[2 * s]); c2_0 = Avx512F.FusedMultiplyAdd(x, b0, c2_0); }
                if (rows > 3) { var x = Vector512.Create(ap[3 * s]); c3_0 = Avx512F.FusedMultiplyAdd(x, b0, c3_0); }
                if (rows > 4) { var x = Vector512.Create(ap[4 * s]); c4_0 = Avx512F.FusedMultiplyAdd(x, b0, c4_0); }
                if (rows > 5) { var x = Vector512.Create(ap[5 * s]); c5_0 = Avx512F.FusedMultiplyAdd(x, b0, c5_0); }
                if (rows > 6) { var x = Vector512.Create(ap[6 * s]); c6_0 = Avx512F.FusedMultiplyAdd(x, b0, c6_0); }
                if (rows > 7) { var x = Vector512.Create(ap[7 * s]); c7_0 = Avx512F.FusedMultiplyAdd(x, b0, c7_0); }
                if (rows > 8) { var x = Vector512.Create(ap[8 * s]); c8_0 = Avx512F.FusedMultiplyAdd(x, b0, c8_0); }
                if (rows > 9) { var x = Vector512.Create(ap[9 * s]); c9_0 = Avx512F.FusedMultiplyAdd(x, b0, c9_0); }
                if (rows > 10) { var x = Vector512.Create(ap[10 * s]); c10_0 = Avx512F.FusedMultiplyAdd(x, b0, c10_0); }
                if (rows > 11) { var x = Vector512.Create(ap[11 * s]); c11_0 = Avx512F.FusedMultiplyAdd(x, b0, c11_0); }
                if (rows > 12) { var x = Vector512.Create(ap[12 * s]); c12_0 = Avx512F.FusedMultiplyAdd(x, b0, c12_0); }
                if (rows > 13) { var x = Vector512.Create(ap[13 * s]); c13_0 = Avx512F.FusedMultiplyAdd(x, b0, c13_0); }
                if (rows > 14) { var x = Vector512.Create(ap[14 * s]); c14_0 = Avx512F.FusedMultiplyAdd(x, b0, c14_0); }
                if (rows > 15) { var x = Vector512.Create(ap[15 * s]); c15_0 = Avx512F.FusedMultiplyAdd(x, b0, c15_0); }
                ap += aStep;
                bp += bStep;
            }
        }
        c0_0.Store(c);
        if (rows > 1) { c1_0.Store(c + ldc); }
        if (rows > 2) { c2_0.Store(c + 2 * ldc); }
        if (rows > 3) { c3_0.Store(c + 3 * ldc); }
        if (rows > 4) { c4_0.Store(c + 4 * ldc); }
        if (rows > 5) { c5_0.Store(c + 5 * ldc); }
        if (rows > 6) { c6_0.Store(c + 6 * ldc); }
        if (rows > 7) { c7_0.Store(c + 7 * ldc); }
        if (rows > 8) { c8_0.Store(c + 8 * ldc); }
        if (rows > 9) { c9_0.Store(c + 9 * ldc); }
        if (rows > 10) { c10_0.Store(c + 10 * ldc); }
        if (rows > 11) { c11_0.Store(c + 11 * ldc); }
        if (rows > 12) { c12_0.Store(c + 12 * ldc); }
        if (rows > 13) { c13_0.Store(c + 13 * ldc); }
        if (rows > 14) { c14_0.Store(c + 14 * ldc); }
        if (rows > 15) { c15_0.Store(c + 15 * ldc); }
    }

    /// <summary>Up to 8 rows × 32 columns (2 vectors of 16 per row) in 16 accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile32<TR, TS>(TS rs, int segs, int steps, float* a, nint aStep, nint aJump, float* b, nint bStep, nint bJump, float* c, nint ldc, bool accumulate, float* bias)
        where TR : struct, IConst where TS : struct, IConst
    {
        int rows = default(TR).Value;
        nint s = rs.Value;
        Vector512<float> c0_0, c0_1, c1_0, c1_1, c2_0, c2_1, c3_0, c3_1, c4_0, c4_1, c5_0, c5_1, c6_0, c6_1, c7_0, c7_1;
        c0_0 = c0_1 = c1_0 = c1_1 = c2_0 = c2_1 = c3_0 = c3_1 = c4_0 = c4_1 = c5_0 = c5_1 = c6_0 = c6_1 = c7_0 = c7_1 = Vector512<float>.Zero;
        if (accumulate)
        {
            c0_0 = Vector512.Load(c); c0_1 = Vector512.Load(c + 16);
            if (rows > 1) { c1_0 = Vector512.Load(c + ldc); c1_1 = Vector512.Load(c + ldc + 16); }
            if (rows > 2) { c2_0 = Vector512.Load(c + 2 * ldc); c2_1 = Vector512.Load(c + 2 * ldc + 16); }
            if (rows > 3) { c3_0 = Vector512.Load(c + 3 * ldc); c3_1 = Vector512.Load(c + 3 * ldc + 16); }
            if (rows > 4) { c4_0 = Vector512.Load(c + 4 * ldc); c4_1 = Vector512.Load(c + 4 * ldc + 16); }
            if (rows > 5) { c5_0 = Vector512.Load(c + 5 * ldc); c5_1 = Vector512.Load(c + 5 * ldc + 16); }
            if (rows > 6) { c6_0 = Vector512.Load(c + 6 * ldc); c6_1 = Vector512.Load(c + 6 * ldc + 16); }
            if (rows > 7) { c7_0 = Vector512.Load(c + 7 * ldc); c7_1 = Vector512.Load(c + 7 * ldc + 16); }
        }
        else if (bias != null)
        {
            var bias0 = Vector512.Load(bias);
            var bias1 = Vector512.Load(bias + 16);
            c0_0 = bias0; c0_1 = bias1; c1_0 = bias0; c1_1 = bias1; c2_0 = bias0; c2_1 = bias1; c3_0 = bias0; c3_1 = bias1; c4_0 = bias0; c4_1 = bias1; c5_0 = bias0; c5_1 = bias1; c6_0 = bias0; c6_1 = bias1; c7_0 = bias0; c7_1 = bias1;
        }
        for (int j = 0; j < segs; j++)
        {
            float* ap = a + j * aJump, bp = b + j * bJump;
            for (int t = 0; t < steps; t++)
            {
                var b0 = Vector512.Load(bp); var b1 = Vector512.Load(bp + 16);
                { var x = Vector512.Create(ap[0]); c0_0 = Avx512F.FusedMultiplyAdd(x, b0, c0_0); c0_1 = Avx512F.FusedMultiplyAdd(x, b1, c0_1); }
                if (rows > 1) { var x = Vector512.Create(ap[s]); c1_0 = Avx512F.FusedMultiplyAdd(x, b0, c1_0); c1_1 = Avx512F.FusedMultiplyAdd(x, b1, c1_1); }
                if (rows > 2) { var x = Vector512.Create(ap[2 * s]); c2_0 = Avx512F.FusedMultiplyAdd(x, b0, c2_0); c2_1 = Avx512F.FusedMultiplyAdd(x, b1, c2_1); }
                if (rows > 3) { var x = Vector512.Create(ap[3 * s]); c3_0 = Avx512F.FusedMultiplyAdd(x, b0, c3_0); c3_1 = Avx512F.FusedMultiplyAdd(x, b1, c3_1); }
                if (rows > 4) { var x = Vector512.Create(ap[4 * s]); c4_0 = Avx512F.FusedMultiplyAdd(x, b0, c4_0); c4_1 = Avx512F.FusedMultiplyAdd(x, b1, c4_1); }
                if (rows > 5) { var x = Vector512.Create(ap[5 * s]); c5_0 = Avx512F.FusedMultiplyAdd(x, b0, c5_0); c5_1 = Avx512F.FusedMultiplyAdd(x, b1, c5_1); }
                if (rows > 6) { var x = Vector512.Create(ap[6 * s]); c6_0 = Avx512F.FusedMultiplyAdd(x, b0, c6_0); c6_1 = Avx512F.FusedMultiplyAdd(x, b1, c6_1); }
                if (rows > 7) { var x = Vector512.Create(ap[7 * s]); c7_0 = Avx512F.FusedMultiplyAdd(x, b0, c7_0); c7_1 = Avx512F.FusedMultiplyAdd(x, b1, c7_1); }
                ap += aStep;
                bp += bStep;
            }
        }
        c0_0.Store(c); c0_1.Store(c + 16);
        if (rows > 1) { c1_0.Store(c + ldc); c1_1.Store(c + ldc + 16); }
        if (rows > 2) { c2_0.Store(c + 2 * ldc); c2_1.Store(c + 2 * ldc + 16); }
        if (rows > 3) { c3_0.Store(c + 3 * ldc); c3_1.Store(c + 3 * ldc + 16); }
        if (rows > 4) { c4_0.Store(c + 4 * ldc); c4_1.Store(c + 4 * ldc + 16); }
        if (rows > 5) { c5_0.Store(c + 5 * ldc); c5_1.Store(c + 5 * ldc + 16); }
        if (rows > 6) { c6_0.Store(c + 6 * ldc); c6_1.Store(c + 6 * ldc + 16); }
        if (rows > 7) { c7_0.Store(c + 7 * ldc); c7_1.Store(c + 7 * ldc + 16); }
    }

    /// <summary>Up to 4 rows × 64 columns (4 vectors of 16 per row) in 16 accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile64<TR, TS>(TS rs, int segs, int steps, float* a, nint aStep, nint aJump, float* b, nint bStep, nint bJump, float* c, nint ldc, bool accumulate, float* bias)
        where TR : struct, IConst where TS : struct, IConst
    {
        int rows = default(TR).Value;
        nint s = rs.Value;
        Vector512<float> c0_0, c0_1, c0_2, c0_3, c1_0, c1_1, c1_2, c1_3, c2_0, c2_1, c2_2, c2_3, c3_0, c3_1, c3_2, c3_3;
        c0_0 = c0_1 = c0_2 = c0_3 = c1_0 = c1_1 = c1_2 = c1_3 = c2_0 = c2_1 = c2_2 = c2_3 = c3_0 = c3_1 = c3_2 = c3_3 = Vector512<float>.Zero;
        if (accumulate)
        {
            c0_0 = Vector512.Load(c); c0_1 = Vector512.Load(c + 16); c0_2 = Vector512.Load(c + 32); c0_3 = Vector512.Load(c + 48);
            if (rows > 1) { c1_0 = Vector512.Load(c + ldc); c1_1 = Vector512.Load(c + ldc + 16); c1_2 = Vector512.Load(c + ldc + 32); c1_3 = Vector512.Load(c + ldc + 48); }
            if (rows > 2) { c2_0 = Vector512.Load(c + 2 * ldc); c2_1 = Vector512.Load(c + 2 * ldc + 16); c2_2 = Vector512.Load(c + 2 * ldc + 32); c2_3 = Vector512.Load(c + 2 * ldc + 48); }
            if (rows > 3) { c3_0 = Vector512.Load(c + 3 * ldc); c3_1 = Vector512.Load(c + 3 * ldc + 16); c3_2 = Vector512.Load(c + 3 * ldc + 32); c3_3 = Vector512.Load(c + 3 * ldc + 48); }
        }
        else if (bias != null)
        {
            var bias0 = Vector512.Load(bias);
            var bias1 = Vector512.Load(bias + 16);
            var bias2 = Vector512.Load(bias + 32);
            var bias3 = Vector512.Load(bias + 48);
            c0_0 = bias0; c0_1 = bias1; c0_2 = bias2; c0_3 = bias3; c1_0 = bias0; c1_1 = bias1; c1_2 = bias2; c1_3 = bias3; c2_0 = bias0; c2_1 = bias1; c2_2 = bias2; c2_3 = bias3; c3_0 = bias0; c3_1 = bias1; c3_2 = bias2; c3_3 = bias3;
        }
        for (int j = 0; j < segs; j++)
        {
            float* ap = a + j * aJump, bp = b + j * bJump;
            for (int t = 0; t < steps; t++)
            {
                var b0 = Vector512.Load(bp); var b1 = Vector512.Load(bp + 16); var b2 = Vector512.Load(bp + 32); var b3 = Vector512.Load(bp + 48);
                { var x = Vector512.Create(ap[0]); c0_0 = Avx512F.FusedMultiplyAdd(x, b0, c0_0); c0_1 = Avx512F.FusedMultiplyAdd(x, b1, c0_1); c0_2 = Avx512F.FusedMultiplyAdd(x, b2, c0_2); c0_3 = Avx512F.FusedMultiplyAdd(x, b3, c0_3); }
                if (rows > 1) { var x = Vector512.Create(ap[s]); c1_0 = Avx512F.FusedMultiplyAdd(x, b0, c1_0); c1_1 = Avx512F.FusedMultiplyAdd(x, b1, c1_1); c1_2 = Avx512F.FusedMultiplyAdd(x, b2, c1_2); c1_3 = Avx512F.FusedMultiplyAdd(x, b3, c1_3); }
                if (rows > 2) { var x = Vector512.Create(ap[2 * s]); c2_0 = Avx512F.FusedMultiplyAdd(x, b0, c2_0); c2_1 = Avx512F.FusedMultiplyAdd(x, b1, c2_1); c2_2 = Avx512F.FusedMultiplyAdd(x, b2, c2_2); c2_3 = Avx512F.FusedMultiplyAdd(x, b3, c2_3); }
                if (rows > 3) { var x = Vector512.Create(ap[3 * s]); c3_0 = Avx512F.FusedMultiplyAdd(x, b0, c3_0); c3_1 = Avx512F.FusedMultiplyAdd(x, b1, c3_1); c3_2 = Avx512F.FusedMultiplyAdd(x, b2, c3_2); c3_3 = Avx512F.FusedMultiplyAdd(x, b3, c3_3); }
                ap += aStep;
                bp += bStep;
            }
        }
        c0_0.Store(c); c0_1.Store(c + 16); c0_2.Store(c + 32); c0_3.Store(c + 48);
        if (rows > 1) { c1_0.Store(c + ldc); c1_1.Store(c + ldc + 16); c1_2.Store(c + ldc + 32); c1_3.Store(c + ldc + 48); }
        if (rows > 2) { c2_0.Store(c + 2 * ldc); c2_1.Store(c + 2 * ldc + 16); c2_2.Store(c + 2 * ldc + 32); c2_3.Store(c + 2 * ldc + 48); }
        if (rows > 3) { c3_0.Store(c + 3 * ldc); c3_1.Store(c + 3 * ldc + 16); c3_2.Store(c + 3 * ldc + 32); c3_3.Store(c + 3 * ldc + 48); }
    }

}
