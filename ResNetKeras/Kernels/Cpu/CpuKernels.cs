using System.Buffers;
using System.Numerics.Tensors;

namespace ResNetKeras.Kernels.Cpu;

/// <summary>
/// The CPU implementation of <see cref="IKernels"/>: vector loops (System.Numerics) and work split
/// through <see cref="CpuParallel"/> into thread-independent items. Reductions over the batch are
/// summed per fixed-size chunk and then in chunk order, so the result does not depend on how many
/// threads ran.
/// </summary>
public sealed unsafe partial class CpuKernels : IKernels
{
    /// <summary>Rows per chunk for per-channel reductions (fixed so results do not depend on threads).</summary>
    internal const int RowChunk = 512;

    /// <summary>Elements per work item of element-wise kernels.</summary>
    internal const int ElementChunk = 1 << 16;

    /// <inheritdoc/>
    public void Gemm(bool transA, bool transB, int m, int n, int k, float[] a, float[] b, float[] c)
    {
        CpuParallel.For(m, i =>
        {
            var ci = c.AsSpan(i * n, n);
            ci.Clear();
            if (!transA && !transB)
                for (int p = 0; p < k; p++) VectorMath.Axpy(a[i * k + p], b.AsSpan(p * n, n), ci);
            else if (!transA && transB)
            {
                var ai = a.AsSpan(i * k, k);
                for (int j = 0; j < n; j++) ci[j] = VectorMath.Dot(ai, b.AsSpan(j * k, k));
            }
            else if (transA && !transB)
                for (int p = 0; p < k; p++) VectorMath.Axpy(a[p * m + i], b.AsSpan(p * n, n), ci);
            else
                for (int j = 0; j < n; j++)
                {
                    float s = 0;
                    for (int p = 0; p < k; p++) s += a[p * m + i] * b[j * k + p];
                    ci[j] = s;
                }
        });
    }

    /// <inheritdoc/>
    public void BiasAdd(float[] x, float[] bias, float[] y, int channels)
    {
        int rows = x.Length / channels;
        CpuParallel.For(CpuParallel.ChunkCount(rows, RowChunk), ch => RowsAffine(x, null, bias, y, channels, ch * RowChunk, Math.Min(rows, (ch + 1) * RowChunk)));
    }

    /// <inheritdoc/>
    public void ColumnSum(float[] dy, float[] db, int channels)
    {
        int rows = dy.Length / channels;
        var total = ChunkedColumnSums(rows, channels, 1, (r0, r1, acc) =>
        {
            for (int r = r0; r < r1; r++) AddRow(dy, r * channels, acc, 0, channels);
        });
        for (int c = 0; c < channels; c++) db[c] = (float)total[c];
    }

    /// <summary>
    /// Sums per-channel quantities over row chunks: each chunk of <see cref="RowChunk"/> rows fills its own float
    /// accumulators (<paramref name="width"/> arrays of <paramref name="channels"/>), then the chunks are added in
    /// order in double, so the result does not depend on the thread count.
    /// </summary>
    internal static double[] ChunkedColumnSums(int rows, int channels, int width, Action<int, int, float[]> chunkBody)
    {
        int chunks = Math.Max(1, CpuParallel.ChunkCount(rows, RowChunk));
        var parts = new float[chunks][];
        CpuParallel.For(chunks, ch =>
        {
            var acc = new float[channels * width];
            chunkBody(ch * RowChunk, Math.Min(rows, (ch + 1) * RowChunk), acc);
            parts[ch] = acc;
        });
        var total = new double[channels * width];
        foreach (var p in parts)
            for (int i = 0; i < total.Length; i++) total[i] += p[i];
        return total;
    }

