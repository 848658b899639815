using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ResNetKeras.Kernels.Cpu;

/// <summary>
/// Single-precision matrix product C (m×n) (+)= op(A)·B with register-blocked micro-kernels (4 rows × 32 columns in
/// eight 512-bit accumulators with AVX-512, else 4 rows × 16 columns in eight 256-bit accumulators, FMA where present). A is read through strides so that A and Aᵀ use the same kernel:
/// element (i, p) of op(A) is <c>a[i·rowStride + p·colStride]</c>. B and C are row-major with leading dimensions.
/// Effectively computes C[i, j] = (accumulate ? C[i, j] : 0) + Σ_p op(A)[i, p]·B[p, j], summing p in increasing order.
/// </summary>
internal static unsafe class Sgemm
{
    public static void Multiply(int m, int n, int k, float* a, int rowStride, int colStride, float* b, int ldb, float* c, int ldc, bool accumulate)
    {
        int j = 0;
        if (Avx512F.IsSupported)
        {
            for (; j + 32 <= n; j += 32)
            {
                int i = 0;
                for (; i + 4 <= m; i += 4) Kernel4x32(k, a + i * rowStride, rowStride, colStride, b + j, ldb, c + i * ldc + j, ldc, accumulate);
                for (; i < m; i++)
                {
                    Kernel1x16(k, a + i * rowStride, colStride, b + j, ldb, c + i * ldc + j, accumulate);
                    Kernel1x16(k, a + i * rowStride, colStride, b + j + 16, ldb, c + i * ldc + j + 16, accumulate);
                }
            }
        }
        if (Avx.IsSupported)
        {
            for (; j + 16 <= n; j += 16)
            {
                int i = 0;
                for (; i + 4 <= m; i += 4) Kernel4x16(k, a + i * rowStride, rowStride, colStride, b + j, ldb, c + i * ldc + j, ldc, accumulate);
                for (; i < m; i++) Kernel1x16(k, a + i * rowStride, colStride, b + j, ldb, c + i * ldc + j, accumulate);
            }
            for (; j + 8 <= n; j += 8)
                for (int i = 0; i < m; i++) Kernel1x8(k, a + i * rowStride, colStride, b + j, ldb, c + i * ldc + j, accumulate);
        }
        for (; j < n; j++)
            for (int i = 0; i < m; i++)
            {
                float s = accumulate ? c[i * ldc + j] : 0f;
                float* ai = a + i * rowStride;
                for (int p = 0; p < k; p++) s = MathF.FusedMultiplyAdd(ai[p * colStride], b[p * ldb + j], s);
                c[i * ldc + j] = s;
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Madd(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : Avx.Add(Avx.Multiply(a, b), c);

    private static void Kernel4x16(int k, float* a, int rs, int cs, float* b, int ldb, float* c, int ldc, bool acc)
    {
        Vector256<float> c00, c01, c10, c11, c20, c21, c30, c31;
        if (acc)
        {
            c00 = Avx.LoadVector256(c); c01 = Avx.LoadVector256(c + 8);
            c10 = Avx.LoadVector256(c + ldc); c11 = Avx.LoadVector256(c + ldc + 8);
            c20 = Avx.LoadVector256(c + 2 * ldc); c21 = Avx.LoadVector256(c + 2 * ldc + 8);
            c30 = Avx.LoadVector256(c + 3 * ldc); c31 = Avx.LoadVector256(c + 3 * ldc + 8);
        }
        else c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = Vector256<float>.Zero;
        float* a0 = a, a1 = a + rs, a2 = a + 2 * rs, a3 = a + 3 * rs;
        for (int p = 0; p < k; p++)
        {
            var b0 = Avx.LoadVector256(b);
            var b1 = Avx.LoadVector256(b + 8);
            b += ldb;
            int o = p * cs;
            var x = Vector256.Create(a0[o]);
            c00 = Madd(x, b0, c00); c01 = Madd(x, b1, c01);
            x = Vector256.Create(a1[o]);
            c10 = Madd(x, b0, c10); c11 = Madd(x, b1, c11);
            x = Vector256.Create(a2[o]);
            c20 = Madd(x, b0, c20); c21 = Madd(x, b1, c21);
            x = Vector256.Create(a3[o]);
            c30 = Madd(x, b0, c30); c31 = Madd(x, b1, c31);
        }
        Avx.Store(c, c00); Avx.Store(c + 8, c01);
        Avx.Store(c + ldc, c10); Avx.Store(c + ldc + 8, c11);
        Avx.Store(c + 2 * ldc, c20); Avx.Store(c + 2 * ldc + 8, c21);
        Avx.Store(c + 3 * ldc, c30); Avx.Store(c + 3 * ldc + 8, c31);
    }

    /// <summary>4 rows × 32 columns in eight 512-bit accumulators (AVX-512).</summary>
    private static void Kernel4x32(int k, float* a, int rs, int cs, float* b, int ldb, float* c, int ldc, bool acc)
    {
        Vector512<float> c00, c01, c10, c11, c20, c21, c30, c31;
        if (acc)
        {
            c00 = Avx512F.LoadVector512(c); c01 = Avx512F.LoadVector512(c + 16);
            c10 = Avx512F.LoadVector512(c + ldc); c11 = Avx512F.LoadVector512(c + ldc + 16);
            c20 = Avx512F.LoadVector512(c + 2 * ldc); c21 = Avx512F.LoadVector512(c + 2 * ldc + 16);
            c30 = Avx512F.LoadVector512(c + 3 * ldc); c31 = Avx512F.LoadVector512(c + 3 * ldc + 16);
        }
        else c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = Vector512<float>.Zero;
        float* a0 = a, a1 = a + rs, a2 = a + 2 * rs, a3 = a + 3 * rs;
        for (int p = 0; p < k; p++)
        {
            var b0 = Avx512F.LoadVector512(b);
            var b1 = Avx512F.LoadVector512(b + 16);
            b += ldb;
            int o = p * cs;
            var x = Vector512.Create(a0[o]);
            c00 = Avx512F.FusedMultiplyAdd(x, b0, c00); c01 = Avx512F.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(a1[o]);
            c10 = Avx512F.FusedMultiplyAdd(x, b0, c10); c11 = Avx512F.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(a2[o]);
            c20 = Avx512F.FusedMultiplyAdd(x, b0, c20); c21 = Avx512F.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(a3[o]);
            c30 = Avx512F.FusedMultiplyAdd(x, b0, c30); c31 = Avx512F.FusedMultiplyAdd(x, b1, c31);
        }
        Avx512F.Store(c, c00); Avx512F.Store(c + 16, c01);
        Avx512F.Store(c + ldc, c10); Avx512F.Store(c + ldc + 16, c11);
        Avx512F.Store(c + 2 * ldc, c20); Avx512F.Store(c + 2 * ldc + 16, c21);
        Avx512F.Store(c + 3 * ldc, c30); Avx512F.Store(c + 3 * ldc + 16, c31);
    }

    private static void Kernel1x16(int k, float* a, int cs, float* b, int ldb, float* c, bool acc)
    {
        var c0 = acc ? Avx.LoadVector256(c) : Vector256<float>.Zero;
        var c1 = acc ? Avx.LoadVector256(c + 8) : Vector256<float>.Zero;
        for (int p = 0; p < k; p++)
        {
            var x = Vector256.Create(a[p * cs]);
            c0 = Madd(x, Avx.LoadVector256(b), c0);
            c1 = Madd(x, Avx.LoadVector256(b + 8), c1);
            b += ldb;
        }
        Avx.Store(c, c0);
        Avx.Store(c + 8, c1);
    }

    private static void Kernel1x8(int k, float* a, int cs, float* b, int ldb, float* c, bool acc)
    {
        var c0 = acc ? Avx.LoadVector256(c) : Vector256<float>.Zero;
        for (int p = 0; p < k; p++)
        {
            c0 = Madd(Vector256.Create(a[p * cs]), Avx.LoadVector256(b), c0);
            b += ldb;
        }
        Avx.Store(c, c0);
    }
}
