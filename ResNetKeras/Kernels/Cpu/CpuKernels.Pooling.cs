namespace ResNetKeras.Kernels.Cpu;

public sealed unsafe partial class CpuKernels
{
    /// <inheritdoc/>
    public void Pool2DForward(bool max, float[] x, float[] y, in ConvGeometry g)
    {
        var geo = g;
        int c = g.InC;
        CpuParallel.For(g.Batch * g.OutH, item =>
        {
            int n = item / geo.OutH, oh = item % geo.OutH;
            int h0 = Math.Max(0, oh * geo.StrideH - geo.PadTop), h1 = Math.Min(geo.InH, oh * geo.StrideH - geo.PadTop + geo.KernelH);
            for (int ow = 0; ow < geo.OutW; ow++)
            {
                int w0 = Math.Max(0, ow * geo.StrideW - geo.PadLeft), w1 = Math.Min(geo.InW, ow * geo.StrideW - geo.PadLeft + geo.KernelW);
                var yv = y.AsSpan(((n * geo.OutH + oh) * geo.OutW + ow) * c, c);
                if (max) yv.Fill(float.NegativeInfinity); else yv.Clear();
                for (int ih = h0; ih < h1; ih++)
                    for (int iw = w0; iw < w1; iw++)
                    {
                        var xv = x.AsSpan(((n * geo.InH + ih) * geo.InW + iw) * c, c);
                        if (max) System.Numerics.Tensors.TensorPrimitives.Max(yv, xv, yv);
                        else System.Numerics.Tensors.TensorPrimitives.Add(yv, xv, yv);
                    }
                if (!max)
                {
                    // TF 'same' average pooling divides by the in-bounds cell count only.
                    int count = (h1 - h0) * (w1 - w0);
                    System.Numerics.Tensors.TensorPrimitives.Divide(yv, count, yv);
                }
            }
        });
    }

    /// <inheritdoc/>
    public void Pool2DBackward(bool max, float[] x, float[] dy, float[] dx, in ConvGeometry g)
    {
        var geo = g;
        int c = g.InC;
        CpuParallel.For(g.Batch, n =>
        {
            dx.AsSpan(n * geo.InImage, geo.InImage).Clear();
            for (int oh = 0; oh < geo.OutH; oh++)
            {
                int h0 = Math.Max(0, oh * geo.StrideH - geo.PadTop), h1 = Math.Min(geo.InH, oh * geo.StrideH - geo.PadTop + geo.KernelH);
                for (int ow = 0; ow < geo.OutW; ow++)
                {
                    int w0 = Math.Max(0, ow * geo.StrideW - geo.PadLeft), w1 = Math.Min(geo.InW, ow * geo.StrideW - geo.PadLeft + geo.KernelW);
                    int yo = ((n * geo.OutH + oh) * geo.OutW + ow) * c;
                    if (max)
                    {
                        for (int ch = 0; ch < c; ch++)
                        {
                            int best = -1;
                            float bv = float.NegativeInfinity;
                            for (int ih = h0; ih < h1; ih++)
                                for (int iw = w0; iw < w1; iw++)
                                {
                                    int xi = ((n * geo.InH + ih) * geo.InW + iw) * c + ch;
                                    if (best < 0 || x[xi] > bv) { bv = x[xi]; best = xi; }
                                }
                            if (best >= 0) dx[best] += dy[yo + ch];
                        }
                    }
                    else
                    {
                        float inv = 1f / ((h1 - h0) * (w1 - w0));
                        for (int ih = h0; ih < h1; ih++)
                            for (int iw = w0; iw < w1; iw++)
                                VectorMath.Axpy(inv, dy.AsSpan(yo, c), dx.AsSpan(((n * geo.InH + ih) * geo.InW + iw) * c, c));
                    }
                }
            }
        });
    }
}
