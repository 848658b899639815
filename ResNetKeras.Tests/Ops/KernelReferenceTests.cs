using ResNetKeras.Engine;
using ResNetKeras.Kernels.Cpu;
using ResNetKeras.Ops;

namespace ResNetKeras.Tests.Ops;

/// <summary>The fast kernels against a straightforward reference, and independent of the thread count.</summary>
[TestClass]
[DoNotParallelize]
public sealed class KernelReferenceTests
{
    private static double[] ReferenceConv(Tensor x, Tensor w, int s, bool same, out int oh, out int ow)
    {
        int n = x.Dim(0), h = x.Dim(1), wd = x.Dim(2), c = x.Dim(3), kh = w.Dim(0), kw = w.Dim(1), f = w.Dim(3);
        float[] xv = x.ToArray(), wv = w.ToArray();
        int pt = 0, pl = 0;
        if (same)
        {
            oh = (h + s - 1) / s; ow = (wd + s - 1) / s;
            pt = Math.Max((oh - 1) * s + kh - h, 0) / 2;
            pl = Math.Max((ow - 1) * s + kw - wd, 0) / 2;
        }
        else { oh = (h - kh) / s + 1; ow = (wd - kw) / s + 1; }
        var y = new double[n * oh * ow * f];
        for (int b = 0; b < n; b++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                    for (int o = 0; o < f; o++)
                    {
                        double acc = 0;
                        for (int di = 0; di < kh; di++)
                            for (int dj = 0; dj < kw; dj++)
                                for (int ci = 0; ci < c; ci++)
                                {
                                    int r = i * s + di - pt, q = j * s + dj - pl;
                                    if (r < 0 || r >= h || q < 0 || q >= wd) continue;
                                    acc += (double)xv[((b * h + r) * wd + q) * c + ci] * wv[((di * kw + dj) * c + ci) * f + o];
                                }
                        y[((b * oh + i) * ow + j) * f + o] = acc;
                    }
        return y;
    }

    [TestMethod]
    public void Conv2D_MatchesReferenceOnRandomShapes()
    {
        var rng = new RandomState(99);
        for (int trial = 0; trial < 12; trial++)
        {
            int n = 1 + (int)rng.Interval(2), h = 3 + (int)rng.Interval(6), w = 3 + (int)rng.Interval(6);
            int c = 1 + (int)rng.Interval(4), f = 1 + (int)rng.Interval(9);
            int k = rng.NextDouble() < 0.5 ? 1 : 3, s = 1 + (int)rng.Interval(1);
            bool same = rng.NextDouble() < 0.6;
            var x = GradientChecker.Random(rng, n, h, w, c);
            var kern = GradientChecker.Random(rng, k, k, c, f);
            var y = Op.Conv2D(x, kern, s, s, same ? "same" : "valid");
            var expected = ReferenceConv(x, kern, s, same, out int oh, out int ow);
            CollectionAssert.AreEqual(new[] { n, oh, ow, f }, y.Shape);
            var yv = y.ToArray();
            for (int i = 0; i < expected.Length; i++)
                Assert.AreEqual(expected[i], yv[i], 1e-4, $"trial {trial} ({n},{h},{w},{c})->{f} k{k} s{s} {(same ? "same" : "valid")} element {i}");
        }
    }

    [TestMethod]
    [DataRow(1, 9, 7, 16, 16, 3, 1, true)]
    [DataRow(2, 8, 8, 16, 32, 3, 2, true)]
    [DataRow(3, 5, 6, 24, 40, 1, 1, false)]
    [DataRow(2, 7, 7, 32, 64, 1, 2, true)]
    [DataRow(1, 6, 6, 64, 24, 3, 1, false)]
    public void Conv2D_WideChannels_ForwardAndGradientsMatchReference(int n, int h, int w, int c, int f, int k, int s, bool same)
    {
        // Channel counts of the ResNets exercise the 16-wide register tiles and the 8-wide and scalar edges.
        var rng = new RandomState((uint)(n * 1000 + c * 10 + f));
        var x = GradientChecker.Random(rng, n, h, w, c);
        var kern = GradientChecker.Random(rng, k, k, c, f);
        Tensor y;
        Tensor[] g;
        var dy = GradientChecker.Random(rng, n, same ? (h + s - 1) / s : (h - k) / s + 1, same ? (w + s - 1) / s : (w - k) / s + 1, f);
        using (var tape = new GradientTape())
        {
            tape.Watch(x);
            tape.Watch(kern);
            y = Op.Conv2D(x, kern, s, s, same ? "same" : "valid");
            g = tape.Gradient(y, [x, kern], dy);
        }
        var expected = ReferenceConv(x, kern, s, same, out int oh, out int ow);
        float[] yh = y.ToArray(), dyh = dy.ToArray(), kh = kern.ToArray(), xh = x.ToArray(), g0 = g[0].ToArray(), g1 = g[1].ToArray();
        for (int i = 0; i < expected.Length; i++) Assert.AreEqual(expected[i], yh[i], 1e-3, $"forward {i}");
        // Reference gradients: dx and dk of Σ y·dy by the adjoint loops.
        int pt = same ? Math.Max((oh - 1) * s + k - h, 0) / 2 : 0, pl = same ? Math.Max((ow - 1) * s + k - w, 0) / 2 : 0;
        var dx = new double[x.Size];
        var dk = new double[kern.Size];
        for (int b = 0; b < n; b++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                    for (int o = 0; o < f; o++)
                    {
                        double gy = dyh[((b * oh + i) * ow + j) * f + o];
                        for (int di = 0; di < k; di++)
                            for (int dj = 0; dj < k; dj++)
                            {
                                int r = i * s + di - pt, q = j * s + dj - pl;
                                if (r < 0 || r >= h || q < 0 || q >= w) continue;
                                for (int ci = 0; ci < c; ci++)
                                {
                                    int xi = ((b * h + r) * w + q) * c + ci, ki = ((di * k + dj) * c + ci) * f + o;
                                    dx[xi] += gy * kh[ki];
                                    dk[ki] += gy * xh[xi];
                                }
                            }
                    }
        for (int i = 0; i < dx.Length; i++) Assert.AreEqual(dx[i], g0[i], 1e-3, $"dx {i}");
        for (int i = 0; i < dk.Length; i++) Assert.AreEqual(dk[i], g1[i], 2e-3, $"dk {i}");
    }

    [TestMethod]
    public void Results_DoNotDependOnThreadCount()
    {
        var rng = new RandomState(5);
        var x = GradientChecker.Random(rng, 9, 9, 9, 5);
        var k = GradientChecker.Random(rng, 3, 3, 5, 6);
        var gamma = GradientChecker.Random(rng, 6);
        var proj = GradientChecker.Random(rng, 9, 5, 5, 6);
        float[][] Run()
        {
            using var tape = new GradientTape();
            tape.Watch(x); tape.Watch(k); tape.Watch(gamma);
            var y = Op.Relu(Op.BatchNormTraining(Op.Conv2D(x, k, 2, 2, "same"), gamma, null, 1e-3f));
            var g = tape.Gradient(y, [x, k, gamma], proj);
            return [y.ToArray(), g[0].ToArray(), g[1].ToArray(), g[2].ToArray()];
        }
        int saved = CpuParallel.MaxDegreeOfParallelism;
        try
        {
            CpuParallel.MaxDegreeOfParallelism = 1;
            var one = Run();
            CpuParallel.MaxDegreeOfParallelism = 4;
            var four = Run();
            for (int i = 0; i < one.Length; i++) CollectionAssert.AreEqual(one[i], four[i], $"output {i}");
        }
        finally { CpuParallel.MaxDegreeOfParallelism = saved; }
    }
}
