namespace ResNetKeras.Kernels.Cpu;

// Keras 3's image augmentation on TensorFlow: tf.raw_ops.ImageProjectiveTransformV3 (RandomFlip, RandomTranslation,
// RandomRotation, RandomZoom) and RandomContrast's per-image contrast adjustment, in TensorFlow's float32 arithmetic.
public sealed partial class CpuKernels
{
    /// <summary>TensorFlow's map_coordinate for one axis of length <paramref name="len"/>.</summary>
    internal static float MapCoordinate(float coord, int len, AffineFillMode mode)
    {
        float c = coord;
        switch (mode)
        {
            case AffineFillMode.Constant:
                return c;
            case AffineFillMode.Nearest:
                return Math.Clamp(c, 0f, len - 1);
            case AffineFillMode.Reflect:
                if (c < 0)
                {
                    if (len <= 1) c = 0;
                    else
                    {
                        long sz2 = 2L * len;
                        if (c < sz2) c = sz2 * (long)(-c / sz2) + c;
                        c = c < -len ? c + sz2 : -c - 1;
                    }
                }
                else if (c > len - 1)
                {
                    if (len <= 1) c = 0;
                    else
                    {
                        long sz2 = 2L * len;
                        c -= sz2 * (long)(c / sz2);
                        if (c >= len) c = sz2 - c - 1;
                    }
                }
                return Math.Clamp(c, 0f, len - 1);
            default: // Wrap
                if (c < 0)
                {
                    if (len <= 1) c = 0;
                    else c += len * ((long)(-c / (len - 1)) + 1);
                }
                else if (c > len - 1)
                {
                    if (len <= 1) c = 0;
                    else c -= len * (long)(c / (len - 1));
                }
                return Math.Clamp(c, 0f, len - 1);
        }
    }

    // The in-bounds source pixels of output (b, oy, ox) with their weights; returns the weight that falls outside the
    // image (it reads the fill value). Shared by the forward gather and the backward scatter.
    private static float AffineTaps(float[] t, int b, int oy, int ox, int h, int w, int c, bool bilinear, AffineFillMode mode, Span<int> offsets, Span<float> weights, out int count)
    {
        count = 0;
        int o = b * 8;
        float projection = t[o + 6] * ox + t[o + 7] * oy + 1f;
        if (projection == 0f) return 1f;
        float inX = (t[o] * ox + t[o + 1] * oy + t[o + 2]) / projection;
        float inY = (t[o + 3] * ox + t[o + 4] * oy + t[o + 5]) / projection;
        float x = MapCoordinate(inX, w, mode), y = MapCoordinate(inY, h, mode);
        float outside = 0f;
        if (!bilinear)
        {
            Tap(MathF.Round(y, MidpointRounding.AwayFromZero), MathF.Round(x, MidpointRounding.AwayFromZero), 1f, b, h, w, c, offsets, weights, ref count, ref outside);
            return outside;
        }
        float yf = MathF.Floor(y), xf = MathF.Floor(x), yc = yf + 1, xc = xf + 1;
        Tap(yf, xf, (yc - y) * (xc - x), b, h, w, c, offsets, weights, ref count, ref outside);
        Tap(yf, xc, (yc - y) * (x - xf), b, h, w, c, offsets, weights, ref count, ref outside);
        Tap(yc, xf, (y - yf) * (xc - x), b, h, w, c, offsets, weights, ref count, ref outside);
        Tap(yc, xc, (y - yf) * (x - xf), b, h, w, c, offsets, weights, ref count, ref outside);
        return outside;
    }

    private static void Tap(float yy, float xx, float weight, int b, int h, int w, int c, Span<int> offsets, Span<float> weights, ref int count, ref float outside)
    {
        if (!(yy >= 0 && yy <= h - 1 && xx >= 0 && xx <= w - 1)) { outside += weight; return; }
        offsets[count] = ((b * h + (int)yy) * w + (int)xx) * c;
        weights[count++] = weight;
    }

