namespace ResNetKeras.Keras;

/// <summary>
/// SciPy's <c>ndimage.affine_transform</c> for one 2-D image at spline order 0 or 1, with the boundary
/// modes Keras passes (nearest, constant, reflect, wrap) as SciPy 1.10 implements them: each output
/// pixel (r, c) reads the input at M·(r, c) + offset. Coordinates are computed once and reused for every channel.
/// </summary>
internal static class AffineSampler
{
    /// <summary>
    /// Resamples every channel of an (h, w, channels) image stored with the given strides. Computed in float64,
    /// stored back as float32 like SciPy on a float32 input.
    /// </summary>
    public static float[] Apply(float[] src, int h, int w, int channels, int rowStride, int colStride, int channelStride,
        double m00, double m01, double m10, double m11, double o0, double o1, int order, string mode, double cval)
    {
        var dst = new float[src.Length];
        // Mode compared as an integer in the per-pixel path: 0 nearest, 1 constant, 2 reflect, 3 wrap.
        int m = mode switch { "nearest" => 0, "constant" => 1, "reflect" => 2, "wrap" => 3, _ => throw new ArgumentException($"Unsupported fill mode '{mode}'.", nameof(mode)) };
        Span<int> at = stackalloc int[4];
        Span<double> wt = stackalloc double[4];
        for (int r = 0; r < h; r++)
            for (int c = 0; c < w; c++)
            {
                double y = m00 * r + m01 * c + o0;
                double x = m10 * r + m11 * c + o1;
                int taps = Taps(y, x, h, w, order, m, at, wt, rowStride, colStride, out bool outside);
                int o = r * rowStride + c * colStride;
                for (int k = 0; k < channels; k++)
                {
                    double v;
                    if (outside) v = cval;
                    else
                    {
                        v = 0;
                        int kk = k * channelStride;
                        for (int t = 0; t < taps; t++) v += wt[t] * src[at[t] + kk];
                    }
                    dst[o + k * channelStride] = (float)v;
                }
            }
        return dst;
    }

    /// <summary>The input samples (as element offsets of channel 0) and weights for one output point.</summary>
    private static int Taps(double y, double x, int h, int w, int order, int mode, Span<int> idx, Span<double> wt, int rs, int cs, out bool outside)
    {
        outside = false;
        if (mode == 1 && (y < 0 || y > h - 1 || x < 0 || x > w - 1))
        {
            // SciPy's 'constant' returns cval as soon as the point leaves [0, n-1], with no blending.
            outside = true;
            return 0;
        }
        if (order == 0)
        {
            double ry = Map(y, h, mode), rx = Map(x, w, mode);
            int iy = Index((long)Math.Floor(ry + 0.5), h, mode), ix = Index((long)Math.Floor(rx + 0.5), w, mode);
            idx[0] = iy * rs + ix * cs;
            wt[0] = 1;
            return 1;
        }
        double my = Map(y, h, mode), mx = Map(x, w, mode);
        long fy = (long)Math.Floor(my), fx = (long)Math.Floor(mx);
        double dy = my - fy, dx = mx - fx;
        int y0 = Index(fy, h, mode), y1 = Index(fy + 1, h, mode), x0 = Index(fx, w, mode), x1 = Index(fx + 1, w, mode);
        idx[0] = y0 * rs + x0 * cs; wt[0] = (1 - dy) * (1 - dx);
        idx[1] = y0 * rs + x1 * cs; wt[1] = (1 - dy) * dx;
        idx[2] = y1 * rs + x0 * cs; wt[2] = dy * (1 - dx);
        idx[3] = y1 * rs + x1 * cs; wt[3] = dy * dx;
        return 4;
    }

    /// <summary>Maps a coordinate into range before interpolation (nearest clamps, wrap uses period n − 1).</summary>
    private static double Map(double c, int n, int mode)
    {
        switch (mode)
        {
            case 0:
                return Math.Clamp(c, 0, n - 1);
            case 3:
                if (n == 1) return 0;
                if (c < 0) return c + (n - 1) * (Math.Floor(-c / (n - 1)) + 1);
                if (c > n - 1) return c - (n - 1) * Math.Floor(c / (n - 1));
                return c;
            default:
                return c;
        }
    }

    /// <summary>Maps an integer sample index into [0, n) per mode (reflect: half-sample mirror, period 2n).</summary>
    private static int Index(long i, int n, int mode)
    {
        switch (mode)
        {
            case 2:
            {
                long p = 2L * n;
                long m = ((i % p) + p) % p;
                return (int)(m < n ? m : p - 1 - m);
            }
            case 3:
                if (n == 1) return 0;
                while (i > n - 1) i -= n - 1;
                while (i < 0) i += n - 1;
                return (int)i;
            default:
                return (int)Math.Clamp(i, 0, n - 1);
        }
    }
}
