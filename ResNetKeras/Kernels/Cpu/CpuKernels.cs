using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

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
    public void ChannelAffine(float[] x, float[] mean, float[] scale, float[] shift, float[] y, int channels, bool relu)
    {
        int rows = x.Length / channels;
        // y = x·scale + (shift − mean·scale): one fused multiply-add per element over whole rows.
        var bias = new float[channels];
        for (int c = 0; c < channels; c++) bias[c] = shift[c] - mean[c] * scale[c];
        CpuParallel.For(CpuParallel.ChunkCount(rows, RowChunk), ch =>
        {
            int r0 = ch * RowChunk, r1 = Math.Min(rows, (ch + 1) * RowChunk);
            RowsAffine(x, scale, bias, y, channels, r0, r1);
            // The rows just written are still in L1/L2: the ReLU costs no extra trip to memory.
            if (relu)
                fixed (float* py = y) ReluChunk(py + (long)r0 * channels, py + (long)r0 * channels, (r1 - r0) * channels);
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
                    fixed (float* px = x, py = y) ReluChunk(px + start, py + start, len);
                });
                break;
            case UnaryKind.Sigmoid: TensorPrimitives.Sigmoid(x, y); break;
            case UnaryKind.Tanh: TensorPrimitives.Tanh(x, y); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown unary kernel.");
        }
    }

    /// <inheritdoc/>
    public void UnaryGrad(UnaryKind kind, float[] y, float[] dy, float[] dx)
    {
        switch (kind)
        {
            case UnaryKind.Relu:
                CpuParallel.For(CpuParallel.ChunkCount(dx.Length, ElementChunk), ch =>
                {
                    int start = ch * ElementChunk, len = Math.Min(dx.Length - start, ElementChunk);
                    fixed (float* py = y, pdy = dy, pdx = dx) ReluGradChunk(py + start, pdy + start, pdx + start, len);
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
    public void AddN(IReadOnlyList<float[]> xs, float[] y, bool relu)
    {
        CpuParallel.For(CpuParallel.ChunkCount(y.Length, ElementChunk), ch =>
        {
            int start = ch * ElementChunk, len = Math.Min(y.Length - start, ElementChunk);
            var dst = y.AsSpan(start, len);
            if (xs.Count == 1) xs[0].AsSpan(start, len).CopyTo(dst);
            else TensorPrimitives.Add(xs[0].AsSpan(start, len), xs[1].AsSpan(start, len), dst);
            for (int i = 2; i < xs.Count; i++) TensorPrimitives.Add(dst, xs[i].AsSpan(start, len), dst);
            if (relu)
                fixed (float* py = y) ReluChunk(py + start, py + start, len);
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
        fixed (float* px = x, pa = a, pb = b, py = y)
            for (int r = r0; r < r1; r++)
            {
                long o = (long)r * channels;
                int c = 0;
                if (Vector256.IsHardwareAccelerated)
                {
                    if (pa == null)
                        for (; c + 8 <= channels; c += 8) (Vector256.Load(px + o + c) + Vector256.Load(pb + c)).Store(py + o + c);
                    else
                        for (; c + 8 <= channels; c += 8)
                            Vector256.FusedMultiplyAdd(Vector256.Load(px + o + c), Vector256.Load(pa + c), Vector256.Load(pb + c)).Store(py + o + c);
                }
                for (; c < channels; c++) py[o + c] = pa == null ? px[o + c] + pb[c] : MathF.FusedMultiplyAdd(px[o + c], pa[c], pb[c]);
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
