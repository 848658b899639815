namespace ResNetKeras.Kernels.Cpu;

// Keras 3's L2 normalization (ops.normalize with order=2), the cosine-similarity loss's building block. Rows are
// independent, so the result does not depend on the thread count; sums run in double.
public sealed partial class CpuKernels
{
    /// <inheritdoc/>
    public void L2NormalizeRows(float[] x, float[] y, int k, float epsilon)
    {
        int rows = k == 0 ? 0 : y.Length / k;
        CpuParallel.For(rows, r =>
        {
            var xs = x.AsSpan(r * k, k);
            var ys = y.AsSpan(r * k, k);
            float inv = InverseNormBound(xs, epsilon, out _);
            for (int j = 0; j < k; j++) ys[j] = xs[j] * inv;
        });
    }

    /// <inheritdoc/>
    public void L2NormalizeRowsGrad(float[] x, float[] dy, float[] dx, int k, float epsilon)
    {
        int rows = k == 0 ? 0 : dx.Length / k;
        CpuParallel.For(rows, r =>
        {
            var xs = x.AsSpan(r * k, k);
            var dys = dy.AsSpan(r * k, k);
            var dxs = dx.AsSpan(r * k, k);
            float inv = InverseNormBound(xs, epsilon, out bool bounded);
            if (bounded)
            {
                // The bound 1/ε is a constant: only the scaling flows back.
                for (int j = 0; j < k; j++) dxs[j] = dys[j] * inv;
                return;
            }
            double dot = 0;
            for (int j = 0; j < k; j++) dot += (double)dys[j] * xs[j] * inv;
            for (int j = 0; j < k; j++) dxs[j] = inv * (dys[j] - (float)dot * xs[j] * inv);
        });
    }

    /// <summary>min(1/√Σx², 1/ε) as Keras 3 computes it; <paramref name="bounded"/> when 1/ε wins (TensorFlow's Minimum sends ties to rsqrt).</summary>
    private static float InverseNormBound(ReadOnlySpan<float> x, float epsilon, out bool bounded)
    {
        double s = 0;
        foreach (float v in x) s += (double)v * v;
        float rsqrt = 1f / MathF.Sqrt((float)s);
        float cap = 1f / epsilon;
        bounded = !(rsqrt <= cap);
        return bounded ? cap : rsqrt;
    }
}
