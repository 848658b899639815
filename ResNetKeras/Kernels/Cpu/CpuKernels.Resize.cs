namespace ResNetKeras.Kernels.Cpu;

// tf.image.resize as Keras 3 calls it (half_pixel_centers, no antialiasing), in TensorFlow's float32 arithmetic.
public sealed partial class CpuKernels
{
    /// <summary>Nearest source index: min(floor((i + 0.5)·scale), in − 1) (TF's ResizeNearestNeighbor with half_pixel_centers).</summary>
    internal static int NearestIndex(int i, float scale, int inSize) => Math.Min((int)MathF.Floor((i + 0.5f) * scale), inSize - 1);

    /// <summary>Bilinear taps of output index i: source (i + 0.5)·scale − 0.5, clamped to the edges (TF's compute_interpolation_weights).</summary>
    internal static (int Lower, int Upper, float Lerp) BilinearTaps(int i, float scale, int inSize)
    {
        float s = (i + 0.5f) * scale - 0.5f;
        float f = MathF.Floor(s);
        return (Math.Max((int)f, 0), Math.Min((int)MathF.Ceiling(s), inSize - 1), s - f);
    }

    /// <inheritdoc/>
    public void Resize2DForward(bool bilinear, float[] x, float[] y, int n, int h, int w, int c, int outH, int outW)
    {
        float sh = (float)h / outH, sw = (float)w / outW;
        CpuParallel.For(n * outH, item =>
        {
            int b = item / outH, oy = item % outH;
            for (int ox = 0; ox < outW; ox++)
            {
                int yo = ((b * outH + oy) * outW + ox) * c;
                if (!bilinear)
                {
                    int xo = ((b * h + NearestIndex(oy, sh, h)) * w + NearestIndex(ox, sw, w)) * c;
                    Array.Copy(x, xo, y, yo, c);
                    continue;
                }
                var (y0, y1, ly) = BilinearTaps(oy, sh, h);
                var (x0, x1, lx) = BilinearTaps(ox, sw, w);
                int tl = ((b * h + y0) * w + x0) * c, tr = ((b * h + y0) * w + x1) * c;
                int bl = ((b * h + y1) * w + x0) * c, br = ((b * h + y1) * w + x1) * c;
                for (int ch = 0; ch < c; ch++)
                {
                    float top = x[tl + ch] + (x[tr + ch] - x[tl + ch]) * lx;
                    float bottom = x[bl + ch] + (x[br + ch] - x[bl + ch]) * lx;
                    y[yo + ch] = top + (bottom - top) * ly;
                }
            }
        });
    }

    /// <inheritdoc/>
    public void Resize2DBackward(bool bilinear, float[] dy, float[] dx, int n, int h, int w, int c, int outH, int outW)
    {
        float sh = (float)h / outH, sw = (float)w / outW;
        // One item per image: each scatters only into its own dx image, in a fixed order.
        CpuParallel.For(n, b =>
        {
            Array.Clear(dx, b * h * w * c, h * w * c);
            for (int oy = 0; oy < outH; oy++)
                for (int ox = 0; ox < outW; ox++)
                {
                    int yo = ((b * outH + oy) * outW + ox) * c;
                    if (!bilinear)
                    {
                        int xo = ((b * h + NearestIndex(oy, sh, h)) * w + NearestIndex(ox, sw, w)) * c;
                        for (int ch = 0; ch < c; ch++) dx[xo + ch] += dy[yo + ch];
                        continue;
                    }
                    var (y0, y1, ly) = BilinearTaps(oy, sh, h);
                    var (x0, x1, lx) = BilinearTaps(ox, sw, w);
                    int tl = ((b * h + y0) * w + x0) * c, tr = ((b * h + y0) * w + x1) * c;
                    int bl = ((b * h + y1) * w + x0) * c, br = ((b * h + y1) * w + x1) * c;
                    for (int ch = 0; ch < c; ch++)
                    {
                        float g = dy[yo + ch], top = g * (1 - ly), bottom = g * ly;
                        dx[tl + ch] += top * (1 - lx);
                        dx[tr + ch] += top * lx;
                        dx[bl + ch] += bottom * (1 - lx);
                        dx[br + ch] += bottom * lx;
                    }
                }
        });
    }
}
