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
                                    acc += (double)x.Data[((b * h + r) * wd + q) * c + ci] * w.Data[((di * kw + dj) * c + ci) * f + o];
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
            for (int i = 0; i < expected.Length; i++)
                Assert.AreEqual(expected[i], y.Data[i], 1e-4, $"trial {trial} ({n},{h},{w},{c})->{f} k{k} s{s} {(same ? "same" : "valid")} element {i}");
        }
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
            var y = Op.Relu(Op.BatchNormTraining(Op.Conv2D(x, k, 2, 2, "same"), gamma, null, 1e-3f, out _, out _));
            var g = tape.Gradient(y, [x, k, gamma], proj);
            return [y.Data, g[0].Data, g[1].Data, g[2].Data];
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
