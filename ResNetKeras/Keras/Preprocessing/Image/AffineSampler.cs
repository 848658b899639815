namespace ResNetKeras.Keras;

/// <summary>
/// SciPy 1.10's <c>ndimage.affine_transform</c> for one 2-D image at spline order 0 or 1 with the boundary modes
/// Keras passes (nearest, constant, reflect, wrap), reproduced operation for operation: the input coordinate of
/// output pixel (r, c) is ((0 + r·m00) + c·m01) + o0 along rows and likewise along columns; SciPy's
/// <c>map_coordinate</c> folds it into range per mode; the taps are <c>floor(cc)</c> (order 1) or
/// <c>floor(cc + 0.5)</c> (order 0), with out-of-range taps remapped by the spline boundary mode (mirror for
/// constant and wrap); the weights are w0 = 1 − frac, w1 = 1 − w0; and the value is accumulated as
/// t += (v·w_row)·w_col tap by tap in row-major order, in double, then stored as float32. Same operations in the
/// same order give the same doubles, so results equal SciPy's bit for bit on finite inputs.
/// </summary>
/// <remarks>
/// The taps are computed once per output pixel (once per row and once per column when the matrix is diagonal,
/// which holds for shifts and zooms) and reused for every channel. When every tap has weight (1, 0), as for order
/// 0 and integer shifts, the value is the single source sample (equal to SciPy's sum for finite inputs; SciPy
/// would propagate a NaN or infinity from a zero-weight neighbour).
/// </remarks>
internal static class AffineSampler
{
    internal const int Nearest = 0, Constant = 1, Reflect = 2, Wrap = 3, Mirror = 4;

    /// <summary>Keras's <c>fill_mode</c> as this class's mode code.</summary>
    internal static int ModeCode(string fillMode) => fillMode switch
    {
        "nearest" => Nearest,
        "constant" => Constant,
        "reflect" => Reflect,
        "wrap" => Wrap,
        _ => throw new ArgumentException($"Invalid value for argument `fill_mode`. Expected one of {{\"constant\", \"nearest\", \"reflect\", \"wrap\"}}. Received fill_mode={fillMode}.", nameof(fillMode)),
    };

    /// <summary>SciPy's <c>map_coordinate</c>: folds a coordinate outside [0, len − 1] back per mode (constant gives −1).</summary>
    internal static double MapCoordinate(double x, int len, int mode)
    {
        if (x < 0)
        {
            switch (mode)
            {
                case Mirror:
                    if (len <= 1) return 0;
                    {
                        long sz2 = 2L * len - 2;
                        x = sz2 * (long)(-x / sz2) + x;
                        x = x <= 1 - len ? x + sz2 : -x;
                    }
                    break;
                case Reflect:
                    if (len <= 1) return 0;
                    {
                        long sz2 = 2L * len;
                        if (x < -sz2) x = sz2 * (long)(-x / sz2) + x;
                        // SciPy's guard against (-x - 1) rounding to -1 for x just below 0.
                        x = x < -len ? x + sz2 : (x > -1e-15 ? 1e-15 : -x) - 1;
                    }
                    break;
                case Wrap:
                    if (len <= 1) return 0;
                    {
                        long sz = len - 1;
                        x += sz * ((long)(-x / sz) + 1);
                    }
                    break;
                case Nearest:
                    x = 0;
                    break;
                case Constant:
                    x = -1;
                    break;
            }
        }
        else if (x > len - 1)
        {
            switch (mode)
            {
                case Mirror:
                    if (len <= 1) return 0;
                    {
                        long sz2 = 2L * len - 2;
                        x -= sz2 * (long)(x / sz2);
                        if (x >= len) x = sz2 - x;
                    }
                    break;
                case Reflect:
                    if (len <= 1) return 0;
                    {
                        long sz2 = 2L * len;
                        x -= sz2 * (long)(x / sz2);
                        if (x >= len) x = sz2 - x - 1;
                    }
                    break;
                case Wrap:
                    if (len <= 1) return 0;
                    {
                        long sz = len - 1;
                        x -= sz * (long)(x / sz);
                    }
                    break;
                case Nearest:
                    x = len - 1;
                    break;
                case Constant:
                    x = -1;
                    break;
            }
        }
        return x;
    }

