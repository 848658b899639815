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
    public static float[] Apply(float[] src, int h, int w, int channels, Func<int, int, int, int> index,
        double m00, double m01, double m10, double m11, double o0, double o1, int order, string mode, double cval)
    {
        var dst = new float[src.Length];
        var i0 = new int[4];
        var wt = new double[4];
        for (int r = 0; r < h; r++)
            for (int c = 0; c < w; c++)
            {
                double y = m00 * r + m01 * c + o0;
                double x = m10 * r + m11 * c + o1;
                int taps = Taps(y, x, h, w, order, mode, i0, wt, out bool outside);
                for (int k = 0; k < channels; k++)
                {
                    double v;
                    if (outside) v = cval;
                    else
                    {
                        v = 0;
                        for (int t = 0; t < taps; t++)
                        {
                            int rr = i0[t] >> 16, cc = i0[t] & 0xFFFF;
                            v += wt[t] * src[index(rr, cc, k)];
                        }
                    }
                    dst[index(r, c, k)] = (float)v;
                }
            }
        return dst;
    }

    private static int Taps(double y, double x, int h, int w, int order, string mode, int[] idx, double[] wt, out bool outside)
    {
        outside = false;
        if (mode == "constant" && (y < 0 || y > h - 1 || x < 0 || x > w - 1))
        {
            // SciPy's 'constant' returns cval as soon as the point leaves [0, n-1], with no blending.
            outside = true;
            return 0;
        }
        if (order == 0)
        {
            double ry = Map(y, h, mode), rx = Map(x, w, mode);
            int iy = Index((long)Math.Floor(ry + 0.5), h, mode), ix = Index((long)Math.Floor(rx + 0.5), w, mode);
            idx[0] = (iy << 16) | ix;
            wt[0] = 1;
            return 1;
        }
        double my = Map(y, h, mode), mx = Map(x, w, mode);
        long fy = (long)Math.Floor(my), fx = (long)Math.Floor(mx);
        double dy = my - fy, dx = mx - fx;
        int y0 = Index(fy, h, mode), y1 = Index(fy + 1, h, mode), x0 = Index(fx, w, mode), x1 = Index(fx + 1, w, mode);
        idx[0] = (y0 << 16) | x0; wt[0] = (1 - dy) * (1 - dx);
        idx[1] = (y0 << 16) | x1; wt[1] = (1 - dy) * dx;
        idx[2] = (y1 << 16) | x0; wt[2] = dy * (1 - dx);
        idx[3] = (y1 << 16) | x1; wt[3] = dy * dx;
        return 4;
    }

    /// <summary>Maps a coordinate into range before interpolation (nearest clamps, wrap uses period n − 1).</summary>
    private static double Map(double c, int n, string mode)
    {
        switch (mode)
        {
            case "nearest":
                return Math.Clamp(c, 0, n - 1);
            case "wrap":
                if (n == 1) return 0;
                if (c < 0) return c + (n - 1) * (Math.Floor(-c / (n - 1)) + 1);
                if (c > n - 1) return c - (n - 1) * Math.Floor(c / (n - 1));
                return c;
            default:
                return c;
        }
    }

    /// <summary>Maps an integer sample index into [0, n) per mode (reflect: half-sample mirror, period 2n).</summary>
    private static int Index(long i, int n, string mode)
    {
        switch (mode)
        {
            case "reflect":
            {
                long p = 2L * n;
                long m = ((i % p) + p) % p;
                return (int)(m < n ? m : p - 1 - m);
            }
            case "wrap":
                if (n == 1) return 0;
                while (i > n - 1) i -= n - 1;
                while (i < 0) i += n - 1;
                return (int)i;
            default:
                return (int)Math.Clamp(i, 0, n - 1);
        }
    }
}