    /// <summary>acc[a..a+n] += x[o..o+n].</summary>
    private static void AddRow(float[] x, int o, float[] acc, int a, int n)
    {
        int w = System.Numerics.Vector<float>.Count, c = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated)
            for (; c <= n - w; c += w)
                (new System.Numerics.Vector<float>(acc, a + c) + new System.Numerics.Vector<float>(x, o + c)).CopyTo(acc, a + c);
        for (; c < n; c++) acc[a + c] += x[o + c];
    }

    /// <inheritdoc/>
    public void ChannelMoments(float[] x, int channels, float[] mean, float[] variance)
    {
        int rows = x.Length / channels;
        var sums = ChunkedColumnSums(rows, channels, 1, (r0, r1, acc) =>
        {
            for (int r = r0; r < r1; r++) AddRow(x, r * channels, acc, 0, channels);
        });
        var mu = new float[channels];
        for (int c = 0; c < channels; c++) mu[c] = rows == 0 ? 0 : (float)(sums[c] / rows);
        // Two passes: the centred second moment avoids the cancellation of E[x²] − E[x]².
        var sq = ChunkedColumnSums(rows, channels, 1, (r0, r1, acc) =>
        {
            int w = System.Numerics.Vector<float>.Count;
            int vecEnd = System.Numerics.Vector.IsHardwareAccelerated ? channels - channels % w : 0;
            for (int r = r0; r < r1; r++)
            {
                int o = r * channels, c = 0;
                for (; c < vecEnd; c += w)
                {
                    var d = new System.Numerics.Vector<float>(x, o + c) - new System.Numerics.Vector<float>(mu, c);
                    System.Numerics.Vector.FusedMultiplyAdd(d, d, new System.Numerics.Vector<float>(acc, c)).CopyTo(acc, c);
                }
                for (; c < channels; c++)
                {
                    float d = x[o + c] - mu[c];
                    acc[c] += d * d;
                }
            }
        });
        for (int c = 0; c < channels; c++)
        {
            mean[c] = mu[c];
            variance[c] = rows == 0 ? 0 : (float)(sq[c] / rows);
        }
    }

    /// <inheritdoc/>
    public void ChannelAffine(float[] x, float[] mean, float[] scale, float[] shift, float[] y, int channels)
    {
        int rows = x.Length / channels;
        // y = x·scale + (shift − mean·scale): one fused multiply-add per element over whole rows.
        var bias = new float[channels];
        for (int c = 0; c < channels; c++) bias[c] = shift[c] - mean[c] * scale[c];
        CpuParallel.For(CpuParallel.ChunkCount(rows, RowChunk), ch => RowsAffine(x, scale, bias, y, channels, ch * RowChunk, Math.Min(rows, (ch + 1) * RowChunk)));
    }

    /// <inheritdoc/>
    public void BatchNormReductions(float[] x, float[] dy, float[] mean, float[] invStd, int channels, float[] sumDy, float[] sumDyXhat)
    {
        int rows = x.Length / channels;
        var s = ChunkedColumnSums(rows, channels, 2, (r0, r1, acc) =>
        {
            int w = System.Numerics.Vector<float>.Count;
            int vecEnd = System.Numerics.Vector.IsHardwareAccelerated ? channels - channels % w : 0;
            for (int r = r0; r < r1; r++)
            {
                int o = r * channels, c = 0;
                AddRow(dy, o, acc, 0, channels);
                for (; c < vecEnd; c += w)
                {
                    var xhat = (new System.Numerics.Vector<float>(x, o + c) - new System.Numerics.Vector<float>(mean, c)) * new System.Numerics.Vector<float>(invStd, c);
                    System.Numerics.Vector.FusedMultiplyAdd(new System.Numerics.Vector<float>(dy, o + c), xhat, new System.Numerics.Vector<float>(acc, channels + c)).CopyTo(acc, channels + c);
                }
                for (; c < channels; c++) acc[channels + c] += dy[o + c] * (x[o + c] - mean[c]) * invStd[c];
            }
        });
        for (int c = 0; c < channels; c++)
        {
            sumDy[c] = (float)s[c];
            sumDyXhat[c] = (float)s[channels + c];
        }
    }

    /// <inheritdoc/>
    public void BatchNormBackwardData(float[] x, float[] dy, float[] mean, float[] invStd, float[] gamma, float[] sumDy, float[] sumDyXhat, int channels, float[] dx)
    {
        int rows = x.Length / channels;
        float invM = rows == 0 ? 0 : 1f / rows;
        // dx = k·dy + a·x + b per channel, with k = γ·invStd, a = −k·invStd·Σdy·x̂/m, b = −k·Σdy/m − a·mean.
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
            int end = Math.Min(rows, (ch + 1) * RowChunk);
            RowsAffine(x, a, b, dx, channels, ch * RowChunk, end);
            int w = System.Numerics.Vector<float>.Count;
            int vecEnd = System.Numerics.Vector.IsHardwareAccelerated ? channels - channels % w : 0;
            for (int r = ch * RowChunk; r < end; r++)
            {
                int o = r * channels, c = 0;
                for (; c < vecEnd; c += w)
                    System.Numerics.Vector.FusedMultiplyAdd(new System.Numerics.Vector<float>(dy, o + c), new System.Numerics.Vector<float>(k, c), new System.Numerics.Vector<float>(dx, o + c)).CopyTo(dx, o + c);
                for (; c < channels; c++) dx[o + c] = MathF.FusedMultiplyAdd(dy[o + c], k[c], dx[o + c]);
            }
        });
    }

    /// <inheritdoc/>
    public void Unary(UnaryKind kind, float[] x, float[] y)
    {
        switch (kind)
        {
            case UnaryKind.Relu:
                CpuParallel.For(CpuParallel.ChunkCount(x.Length, ElementChunk), ch =>
                {
                    int start = ch * ElementChunk, len = Math.Min(x.Length - start, ElementChunk);
                    TensorPrimitives.Max(x.AsSpan(start, len), 0f, y.AsSpan(start, len));
                });
                break;
            case UnaryKind.Sigmoid: TensorPrimitives.Sigmoid(x, y); break;
            case UnaryKind.Tanh: TensorPrimitives.Tanh(x, y); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown unary kernel.");
        }
    }

    /// <inheritdoc/>
    public void UnaryGrad(UnaryKind kind, float[] x, float[] y, float[] dy, float[] dx)
    {
        switch (kind)
        {
            case UnaryKind.Relu:
                // TF's ReluGrad: gradient 1 where x > 0, else 0 (0 at x = 0).
                CpuParallel.For(CpuParallel.ChunkCount(dx.Length, ElementChunk), ch =>
                {
                    int start = ch * ElementChunk, end = Math.Min(dx.Length, start + ElementChunk), i = start;
                    if (System.Numerics.Vector.IsHardwareAccelerated)
                    {
                        int w = System.Numerics.Vector<float>.Count;
                        for (; i <= end - w; i += w)
                        {
                            var vx = new System.Numerics.Vector<float>(x, i);
                            var vdy = new System.Numerics.Vector<float>(dy, i);
                            System.Numerics.Vector.ConditionalSelect(System.Numerics.Vector.GreaterThan(vx, System.Numerics.Vector<float>.Zero), vdy, System.Numerics.Vector<float>.Zero).CopyTo(dx, i);
                        }
                    }
                    for (; i < end; i++) dx[i] = x[i] > 0 ? dy[i] : 0f;
                });
                break;
            case UnaryKind.Sigmoid:
                for (int i = 0; i < dx.Length; i++) dx[i] = dy[i] * y[i] * (1 - y[i]);
                break;
            case UnaryKind.Tanh:
                for (int i = 0; i < dx.Length; i++) dx[i] = dy[i] * (1 - y[i] * y[i]);
                break;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown unary kernel.");
        }
    }

    /// <inheritdoc/>
    public void Softmax(float[] x, float[] y, int classes)
    {
        int rows = classes == 0 ? 0 : x.Length / classes;
        for (int r = 0; r < rows; r++)
        {
            var xr = x.AsSpan(r * classes, classes);
            var yr = y.AsSpan(r * classes, classes);
            float max = TensorPrimitives.Max(xr);
            TensorPrimitives.Subtract(xr, max, yr);
            TensorPrimitives.Exp(yr, yr);
            float sum = TensorPrimitives.Sum(yr);
            TensorPrimitives.Divide(yr, sum, yr);
        }
    }

    /// <inheritdoc/>
    public void AddN(IReadOnlyList<float[]> xs, float[] y)
    {
        CpuParallel.For(CpuParallel.ChunkCount(y.Length, ElementChunk), ch =>
        {
            int start = ch * ElementChunk, len = Math.Min(y.Length - start, ElementChunk);
            var dst = y.AsSpan(start, len);
            xs[0].AsSpan(start, len).CopyTo(dst);
            for (int i = 1; i < xs.Count; i++) TensorPrimitives.Add(dst, xs[i].AsSpan(start, len), dst);
        });
    }

    /// <inheritdoc/>
    public void Scale(float[] x, float a, float[] y) => TensorPrimitives.Multiply(x, a, y);

    /// <inheritdoc/>
    public void Multiply(float[] x, float[] m, float[] y) => TensorPrimitives.Multiply(x, m, y);

    /// <inheritdoc/>
    public void ZeroPad2D(float[] x, float[] y, int n, int h, int w, int c, int top, int bottom, int left, int right)
    {
        int ph = h + top + bottom, pw = w + left + right;
        Array.Clear(y);
        CpuParallel.For(n, b =>
        {
            for (int i = 0; i < h; i++)
                x.AsSpan(((b * h + i) * w) * c, w * c).CopyTo(y.AsSpan(((b * ph + i + top) * pw + left) * c, w * c));
        });
    }

    /// <inheritdoc/>
    public void Crop2D(float[] y, float[] x, int n, int h, int w, int c, int top, int bottom, int left, int right)
    {
        int ph = h + top + bottom, pw = w + left + right;
        CpuParallel.For(n, b =>
        {
            for (int i = 0; i < h; i++)
                y.AsSpan(((b * ph + i + top) * pw + left) * c, w * c).CopyTo(x.AsSpan(((b * h + i) * w) * c, w * c));
        });
    }

    /// <summary>y[r, c] = x[r, c]·a[c] + b[c] over rows [r0, r1): the per-channel affine map shared by bias and batch norm.</summary>
    private static void RowsAffine(float[] x, float[]? a, float[] b, float[] y, int channels, int r0, int r1)
    {
        int w = System.Numerics.Vector<float>.Count;
        int vecEnd = System.Numerics.Vector.IsHardwareAccelerated ? channels - channels % w : 0;
        for (int r = r0; r < r1; r++)
        {
            int o = r * channels, c = 0;
            if (a is null)
                for (; c < vecEnd; c += w)
                    (new System.Numerics.Vector<float>(x, o + c) + new System.Numerics.Vector<float>(b, c)).CopyTo(y, o + c);
            else
                for (; c < vecEnd; c += w)
                    System.Numerics.Vector.FusedMultiplyAdd(new System.Numerics.Vector<float>(x, o + c), new System.Numerics.Vector<float>(a, c), new System.Numerics.Vector<float>(b, c)).CopyTo(y, o + c);
            for (; c < channels; c++) y[o + c] = a is null ? x[o + c] + b[c] : MathF.FusedMultiplyAdd(x[o + c], a[c], b[c]);
        }
    }

    internal static float[] Rent(int n)
    {
        var a = ArrayPool<float>.Shared.Rent(n);
        Array.Clear(a, 0, n);
        return a;
    }

    internal static void Return(float[] a) => ArrayPool<float>.Shared.Return(a);
}
