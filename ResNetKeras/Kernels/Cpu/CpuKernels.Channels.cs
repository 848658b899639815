using System.Buffers;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ResNetKeras.Kernels.Cpu;

/// <summary>
/// Per-channel kernels over a (rows × channels) matrix (NHWC activations with the channel axis last). Reductions
/// sum fixed chunks of <see cref="RowChunk"/> rows in vector registers (8 channels per vector, two interleaved
/// accumulator sets to hide the add latency), then add the chunk partials in chunk order in double: one pass over
/// memory, and the same result for any thread count.
/// </summary>
public sealed unsafe partial class CpuKernels
{
    private enum Reduction
    {
        /// <summary>s = Σ x.</summary>
        Sum,
        /// <summary>Per chunk: its mean, then Σ (x − chunk mean)² over the chunk while it is still in cache.</summary>
        Moments,
        /// <summary>s = Σ dy, q = Σ dy·(x − mean): the batch-norm gradient sums.</summary>
        NormGrad,
    }

    /// <summary>
    /// Runs <paramref name="kind"/> on every chunk of rows; returns the chunk partials, <c>width·channels</c> floats per
    /// chunk (rented: the caller returns them).
    /// </summary>
    private static float[] ReduceChunks(Reduction kind, float[] x, float[]? dy, float[]? mask, float[]? mean, int channels, int rows, int chunks)
    {
        int width = kind == Reduction.Sum ? 1 : 2;
        var parts = ArrayPool<float>.Shared.Rent(chunks * width * channels);
        CpuParallel.For(chunks, ch =>
        {
            int r0 = ch * RowChunk, n = Math.Min(rows, r0 + RowChunk) - r0;
            fixed (float* px = x, pdy = dy, pmask = mask, pm = mean, pp = parts)
            {
                float* s = pp + (long)ch * width * channels, q = s + channels;
                float* xr = px + (long)r0 * channels, dyr = pdy == null ? null : pdy + (long)r0 * channels;
                float* mr = pmask == null ? null : pmask + (long)r0 * channels;
                int c = 0;
                if (Vector256.IsHardwareAccelerated)
                    for (; c + 8 <= channels; c += 8)
                    {
                        switch (kind)
                        {
                            case Reduction.Sum: SumBlock(xr + c, n, channels).Store(s + c); break;
                            case Reduction.Moments:
                                var sum = SumBlock(xr + c, n, channels);
                                var mu = sum / Vector256.Create((float)Math.Max(1, n));
                                mu.Store(s + c);
                                SquaresBlock(xr + c, mu, n, channels).Store(q + c);
                                break;
                            default:
                                if (mr == null) NormGradBlock(new NoMask(), xr + c, dyr + c, null, Vector256.Load(pm + c), n, channels, s + c, q + c);
                                else NormGradBlock(new ReluMask(), xr + c, dyr + c, mr + c, Vector256.Load(pm + c), n, channels, s + c, q + c);
                                break;
                        }
                    }
                for (; c < channels; c++)
                {
                    float a = 0, b = 0;
                    switch (kind)
                    {
                        case Reduction.Sum:
                            for (int r = 0; r < n; r++) a += xr[(long)r * channels + c];
                            break;
                        case Reduction.Moments:
                            for (int r = 0; r < n; r++) a += xr[(long)r * channels + c];
                            a /= Math.Max(1, n);
                            for (int r = 0; r < n; r++)
                            {
                                float d = xr[(long)r * channels + c] - a;
                                b = MathF.FusedMultiplyAdd(d, d, b);
                            }
                            break;
                        default:
                            for (int r = 0; r < n; r++)
                            {
                                long i = (long)r * channels + c;
                                float g = mr == null || mr[i] > 0 ? dyr[i] : 0f;
                                a += g;
                                b = MathF.FusedMultiplyAdd(g, xr[(long)r * channels + c] - pm[c], b);
                            }
                            break;
                    }
                    s[c] = a;
                    if (kind != Reduction.Sum) q[c] = b;
                }
            }
        });
        return parts;
    }

    private static Vector256<float> SumBlock(float* x, int n, int stride)
    {
        Vector256<float> a = Vector256<float>.Zero, b = Vector256<float>.Zero;
        int r = 0;
        for (; r + 2 <= n; r += 2)
        {
            a += Vector256.Load(x + (long)r * stride);
            b += Vector256.Load(x + (long)(r + 1) * stride);
        }
        if (r < n) a += Vector256.Load(x + (long)r * stride);
        return a + b;
    }