    /// <summary>
    /// The taps of one coordinate along one axis: element offsets (index × stride) and weights, or false when the
    /// constant mode puts the point outside.
    /// </summary>
    internal static bool AxisTaps(double cc, int n, int stride, int order, int mode, out int off0, out int off1, out double w0, out double w1)
    {
        // Coordinates this far out fold to meaningless places anyway; the bound keeps the integer casts defined.
        cc = Math.Clamp(cc, -1e15, 1e15);
        if (mode != Nearest)
        {
            cc = MapCoordinate(cc, n, mode);
            if (!(cc > -1.0))
            {
                off0 = off1 = 0;
                w0 = w1 = 0;
                return false;
            }
        }
        int spline = mode is Constant or Wrap ? Mirror : mode;
        double fl = order == 1 ? Math.Floor(cc) : Math.Floor(cc + 0.5);
        // Nearest leaves cc unfolded; every tap beyond an edge clamps to it, so the start can be bounded first.
        long start = (long)Math.Clamp(fl, -4.0, n + 4.0);
        long i0 = start, i1 = start + order;
        if (start < 0 || start + order >= n)
        {
            i0 = (long)MapCoordinate(start, n, spline);
            i1 = order == 1 ? (long)MapCoordinate(start + 1, n, spline) : i0;
        }
        off0 = (int)i0 * stride;
        off1 = (int)i1 * stride;
        if (order == 1)
        {
            double frac = cc - fl;
            w0 = 1.0 - frac;
            w1 = 1.0 - w0;
        }
        else
        {
            w0 = 1;
            w1 = 0;
        }
        return true;
    }

    /// <summary>
    /// Resamples every channel of an image of <paramref name="h"/> rows and <paramref name="w"/> columns stored with
    /// the given element strides into <paramref name="dst"/> (same layout): input(row, col) = M·(r, c) + o.
    /// </summary>
    public static void Apply(ReadOnlySpan<float> src, Span<float> dst, int h, int w, int channels, int rowStride, int colStride, int channelStride,
        double m00, double m01, double m10, double m11, double o0, double o1, int order, int mode, double cval)
    {
        if (order is not (0 or 1))
            throw new ArgumentException($"Invalid value for argument `interpolation_order`. Expected 0 or 1. Received interpolation_order={order}.", nameof(order));
        float fill = (float)cval;
        if (m01 == 0 && m10 == 0)
        {
            // With a zero off-diagonal, c·m01 is ±0 and leaves r·m00 unchanged, so the row coordinate depends on r
            // alone (and the column coordinate on c alone): the same doubles as SciPy's per-pixel sums.
            Span<int> rowOff = h <= 512 ? stackalloc int[2 * h] : new int[2 * h];
            Span<double> rowW = h <= 512 ? stackalloc double[2 * h] : new double[2 * h];
            Span<bool> rowIn = h <= 512 ? stackalloc bool[h] : new bool[h];
            Span<int> colOff = w <= 512 ? stackalloc int[2 * w] : new int[2 * w];
            Span<double> colW = w <= 512 ? stackalloc double[2 * w] : new double[2 * w];
            Span<bool> colIn = w <= 512 ? stackalloc bool[w] : new bool[w];
            bool single = true;
            for (int r = 0; r < h; r++)
            {
                rowIn[r] = AxisTaps(r * m00 + o0, h, rowStride, order, mode, out rowOff[2 * r], out rowOff[2 * r + 1], out rowW[2 * r], out rowW[2 * r + 1]);
                single &= !rowIn[r] || rowW[2 * r + 1] == 0;
            }
            for (int c = 0; c < w; c++)
            {
                colIn[c] = AxisTaps(c * m11 + o1, w, colStride, order, mode, out colOff[2 * c], out colOff[2 * c + 1], out colW[2 * c], out colW[2 * c + 1]);
                single &= !colIn[c] || colW[2 * c + 1] == 0;
            }
            SeparableLoop(src, dst, h, w, channels, rowStride, colStride, channelStride, rowOff, rowW, rowIn, colOff, colW, colIn, single, fill);
            return;
        }
        for (int r = 0; r < h; r++)
            for (int c = 0; c < w; c++)
            {
                double y = r * m00 + c * m01 + o0;
                double x = r * m10 + c * m11 + o1;
                int o = r * rowStride + c * colStride;
                if (!AxisTaps(y, h, rowStride, order, mode, out int ro0, out int ro1, out double wy0, out double wy1)
                    || !AxisTaps(x, w, colStride, order, mode, out int co0, out int co1, out double wx0, out double wx1))
                {
                    for (int k = 0; k < channels; k++) dst[o + k * channelStride] = fill;
                    continue;
                }
                if (order == 0)
                {
                    int s = ro0 + co0;
                    for (int k = 0; k < channels; k++) dst[o + k * channelStride] = src[s + k * channelStride];
                    continue;
                }
                for (int k = 0; k < channels; k++)
                {
                    int kk = k * channelStride;
                    double t = src[ro0 + co0 + kk] * wy0 * wx0;
                    t += src[ro0 + co1 + kk] * wy0 * wx1;
                    t += src[ro1 + co0 + kk] * wy1 * wx0;
                    t += src[ro1 + co1 + kk] * wy1 * wx1;
                    dst[o + kk] = (float)t;
                }
            }
    }

