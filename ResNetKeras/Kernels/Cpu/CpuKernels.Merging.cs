using System.Numerics.Tensors;

namespace ResNetKeras.Kernels.Cpu;

// Keras's merge layers (binary element-wise functions, concatenation), axis permutation and the preprocessing
// layers' affine maps. Pure data movement or one flop per element: nothing here depends on the thread count.
public sealed partial class CpuKernels
{
    /// <inheritdoc/>
    public void Binary(BinaryKind kind, float[] a, float[] b, float[] y)
    {
        switch (kind)
        {
            case BinaryKind.Subtract: TensorPrimitives.Subtract(a, b, y); break;
            // Not TensorPrimitives.Max/Min: those propagate NaN like IEEE maximum, TensorFlow's kernels compare.
            case BinaryKind.Maximum: Map(y.Length, i => y[i] = a[i] >= b[i] ? a[i] : b[i]); break;
            case BinaryKind.Minimum: Map(y.Length, i => y[i] = a[i] <= b[i] ? a[i] : b[i]); break;
            case BinaryKind.Divide: TensorPrimitives.Divide(a, b, y); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown binary kernel.");
        }
    }

    /// <inheritdoc/>
    public void BinaryGrad(BinaryKind kind, float[] a, float[] b, float[] dy, float[]? da, float[]? db)
    {
        switch (kind)
        {
            case BinaryKind.Subtract:
                if (da is not null) dy.AsSpan(0, da.Length).CopyTo(da);
                if (db is not null) TensorPrimitives.Negate(dy, db);
                break;
            case BinaryKind.Maximum or BinaryKind.Minimum:
                bool max = kind == BinaryKind.Maximum;
                Map(dy.Length, i =>
                {
                    bool toA = max ? a[i] >= b[i] : a[i] <= b[i];
                    if (da is not null) da[i] = toA ? dy[i] : 0f;
                    if (db is not null) db[i] = toA ? 0f : dy[i];
                });
                break;
            case BinaryKind.Divide:
                // d(a/b)/da = 1/b, d(a/b)/db = −a/b² (TensorFlow's RealDiv gradient).
                Map(dy.Length, i =>
                {
                    if (da is not null) da[i] = dy[i] / b[i];
                    if (db is not null) db[i] = -dy[i] * a[i] / (b[i] * b[i]);
                });
                break;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown binary kernel.");
        }
    }

    /// <inheritdoc/>
    public void Concat(IReadOnlyList<float[]> xs, float[] y, int outer, int[] inners)
    {
        int total = 0;
        foreach (int w in inners) total += w;
        CpuParallel.For(outer, o =>
        {
            int offset = 0;
            for (int i = 0; i < xs.Count; i++)
            {
                xs[i].AsSpan(o * inners[i], inners[i]).CopyTo(y.AsSpan(o * total + offset, inners[i]));
                offset += inners[i];
            }
        });
    }

    /// <inheritdoc/>
    public void SliceColumns(float[] y, float[] x, int outer, int total, int offset, int inner) =>
        CpuParallel.For(outer, o => y.AsSpan(o * total + offset, inner).CopyTo(x.AsSpan(o * inner, inner)));

    /// <inheritdoc/>
    public void Transpose(float[] x, float[] y, int[] shape, int[] perm)
    {
        int rank = shape.Length;
        var inStrides = new int[rank];
        for (int d = rank - 1, s = 1; d >= 0; d--) { inStrides[d] = s; s *= shape[d]; }
        // Output axis d walks input axis perm[d]; the last output axis is copied as one strided run per row.
        var outShape = new int[rank];
        var walk = new int[rank];
        for (int d = 0; d < rank; d++) { outShape[d] = shape[perm[d]]; walk[d] = inStrides[perm[d]]; }
        int last = rank == 0 ? 1 : outShape[rank - 1], lastStride = rank == 0 ? 0 : walk[rank - 1];
        int rows = last == 0 ? 0 : y.Length / last;
        CpuParallel.For(CpuParallel.ChunkCount(rows, RowChunk), ch =>
        {
            int r1 = Math.Min(rows, (ch + 1) * RowChunk);
            for (int r = ch * RowChunk; r < r1; r++)
            {
                int rest = r, src = 0;
                for (int d = rank - 2; d >= 0; d--)
                {
                    src += rest % outShape[d] * walk[d];
                    rest /= outShape[d];
                }
                int dst = r * last;
                for (int j = 0; j < last; j++, src += lastStride) y[dst + j] = x[src];
            }
        });
    }

    /// <inheritdoc/>
    public void AffineScalar(float[] x, float[] y, float scale, float offset)
    {
        // Two roundings, as Keras's `inputs * scale + offset` computes it.
        TensorPrimitives.Multiply(x, scale, y);
        TensorPrimitives.Add(y, offset, y);
    }

    /// <inheritdoc/>
    public void AxisNormalize(float[] x, float[] mean, float[] variance, float[] y, int outer, int channels, int inner, float epsilon, bool invert)
    {
        var std = Std(variance, channels, epsilon);
        CpuParallel.For(outer, o =>
        {
            for (int c = 0; c < channels; c++)
            {
                int start = (o * channels + c) * inner;
                var xs = x.AsSpan(start, inner);
                var ys = y.AsSpan(start, inner);
                if (invert)
                {
                    TensorPrimitives.Multiply(xs, std[c], ys);
                    TensorPrimitives.Add(ys, mean[c], ys);
                }
                else
                {
                    TensorPrimitives.Subtract(xs, mean[c], ys);
                    TensorPrimitives.Divide(ys, std[c], ys);
                }
            }
        });
    }

    /// <inheritdoc/>
    public void AxisNormalizeGrad(float[] dy, float[] variance, float[] dx, int outer, int channels, int inner, float epsilon, bool invert)
    {
        var std = Std(variance, channels, epsilon);
        CpuParallel.For(outer, o =>
        {
            for (int c = 0; c < channels; c++)
            {
                int start = (o * channels + c) * inner;
                if (invert) TensorPrimitives.Multiply(dy.AsSpan(start, inner), std[c], dx.AsSpan(start, inner));
                else TensorPrimitives.Divide(dy.AsSpan(start, inner), std[c], dx.AsSpan(start, inner));
            }
        });
    }

    /// <summary>max(√var, ε) per channel, as Keras 3's Normalization divides.</summary>
    private static float[] Std(float[] variance, int channels, float epsilon)
    {
        var std = new float[channels];
        for (int c = 0; c < channels; c++) std[c] = Math.Max(MathF.Sqrt(variance[c]), epsilon);
        return std;
    }
}
