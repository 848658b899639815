namespace ResNetKeras.Kernels.Cpu;

public sealed partial class CpuKernels
{
    /// <summary>Images per partial filter gradient: fixed, so the summation order never depends on threads.</summary>
    internal const int FilterGradChunk = 4;

    /// <inheritdoc/>
    public void Conv2DForward(float[] x, float[] w, float[] y, in ConvGeometry g)
    {
        var geo = g;
        int rowLen = g.OutW * g.OutC;
        CpuParallel.For(g.Batch * g.OutH, item =>
        {
            int n = item / geo.OutH, oh = item % geo.OutH;
            var yrow = y.AsSpan((n * geo.OutH + oh) * rowLen, rowLen);
            yrow.Clear();
            for (int kh = 0; kh < geo.KernelH; kh++)
            {
                int ih = oh * geo.StrideH + kh - geo.PadTop;
                if ((uint)ih >= (uint)geo.InH) continue;
                int xRowBase = (n * geo.InH + ih) * geo.InW * geo.InC;
                for (int ow = 0; ow < geo.OutW; ow++)
                {
                    var yv = yrow.Slice(ow * geo.OutC, geo.OutC);
                    for (int kw = 0; kw < geo.KernelW; kw++)
                    {
                        int iw = ow * geo.StrideW + kw - geo.PadLeft;
                        if ((uint)iw >= (uint)geo.InW) continue;
                        int xo = xRowBase + iw * geo.InC;
                        int wo = (kh * geo.KernelW + kw) * geo.InC * geo.OutC;
                        for (int c = 0; c < geo.InC; c++)
                            VectorMath.Axpy(x[xo + c], w.AsSpan(wo + c * geo.OutC, geo.OutC), yv);
                    }
                }
            }
        });
    }

    /// <inheritdoc/>
    public void Conv2DBackwardData(float[] dy, float[] w, float[] dx, in ConvGeometry g)
    {
        var geo = g;
        CpuParallel.For(g.Batch, n =>
        {
            var dxi = dx.AsSpan(n * geo.InImage, geo.InImage);
            dxi.Clear();
            for (int oh = 0; oh < geo.OutH; oh++)
                for (int ow = 0; ow < geo.OutW; ow++)
                {
                    var dyv = dy.AsSpan(((n * geo.OutH + oh) * geo.OutW + ow) * geo.OutC, geo.OutC);
                    for (int kh = 0; kh < geo.KernelH; kh++)
                    {
                        int ih = oh * geo.StrideH + kh - geo.PadTop;
                        if ((uint)ih >= (uint)geo.InH) continue;
                        for (int kw = 0; kw < geo.KernelW; kw++)
                        {
                            int iw = ow * geo.StrideW + kw - geo.PadLeft;
                            if ((uint)iw >= (uint)geo.InW) continue;
                            int xo = (ih * geo.InW + iw) * geo.InC;
                            int wo = (kh * geo.KernelW + kw) * geo.InC * geo.OutC;
                            for (int c = 0; c < geo.InC; c++)
                                dxi[xo + c] += VectorMath.Dot(dyv, w.AsSpan(wo + c * geo.OutC, geo.OutC));
                        }
                    }
                }
        });
    }

    /// <inheritdoc/>
    public void Conv2DBackwardFilter(float[] x, float[] dy, float[] dw, in ConvGeometry g)
    {
        var geo = g;
        int wSize = g.KernelH * g.KernelW * g.InC * g.OutC;
        int chunks = CpuParallel.ChunkCount(g.Batch, FilterGradChunk);
        var parts = new float[chunks][];
        CpuParallel.For(chunks, ch =>
        {
            var acc = Rent(wSize);
            int end = Math.Min(geo.Batch, (ch + 1) * FilterGradChunk);
            for (int n = ch * FilterGradChunk; n < end; n++)
                for (int oh = 0; oh < geo.OutH; oh++)
                    for (int ow = 0; ow < geo.OutW; ow++)
                    {
                        var dyv = dy.AsSpan(((n * geo.OutH + oh) * geo.OutW + ow) * geo.OutC, geo.OutC);
                        for (int kh = 0; kh < geo.KernelH; kh++)
                        {
                            int ih = oh * geo.StrideH + kh - geo.PadTop;
                            if ((uint)ih >= (uint)geo.InH) continue;
                            for (int kw = 0; kw < geo.KernelW; kw++)
                            {
                                int iw = ow * geo.StrideW + kw - geo.PadLeft;
                                if ((uint)iw >= (uint)geo.InW) continue;
                                int xo = ((n * geo.InH + ih) * geo.InW + iw) * geo.InC;
                                int wo = (kh * geo.KernelW + kw) * geo.InC * geo.OutC;
                                for (int c = 0; c < geo.InC; c++)
                                    VectorMath.Axpy(x[xo + c], dyv, acc.AsSpan(wo + c * geo.OutC, geo.OutC));
                            }
                        }
                    }
            parts[ch] = acc;
        });
        Array.Clear(dw, 0, wSize);
        foreach (var p in parts)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(dw.AsSpan(0, wSize), p.AsSpan(0, wSize), dw.AsSpan(0, wSize));
            Return(p);
        }
    }

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