    /// <summary>The separable case's pixel loop, without bounds checks (every offset was mapped into the image).</summary>
    private static unsafe void SeparableLoop(ReadOnlySpan<float> src, Span<float> dst, int h, int w, int channels, int rowStride, int colStride, int channelStride,
        ReadOnlySpan<int> rowOff, ReadOnlySpan<double> rowW, ReadOnlySpan<bool> rowIn, ReadOnlySpan<int> colOff, ReadOnlySpan<double> colW, ReadOnlySpan<bool> colIn,
        bool single, float fill)
    {
        if (src.Length < (h - 1) * rowStride + (w - 1) * colStride + (channels - 1) * channelStride + 1 || dst.Length < src.Length)
            throw new ArgumentException("AffineSampler: the buffers are smaller than the image layout.");
        fixed (float* sp = src, dp = dst)
        fixed (int* rOff = rowOff, cOff = colOff)
        fixed (double* rW = rowW, cW = colW)
        fixed (bool* rIn = rowIn, cIn = colIn)
        {
            for (int r = 0; r < h; r++)
            {
                float* s0 = sp + rOff[2 * r], s1 = sp + rOff[2 * r + 1];
                double wy0 = rW[2 * r], wy1 = rW[2 * r + 1];
                bool rowInside = rIn[r];
                for (int c = 0; c < w; c++)
                {
                    float* o = dp + r * rowStride + c * colStride;
                    if (!rowInside || !cIn[c])
                    {
                        for (int k = 0; k < channels; k++) o[k * channelStride] = fill;
                        continue;
                    }
                    int co0 = cOff[2 * c], co1 = cOff[2 * c + 1];
                    if (single)
                    {
                        float* a = s0 + co0;
                        for (int k = 0; k < channels; k++) o[k * channelStride] = a[k * channelStride];
                        continue;
                    }
                    double wx0 = cW[2 * c], wx1 = cW[2 * c + 1];
                    float* p00 = s0 + co0, p01 = s0 + co1, p10 = s1 + co0, p11 = s1 + co1;
                    if (channels == 3 && channelStride == 1)
                    {
                        // RGB channels-last, unrolled: the same operations in the same order as the loop below.
                        o[0] = (float)(p00[0] * wy0 * wx0 + p01[0] * wy0 * wx1 + p10[0] * wy1 * wx0 + p11[0] * wy1 * wx1);
                        o[1] = (float)(p00[1] * wy0 * wx0 + p01[1] * wy0 * wx1 + p10[1] * wy1 * wx0 + p11[1] * wy1 * wx1);
                        o[2] = (float)(p00[2] * wy0 * wx0 + p01[2] * wy0 * wx1 + p10[2] * wy1 * wx0 + p11[2] * wy1 * wx1);
                        continue;
                    }
                    for (int k = 0; k < channels; k++)
                    {
                        int kk = k * channelStride;
                        double t = p00[kk] * wy0 * wx0;
                        t += p01[kk] * wy0 * wx1;
                        t += p10[kk] * wy1 * wx0;
                        t += p11[kk] * wy1 * wx1;
                        o[kk] = (float)t;
                    }
                }
            }
        }
    }
}
