using ResNetKeras.Engine;
using ResNetKeras.Kernels;
using ResNetKeras.Kernels.Cpu;

namespace ResNetKeras.Tests.Kernels;

/// <summary>
/// Every convolution path of the CPU kernels (Winograd F(2x2,3x3), implicit-GEMM AVX-512 tiles, im2col + SGEMM) against straightforward
/// double-precision loops, on random shapes, and bit-for-bit independent of the thread count.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class ConvKernelTests
{
    private delegate void ConvKernel(float[] a, float[] b, float[] c, in ConvGeometry g);

    private static float[] Random(RandomState rng, int n)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)rng.Uniform(-1, 1);
        return a;
    }

    /// <summary>y = conv(x, w), dx = ∂(Σ y·dy)/∂x, dw = ∂(Σ y·dy)/∂w by the definition, in double.</summary>
    private static (double[] Y, double[] Dx, double[] Dw) Reference(float[] x, float[] w, float[] dy, in ConvGeometry g)
    {
        var y = new double[g.Batch * g.OutImage];
        var dx = new double[x.Length];
        var dw = new double[w.Length];
        for (int n = 0; n < g.Batch; n++)
            for (int i = 0; i < g.OutH; i++)
                for (int j = 0; j < g.OutW; j++)
                    for (int di = 0; di < g.KernelH; di++)
                        for (int dj = 0; dj < g.KernelW; dj++)
                        {
                            int r = i * g.StrideH + di - g.PadTop, q = j * g.StrideW + dj - g.PadLeft;
                            if (r < 0 || r >= g.InH || q < 0 || q >= g.InW) continue;
                            for (int c = 0; c < g.InC; c++)
                            {
                                int xi = ((n * g.InH + r) * g.InW + q) * g.InC + c;
                                for (int o = 0; o < g.OutC; o++)
                                {
                                    int yi = ((n * g.OutH + i) * g.OutW + j) * g.OutC + o, wi = ((di * g.KernelW + dj) * g.InC + c) * g.OutC + o;
                                    y[yi] += (double)x[xi] * w[wi];
                                    dx[xi] += (double)dy[yi] * w[wi];
                                    dw[wi] += (double)dy[yi] * x[xi];
                                }
                            }
                        }
        return (y, dx, dw);
    }

    private static void AssertClose(double[] expected, float[] actual, string what)
    {
        for (int i = 0; i < expected.Length; i++)
            Assert.AreEqual(expected[i], actual[i], 1e-4 * (8 + Math.Abs(expected[i])), $"{what}: element {i}");
    }

    private static IEnumerable<ConvGeometry> RandomShapes(RandomState rng, int count)
    {
        int[] channels = [1, 3, 5, 16, 32, 48, 64];
        for (int t = 0; t < count; t++)
        {
            int k = rng.NextDouble() < 0.4 ? 1 : (rng.NextDouble() < 0.85 ? 3 : 2);
            int s = 1 + (int)rng.Interval(1);
            bool same = rng.NextDouble() < 0.7;
            int h = k + (int)rng.Interval(8), w = k + (int)rng.Interval(8);
            yield return ConvGeometry.Create(1 + (int)rng.Interval(3), h, w, channels[rng.Interval(6)], k, k, channels[rng.Interval(6)], s, s, same);
        }
    }

    [TestMethod]
    public void BothPaths_MatchReference_OnRandomShapes()
    {
        var rng = new RandomState(2024);
        int tiled = 0;
        ConvGeometry[] fixedShapes =
        [
            ConvGeometry.Create(1, 9, 7, 16, 3, 3, 16, 2, 2, true),
            ConvGeometry.Create(2, 5, 6, 32, 1, 1, 64, 1, 1, false),
            ConvGeometry.Create(5, 7, 9, 16, 3, 3, 32, 1, 1, true),
            ConvGeometry.Create(1, 5, 5, 32, 3, 3, 16, 1, 1, false),
            ConvGeometry.Create(3, 8, 6, 48, 3, 3, 16, 1, 1, true),
            ConvGeometry.Create(2, 3, 4, 64, 3, 3, 64, 1, 1, false),
        ];
        int winograd = 0;
        foreach (var g in RandomShapes(rng, 40).Concat(fixedShapes))
        {
            var x = Random(rng, g.Batch * g.InImage);
            var w = Random(rng, g.KernelH * g.KernelW * g.InC * g.OutC);
            var dy = Random(rng, g.Batch * g.OutImage);
            var (ey, edx, edw) = Reference(x, w, dy, g);
            string name = $"{g}";
            var y = new float[ey.Length];
            var dx = new float[x.Length];
            var dw = new float[w.Length];
            CpuKernels.Im2ColForward(x, w, null, y, g);
            AssertClose(ey, y, "im2col forward " + name);
            CpuKernels.Im2ColBackwardData(dy, w, dx, g);
            AssertClose(edx, dx, "im2col data gradient " + name);
            CpuKernels.Im2ColBackwardFilter(x, dy, dw, g);
            AssertClose(edw, dw, "im2col filter gradient " + name);
            if (!ConvTiles.IsSupported) continue;
            if (CpuKernels.TilesFit(g.OutC))
            {
                tiled++;
                Array.Fill(y, float.NaN);
                CpuKernels.ForwardTiles(x, w, null, y, g);
                AssertClose(ey, y, "tiled forward " + name);
                Array.Fill(dw, float.NaN);
                CpuKernels.BackwardFilterTiles(x, dy, dw, g);
                AssertClose(edw, dw, "tiled filter gradient " + name);
            }
            if (g.StrideH == 1 && CpuKernels.TilesFit(g.InC))
            {
                Array.Fill(dx, float.NaN);
                CpuKernels.BackwardDataTiles(dy, w, dx, g);
                AssertClose(edx, dx, "tiled data gradient " + name);
            }
            if (CpuKernels.WinogradFits(g))
            {
                winograd++;
                Array.Fill(y, float.NaN);
                CpuKernels.WinogradForward(x, w, null, y, g);
                AssertClose(ey, y, "Winograd forward " + name);
                Array.Fill(dx, float.NaN);
                CpuKernels.WinogradBackwardData(dy, w, dx, g);
                AssertClose(edx, dx, "Winograd data gradient " + name);
                Array.Fill(dw, float.NaN);
                CpuKernels.WinogradBackwardFilter(x, dy, dw, g);
                AssertClose(edw, dw, "Winograd filter gradient " + name);
            }
        }
        if (ConvTiles.IsSupported)
        {
            Assert.IsTrue(tiled >= 10, $"only {tiled} shapes exercised the tiles");
            Assert.IsTrue(winograd >= 4, $"only {winograd} shapes exercised Winograd");
        }
    }

    [TestMethod]
    public void ForwardWithBias_AddsTheBiasOnEveryPath()
    {
        var rng = new RandomState(31);
        ConvGeometry[] shapes =
        [
            ConvGeometry.Create(2, 5, 6, 3, 3, 3, 5, 1, 1, true),
            ConvGeometry.Create(2, 7, 5, 16, 3, 3, 32, 2, 2, true),
            ConvGeometry.Create(3, 7, 9, 16, 3, 3, 32, 1, 1, true),
            ConvGeometry.Create(1, 6, 6, 32, 1, 1, 48, 1, 1, false),
        ];
        foreach (var g in shapes)
        {
            var x = Random(rng, g.Batch * g.InImage);
            var w = Random(rng, g.KernelH * g.KernelW * g.InC * g.OutC);
            var bias = Random(rng, g.OutC);
            var (ey, _, _) = Reference(x, w, new float[g.Batch * g.OutImage], g);
            for (int i = 0; i < ey.Length; i++) ey[i] += bias[i % g.OutC];
            var y = new float[ey.Length];
            CpuKernels.Im2ColForward(x, w, bias, y, g);
            AssertClose(ey, y, $"im2col forward with bias {g}");
            if (CpuKernels.TilesFit(g.OutC))
            {
                Array.Fill(y, float.NaN);
                CpuKernels.ForwardTiles(x, w, bias, y, g);
                AssertClose(ey, y, $"tiled forward with bias {g}");
            }
            if (CpuKernels.WinogradFits(g))
            {
                Array.Fill(y, float.NaN);
                CpuKernels.WinogradForward(x, w, bias, y, g);
                AssertClose(ey, y, $"Winograd forward with bias {g}");
            }
            Array.Fill(y, float.NaN);
            new CpuKernels().Conv2DForward(x, w, bias, y, g);
            AssertClose(ey, y, $"dispatched forward with bias {g}");
        }
    }

    [TestMethod]
    public void FilterGradient_WideLayers_UseBiggerChunksWithinTheBudget()
    {
        Assert.AreEqual(4, CpuKernels.FilterChunkImages(128, 9 * 16 * 16), "ResNet20's layers keep 4-image chunks");
        Assert.AreEqual(36, CpuKernels.FilterChunkImages(128, 9 * 512 * 512), "a 512x512 3x3 layer: 4 partials of 9.4 MB");
        // 40 images of a 256->256 layer: Winograd's 16-plane partials (1M floats) need 5-image chunks to stay in budget.
        var g = ConvGeometry.Create(40, 2, 2, 256, 3, 3, 256, 1, 1, true);
        Assert.AreEqual(5, CpuKernels.FilterChunkImages(g.Batch, 16 * 256 * 256));
        var rng = new RandomState(12);
        var x = Random(rng, g.Batch * g.InImage);
        var dy = Random(rng, g.Batch * g.OutImage);
        var expected = new double[9 * 256 * 256];
        for (int n = 0; n < g.Batch; n++)
            for (int i = 0; i < 2; i++)
                for (int j = 0; j < 2; j++)
                    for (int di = 0; di < 3; di++)
                        for (int dj = 0; dj < 3; dj++)
                        {
                            int r = i + di - 1, q = j + dj - 1;
                            if (r < 0 || r >= 2 || q < 0 || q >= 2) continue;
                            int xo = ((n * 2 + r) * 2 + q) * 256, yo = ((n * 2 + i) * 2 + j) * 256, wo = (di * 3 + dj) * 256 * 256;
                            for (int c = 0; c < 256; c++)
                            {
                                double xv = x[xo + c];
                                for (int o = 0; o < 256; o++) expected[wo + c * 256 + o] += xv * dy[yo + o];
                            }
                        }
        var dw = new float[expected.Length];
        new CpuKernels().Conv2DBackwardFilter(x, dy, dw, g);
        AssertClose(expected, dw, "dispatched filter gradient");
        if (!ConvTiles.IsSupported) return;
        Array.Fill(dw, float.NaN);
        CpuKernels.WinogradBackwardFilter(x, dy, dw, g);
        AssertClose(expected, dw, "Winograd filter gradient in 5-image chunks");
        Array.Fill(dw, float.NaN);
        CpuKernels.BackwardFilterTiles(x, dy, dw, g);
        AssertClose(expected, dw, "tiled filter gradient");
    }

    [TestMethod]
    public void Kernels_AreIndependentOfThreadCount()
    {
        // Batch 1 and 3 split images into row bands and filter taps across threads; batch 9 splits by image chunks.
        var rng = new RandomState(77);
        var kernels = new CpuKernels();
        ConvGeometry[] shapes =
        [
            ConvGeometry.Create(1, 11, 9, 16, 3, 3, 16, 1, 1, true),
            ConvGeometry.Create(3, 8, 8, 16, 3, 3, 32, 2, 2, true),
            ConvGeometry.Create(9, 6, 7, 32, 3, 3, 64, 1, 1, true),
            ConvGeometry.Create(9, 6, 6, 3, 3, 3, 5, 1, 1, true),
            ConvGeometry.Create(2, 7, 7, 32, 1, 1, 16, 2, 2, false),
        ];
        int saved = CpuParallel.MaxDegreeOfParallelism;
        try
        {
            foreach (var g in shapes)
            {
                var x = Random(rng, g.Batch * g.InImage);
                var w = Random(rng, g.KernelH * g.KernelW * g.InC * g.OutC);
                var dy = Random(rng, g.Batch * g.OutImage);
                float[][] Run(int threads)
                {
                    CpuParallel.MaxDegreeOfParallelism = threads;
                    var y = new float[dy.Length];
                    var dx = new float[x.Length];
                    var dw = new float[w.Length];
                    kernels.Conv2DForward(x, w, null, y, g);
                    kernels.Conv2DBackwardData(dy, w, dx, g);
                    kernels.Conv2DBackwardFilter(x, dy, dw, g);
                    return [y, dx, dw];
                }
                var one = Run(1);
                foreach (int threads in new[] { 2, 3, 8 })
                {
                    var many = Run(threads);
                    for (int i = 0; i < one.Length; i++) CollectionAssert.AreEqual(one[i], many[i], $"{g} output {i} with {threads} threads");
                }
            }
        }
        finally { CpuParallel.MaxDegreeOfParallelism = saved; }
    }
}
