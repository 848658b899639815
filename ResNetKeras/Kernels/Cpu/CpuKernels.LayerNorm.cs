namespace ResNetKeras.Kernels.Cpu;

// Layer normalization over the trailing cols of a (rows × cols) view, and the per-(sample, channel) mask of SpatialDropout2D.
public sealed partial class CpuKernels
{
    /// <inheritdoc/>
    public void LayerNormForward(float[] x, float[]? gamma, float[]? beta, float[] y, float[] mean, float[] invStd, int rows, int cols, float epsilon)
    {
        CpuParallel.For(rows, r =>
        {
            int o = r * cols;
            double s = 0;
            for (int j = 0; j < cols; j++) s += x[o + j];
            double m = s / cols, v = 0;
            for (int j = 0; j < cols; j++) { double d = x[o + j] - m; v += d * d; }
            float inv = (float)(1.0 / Math.Sqrt(v / cols + epsilon));
            float mf = (float)m;
            mean[r] = mf;
            invStd[r] = inv;
            for (int j = 0; j < cols; j++)
            {
                float xh = (x[o + j] - mf) * inv;
                y[o + j] = xh * (gamma is null ? 1f : gamma[j]) + (beta is null ? 0f : beta[j]);
            }
        });
    }

    /// <inheritdoc/>
    public void LayerNormBackward(float[] x, float[] dy, float[]? gamma, float[] mean, float[] invStd, float[]? dx, float[]? dgamma, float[]? dbeta, int rows, int cols)
    {
        if (dx is not null)
            CpuParallel.For(rows, r =>
            {
                int o = r * cols;
                float m = mean[r], inv = invStd[r];
                double sg = 0, sgx = 0;
                for (int j = 0; j < cols; j++)
                {
                    double gj = dy[o + j] * (gamma is null ? 1f : gamma[j]);
                    sg += gj;
                    sgx += gj * (x[o + j] - m) * inv;
                }
                float mg = (float)(sg / cols), mgx = (float)(sgx / cols);
                for (int j = 0; j < cols; j++)
                {
                    float gj = dy[o + j] * (gamma is null ? 1f : gamma[j]);
                    dx[o + j] = inv * (gj - mg - (x[o + j] - m) * inv * mgx);
                }
            });
        if (dgamma is null && dbeta is null) return;
        // One item per column, rows summed in order: the same result for any thread count.
        CpuParallel.For(cols, j =>
        {
            double sg = 0, sb = 0;
            for (int r = 0; r < rows; r++)
            {
                double d = dy[r * cols + j];
                sb += d;
                sg += d * (x[r * cols + j] - mean[r]) * invStd[r];
            }
            if (dgamma is not null) dgamma[j] = (float)sg;
            if (dbeta is not null) dbeta[j] = (float)sb;
        });
    }

    /// <inheritdoc/>
    public void ChannelMaskMultiply(float[] x, float[] mask, float[] y, int batch, int spatial, int channels)
    {
        CpuParallel.For(batch, n =>
        {
            var m = mask.AsSpan(n * channels, channels);
            for (int s = 0; s < spatial; s++)
            {
                int o = (n * spatial + s) * channels;
                System.Numerics.Tensors.TensorPrimitives.Multiply(x.AsSpan(o, channels), m, y.AsSpan(o, channels));
            }
        });
    }
}
