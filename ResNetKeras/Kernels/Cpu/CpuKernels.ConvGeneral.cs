namespace ResNetKeras.Kernels.Cpu;

// Dilated and grouped convolution (Keras's dilation_rate and groups, and DepthwiseConv2D as groups = channels).
// Direct loops rather than the tiled/Winograd paths: these shapes are rare and small, and keeping them apart
// leaves the tutorial's dilation-1, groups-1 kernels untouched.
public sealed partial class CpuKernels
{
    /// <inheritdoc/>
    public void Conv2DGeneralForward(float[] x, float[] w, float[]? bias, float[] y, in ConvGeometry g, int dilationH, int dilationW, int groups)
    {
        var geo = g;
        int icg = g.InC / groups, ocg = g.OutC / groups, oc = g.OutC;
        CpuParallel.For(g.Batch * g.OutH, item =>
        {
            int n = item / geo.OutH, oh = item % geo.OutH;
            for (int ow = 0; ow < geo.OutW; ow++)
            {
                int yo = ((n * geo.OutH + oh) * geo.OutW + ow) * oc;
                for (int o = 0; o < oc; o++) y[yo + o] = bias is null ? 0f : bias[o];
                for (int di = 0; di < geo.KernelH; di++)
                {
                    int ih = oh * geo.StrideH - geo.PadTop + di * dilationH;
                    if ((uint)ih >= (uint)geo.InH) continue;
                    for (int dj = 0; dj < geo.KernelW; dj++)
                    {
                        int iw = ow * geo.StrideW - geo.PadLeft + dj * dilationW;
                        if ((uint)iw >= (uint)geo.InW) continue;
                        int xo = ((n * geo.InH + ih) * geo.InW + iw) * geo.InC;
                        int wo = (di * geo.KernelW + dj) * icg * oc;
                        for (int grp = 0; grp < groups; grp++)
                            for (int ic = 0; ic < icg; ic++)
                            {
                                float xv = x[xo + grp * icg + ic];
                                int wr = wo + ic * oc;
                                for (int o = grp * ocg; o < (grp + 1) * ocg; o++) y[yo + o] += xv * w[wr + o];
                            }
                    }
                }
            }
        });
    }

    /// <inheritdoc/>
    public void Conv2DGeneralBackwardData(float[] dy, float[] w, float[] dx, in ConvGeometry g, int dilationH, int dilationW, int groups)
    {
        var geo = g;
        int icg = g.InC / groups, ocg = g.OutC / groups, oc = g.OutC;
        // Gathered per input row so that every item writes only its own row: deterministic for any thread count.
        CpuParallel.For(g.Batch * g.InH, item =>
        {
            int n = item / geo.InH, ih = item % geo.InH;
            Array.Clear(dx, (n * geo.InH + ih) * geo.InW * geo.InC, geo.InW * geo.InC);
            for (int di = 0; di < geo.KernelH; di++)
            {
                int th = ih + geo.PadTop - di * dilationH;
                if (th < 0 || th % geo.StrideH != 0) continue;
                int oh = th / geo.StrideH;
                if (oh >= geo.OutH) continue;
                for (int iw = 0; iw < geo.InW; iw++)
                {
                    int xo = ((n * geo.InH + ih) * geo.InW + iw) * geo.InC;
                    for (int dj = 0; dj < geo.KernelW; dj++)
                    {
                        int tw = iw + geo.PadLeft - dj * dilationW;
                        if (tw < 0 || tw % geo.StrideW != 0) continue;
                        int ow = tw / geo.StrideW;
                        if (ow >= geo.OutW) continue;
                        int yo = ((n * geo.OutH + oh) * geo.OutW + ow) * oc;
                        int wo = (di * geo.KernelW + dj) * icg * oc;
                        for (int grp = 0; grp < groups; grp++)
                            for (int ic = 0; ic < icg; ic++)
                            {
                                int wr = wo + ic * oc;
                                float s = 0f;
                                for (int o = grp * ocg; o < (grp + 1) * ocg; o++) s += dy[yo + o] * w[wr + o];
                                dx[xo + grp * icg + ic] += s;
                            }
                    }
                }
            }
        });
    }

    /// <inheritdoc/>
    public void Conv2DGeneralBackwardFilter(float[] x, float[] dy, float[] dw, in ConvGeometry g, int dilationH, int dilationW, int groups)
    {
        var geo = g;
        int icg = g.InC / groups, ocg = g.OutC / groups, oc = g.OutC;
        // One item per (di, dj, ic) filter row: it owns dw[di, dj, ic, :] and sums the batch in a fixed order.
        CpuParallel.For(g.KernelH * g.KernelW * icg, item =>
        {
            int ic = item % icg, dj = item / icg % geo.KernelW, di = item / icg / geo.KernelW;
            var acc = new double[oc];
            for (int n = 0; n < geo.Batch; n++)
                for (int oh = 0; oh < geo.OutH; oh++)
                {
                    int ih = oh * geo.StrideH - geo.PadTop + di * dilationH;
                    if ((uint)ih >= (uint)geo.InH) continue;
                    for (int ow = 0; ow < geo.OutW; ow++)
                    {
                        int iw = ow * geo.StrideW - geo.PadLeft + dj * dilationW;
                        if ((uint)iw >= (uint)geo.InW) continue;
                        int xo = ((n * geo.InH + ih) * geo.InW + iw) * geo.InC;
                        int yo = ((n * geo.OutH + oh) * geo.OutW + ow) * oc;
                        for (int grp = 0; grp < groups; grp++)
                        {
                            double xv = x[xo + grp * icg + ic];
                            for (int o = grp * ocg; o < (grp + 1) * ocg; o++) acc[o] += xv * dy[yo + o];
                        }
                    }
                }
            int wr = item * oc;
            for (int o = 0; o < oc; o++) dw[wr + o] = (float)acc[o];
        });
    }
}