    private static Vector256<float> SquaresBlock(float* x, Vector256<float> mu, int n, int stride)
    {
        Vector256<float> a = Vector256<float>.Zero, b = Vector256<float>.Zero;
        int r = 0;
        for (; r + 2 <= n; r += 2)
        {
            var d0 = Vector256.Load(x + (long)r * stride) - mu;
            var d1 = Vector256.Load(x + (long)(r + 1) * stride) - mu;
            a = Vector256.FusedMultiplyAdd(d0, d0, a);
            b = Vector256.FusedMultiplyAdd(d1, d1, b);
        }
        if (r < n)
        {
            var d = Vector256.Load(x + (long)r * stride) - mu;
            a = Vector256.FusedMultiplyAdd(d, d, a);
        }
        return a + b;
    }

    /// <summary>How dy is read: as is, or masked to where a fused ReLU's output is positive (ReluGrad's values).</summary>
    private interface IGradMask
    {
        static abstract Vector256<float> Load(float* dy, float* mask, long o);
    }

    private readonly struct NoMask : IGradMask
    {
        public static Vector256<float> Load(float* dy, float* mask, long o) => Vector256.Load(dy + o);
    }

    private readonly struct ReluMask : IGradMask
    {
        public static Vector256<float> Load(float* dy, float* mask, long o) =>
            Vector256.GreaterThan(Vector256.Load(mask + o), Vector256<float>.Zero) & Vector256.Load(dy + o);
    }

    private static void NormGradBlock<TMask>(TMask _, float* x, float* dy, float* mask, Vector256<float> mean, int n, int stride, float* s, float* q)
        where TMask : struct, IGradMask
    {
        Vector256<float> s0 = Vector256<float>.Zero, s1 = Vector256<float>.Zero, q0 = Vector256<float>.Zero, q1 = Vector256<float>.Zero;
        int r = 0;
        for (; r + 2 <= n; r += 2)
        {
            long o0 = (long)r * stride, o1 = o0 + stride;
            var g0 = TMask.Load(dy, mask, o0);
            var g1 = TMask.Load(dy, mask, o1);
            s0 += g0;
            s1 += g1;
            q0 = Vector256.FusedMultiplyAdd(g0, Vector256.Load(x + o0) - mean, q0);
            q1 = Vector256.FusedMultiplyAdd(g1, Vector256.Load(x + o1) - mean, q1);
        }
        if (r < n)
        {
            long o = (long)r * stride;
            var g = TMask.Load(dy, mask, o);
            s0 += g;
            q0 = Vector256.FusedMultiplyAdd(g, Vector256.Load(x + o) - mean, q0);
        }
        (s0 + s1).Store(s);
        (q0 + q1).Store(q);
    }

    /// <inheritdoc/>
    public void ColumnSum(float[] dy, float[] db, int channels)
    {
        int rows = dy.Length / channels, chunks = Math.Max(1, CpuParallel.ChunkCount(rows, RowChunk));
        var parts = ReduceChunks(Reduction.Sum, dy, null, null, null, channels, rows, chunks);
        for (int c = 0; c < channels; c++)
        {
            double t = 0;
            for (int ch = 0; ch < chunks; ch++) t += parts[ch * channels + c];
            db[c] = (float)t;
        }
        ArrayPool<float>.Shared.Return(parts);
    }

    /// <inheritdoc/>
    public void ChannelMoments(float[] x, int channels, float[] mean, float[] variance)
    {
        int rows = x.Length / channels, chunks = Math.Max(1, CpuParallel.ChunkCount(rows, RowChunk));
        var parts = ReduceChunks(Reduction.Moments, x, null, null, null, channels, rows, chunks);
        // Chunk means and centred sums of squares combine exactly (Chan et al.): M2 = Σ M2_k + n_k·(mean_k − mean)².
        for (int c = 0; c < channels; c++)
        {
            double total = 0;
            for (int ch = 0; ch < chunks; ch++) total += (double)parts[2 * ch * channels + c] * ChunkRows(rows, ch);
            double mu = rows == 0 ? 0 : total / rows, m2 = 0;
            for (int ch = 0; ch < chunks; ch++)
            {
                double d = parts[2 * ch * channels + c] - mu;
                m2 += parts[(2 * ch + 1) * channels + c] + ChunkRows(rows, ch) * d * d;
            }
            mean[c] = (float)mu;
            variance[c] = rows == 0 ? 0 : (float)(m2 / rows);
        }
        ArrayPool<float>.Shared.Return(parts);
    }