    /// <inheritdoc/>
    public void AffineTransform2DForward(float[] x, float[] transforms, float[] y, int n, int h, int w, int c, bool bilinear, AffineFillMode fillMode, float fillValue)
    {
        CpuParallel.For(n * h, item =>
        {
            int b = item / h, oy = item % h;
            Span<int> offsets = stackalloc int[4];
            Span<float> weights = stackalloc float[4];
            for (int ox = 0; ox < w; ox++)
            {
                int yo = ((b * h + oy) * w + ox) * c;
                float outside = AffineTaps(transforms, b, oy, ox, h, w, c, bilinear, fillMode, offsets, weights, out int count);
                for (int ch = 0; ch < c; ch++)
                {
                    float v = outside * fillValue;
                    for (int k = 0; k < count; k++) v += weights[k] * x[offsets[k] + ch];
                    y[yo + ch] = v;
                }
            }
        });
    }

    /// <inheritdoc/>
    public void AffineTransform2DBackward(float[] dy, float[] transforms, float[] dx, int n, int h, int w, int c, bool bilinear, AffineFillMode fillMode)
    {
        // One item per image: it scatters only into its own dx image, in a fixed order.
        CpuParallel.For(n, b =>
        {
            Array.Clear(dx, b * h * w * c, h * w * c);
            Span<int> offsets = stackalloc int[4];
            Span<float> weights = stackalloc float[4];
            for (int oy = 0; oy < h; oy++)
                for (int ox = 0; ox < w; ox++)
                {
                    int yo = ((b * h + oy) * w + ox) * c;
                    AffineTaps(transforms, b, oy, ox, h, w, c, bilinear, fillMode, offsets, weights, out int count);
                    for (int k = 0; k < count; k++)
                        for (int ch = 0; ch < c; ch++) dx[offsets[k] + ch] += weights[k] * dy[yo + ch];
                }
        });
    }

    /// <inheritdoc/>
    public void AdjustContrastForward(float[] x, float[] factors, float[] y, int n, int spatial, int c, float low, float high)
    {
        CpuParallel.For(n, b =>
        {
            var mean = new double[c];
            int o = b * spatial * c;
            for (int s = 0; s < spatial; s++)
                for (int ch = 0; ch < c; ch++) mean[ch] += x[o + s * c + ch];
            float f = factors[b];
            for (int s = 0; s < spatial; s++)
                for (int ch = 0; ch < c; ch++)
                {
                    float m = (float)(mean[ch] / spatial);
                    y[o + s * c + ch] = Math.Clamp((x[o + s * c + ch] - m) * f + m, low, high);
                }
        });
    }

    /// <inheritdoc/>
    public void AdjustContrastBackward(float[] x, float[] dy, float[] factors, float[] dx, int n, int spatial, int c, float low, float high)
    {
        CpuParallel.For(n, b =>
        {
            int o = b * spatial * c;
            var mean = new double[c];
            for (int s = 0; s < spatial; s++)
                for (int ch = 0; ch < c; ch++) mean[ch] += x[o + s * c + ch];
            float f = factors[b];
            // The clip passes the gradient only where it did not clamp; the mean spreads (1 − f)·Σ g evenly.
            var g = new double[c];
            for (int s = 0; s < spatial; s++)
                for (int ch = 0; ch < c; ch++)
                {
                    float m = (float)(mean[ch] / spatial);
                    float v = (x[o + s * c + ch] - m) * f + m;
                    float d = v < low || v > high ? 0f : dy[o + s * c + ch];
                    dx[o + s * c + ch] = d;
                    g[ch] += d;
                }
            for (int s = 0; s < spatial; s++)
                for (int ch = 0; ch < c; ch++)
                    dx[o + s * c + ch] = f * dx[o + s * c + ch] + (float)((1 - f) * g[ch] / spatial);
        });
    }
}