    private static int ChunkRows(int rows, int chunk) => Math.Max(0, Math.Min(RowChunk, rows - chunk * RowChunk));

    /// <inheritdoc/>
    public void BatchNormReductions(float[] x, float[] dy, float[]? reluOutput, float[] mean, float[] invStd, int channels, float[] sumDy, float[] sumDyXhat)
    {
        int rows = x.Length / channels, chunks = Math.Max(1, CpuParallel.ChunkCount(rows, RowChunk));
        var parts = ReduceChunks(Reduction.NormGrad, x, dy, reluOutput, mean, channels, rows, chunks);
        for (int c = 0; c < channels; c++)
        {
            double s = 0, q = 0;
            for (int ch = 0; ch < chunks; ch++)
            {
                s += parts[2 * ch * channels + c];
                q += parts[(2 * ch + 1) * channels + c];
            }
            sumDy[c] = (float)s;
            sumDyXhat[c] = (float)(q * invStd[c]);
        }
        ArrayPool<float>.Shared.Return(parts);
    }

    /// <inheritdoc/>
    public void BatchNormBackwardData(float[] x, float[] dy, float[]? reluOutput, float[] mean, float[] invStd, float[] gamma, float[] sumDy, float[] sumDyXhat, int channels, float[] dx)
    {
        int rows = x.Length / channels;
        float invM = rows == 0 ? 0 : 1f / rows;
        // dx = k·dy + a·x + b per channel, with k = γ·invStd, a = −k·invStd·Σdy·x̂/m, b = −k·Σdy/m − a·mean: one pass.
        var k = new float[channels];
        var a = new float[channels];
        var b = new float[channels];
        for (int c = 0; c < channels; c++)
        {
            k[c] = gamma[c] * invStd[c];
            a[c] = -k[c] * invStd[c] * sumDyXhat[c] * invM;
            b[c] = -k[c] * sumDy[c] * invM - a[c] * mean[c];
        }
        CpuParallel.For(CpuParallel.ChunkCount(rows, RowChunk), ch =>
        {
            int r0 = ch * RowChunk, r1 = Math.Min(rows, r0 + RowChunk);
            fixed (float* px = x, pdy = dy, pmask = reluOutput, pdx = dx, pk = k, pa = a, pb = b)
                for (int r = r0; r < r1; r++)
                {
                    long o = (long)r * channels;
                    int c = 0;
                    if (Vector256.IsHardwareAccelerated)
                        for (; c + 8 <= channels; c += 8)
                        {
                            var g = pmask == null ? NoMask.Load(pdy, null, o + c) : ReluMask.Load(pdy, pmask, o + c);
                            Vector256.FusedMultiplyAdd(Vector256.Load(pk + c), g,
                                Vector256.FusedMultiplyAdd(Vector256.Load(pa + c), Vector256.Load(px + o + c), Vector256.Load(pb + c))).Store(pdx + o + c);
                        }
                    for (; c < channels; c++)
                    {
                        float g = pmask == null || pmask[o + c] > 0 ? pdy[o + c] : 0f;
                        pdx[o + c] = MathF.FusedMultiplyAdd(pk[c], g, MathF.FusedMultiplyAdd(pa[c], px[o + c], pb[c]));
                    }
                }
        });
    }

    /// <summary>
    /// max(x, 0) that keeps NaN: maxps(0, x) returns its second operand unless 0 &gt; x, and the scalar tail does the
    /// same (so −0 stays −0 there too), which makes the result independent of where chunks start and end.
    /// </summary>
    private static void ReluChunk(float* x, float* y, int n)
    {
        int i = 0;
        if (Avx.IsSupported)
            for (; i + 8 <= n; i += 8) Avx.Max(Vector256<float>.Zero, Avx.LoadVector256(x + i)).Store(y + i);
        for (; i < n; i++) y[i] = 0f > x[i] ? 0f : x[i];
    }

    /// <summary>dx = dy where x &gt; 0, else 0 (TensorFlow's ReluGrad: 0 at x = 0).</summary>
    private static void ReluGradChunk(float* y, float* dy, float* dx, int n)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i + 8 <= n; i += 8)
                (Vector256.GreaterThan(Vector256.Load(y + i), Vector256<float>.Zero) & Vector256.Load(dy + i)).Store(dx + i);
        for (; i < n; i++) dx[i] = y[i] > 0 ? dy[i] : 0f;
    }
}
