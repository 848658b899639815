using ResNetKeras.Engine;
using ResNetKeras.Kernels;
using ResNetKeras.Kernels.Cpu;

namespace ResNetKeras.Tests.Kernels;

/// <summary>
/// The per-channel CPU kernels (bias, batch-norm statistics and gradients, ReLU, n-ary add) against double loops, on
/// channel counts that exercise the vector blocks and the scalar tails and on row counts spanning several chunks.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class ChannelKernelTests
{
    private static readonly CpuKernels K = new();

    private static float[] Random(RandomState rng, int n, double lo = -1, double hi = 1)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float)rng.Uniform(lo, hi);
        return a;
    }

    private static IEnumerable<(int Rows, int Channels)> Shapes() =>
        [(1, 1), (3, 7), (700, 8), (1100, 16), (513, 19), (1030, 37), (64, 64)];

    [TestMethod]
    public void Reductions_MatchDoubleReference()
    {
        var rng = new RandomState(11);
        foreach (var (rows, c) in Shapes())
        {
            var x = Random(rng, rows * c);
            var dy = Random(rng, rows * c);
            var mean = Random(rng, c);
            var invStd = Random(rng, c, 0.5, 2);
            var sum = new float[c];
            var mu = new float[c];
            var variance = new float[c];
            var sumDy = new float[c];
            var sumDyXhat = new float[c];
            K.ColumnSum(x, sum, c);
            K.ChannelMoments(x, c, mu, variance);
            K.BatchNormReductions(x, dy, null, mean, invStd, c, sumDy, sumDyXhat);
            for (int ch = 0; ch < c; ch++)
            {
                double s = 0, s2 = 0, g = 0, gx = 0;
                for (int r = 0; r < rows; r++)
                {
                    double v = x[r * c + ch], d = dy[r * c + ch];
                    s += v;
                    g += d;
                    gx += d * (v - mean[ch]) * invStd[ch];
                }
                double m = s / rows;
                for (int r = 0; r < rows; r++) s2 += (x[r * c + ch] - m) * (x[r * c + ch] - m);
                string at = $"rows {rows}, channels {c}, channel {ch}";
                Assert.AreEqual(s, sum[ch], 1e-4 * (1 + Math.Sqrt(rows)), "column sum, " + at);
                Assert.AreEqual(m, mu[ch], 1e-5, "mean, " + at);
                Assert.AreEqual(s2 / rows, variance[ch], 1e-5, "variance, " + at);
                Assert.AreEqual(g, sumDy[ch], 1e-4 * (1 + Math.Sqrt(rows)), "sum of dy, " + at);
                Assert.AreEqual(gx, sumDyXhat[ch], 1e-4 * (1 + Math.Sqrt(rows)), "sum of dy times x-hat, " + at);
            }
        }
    }

    [TestMethod]
    public void ChannelMoments_StayAccurateFarFromZero()
    {
        // Mean 1000, standard deviation ~0.58: E[x²] − E[x]² in float would lose every digit of the variance.
        var rng = new RandomState(3);
        int rows = 5000, c = 9;
        var x = Random(rng, rows * c, 999, 1001);
        var mu = new float[c];
        var variance = new float[c];
        K.ChannelMoments(x, c, mu, variance);
        for (int ch = 0; ch < c; ch++)
        {
            double s = 0, s2 = 0;
            for (int r = 0; r < rows; r++) s += x[r * c + ch];
            double m = s / rows;
            for (int r = 0; r < rows; r++) s2 += (x[r * c + ch] - m) * (x[r * c + ch] - m);
            Assert.AreEqual(m, mu[ch], 1e-6 * m, $"mean of channel {ch}");
            Assert.AreEqual(s2 / rows, variance[ch], 1e-4 * s2 / rows, $"variance of channel {ch}");
        }
    }

    [TestMethod]
    public void ElementwiseKernels_MatchDefinitions()
    {
        var rng = new RandomState(5);
        foreach (var (rows, c) in Shapes())
        {
            int n = rows * c;
            var x = Random(rng, n);
            var dy = Random(rng, n);
            var b = Random(rng, c);
            var mean = Random(rng, c);
            var invStd = Random(rng, c, 0.5, 2);
            var gamma = Random(rng, c);
            var sumDy = Random(rng, c, -10, 10);
            var sumDyXhat = Random(rng, c, -10, 10);
            var y = new float[n];
            K.BiasAdd(x, b, y, c);
            for (int i = 0; i < n; i++) Assert.AreEqual(x[i] + b[i % c], y[i], 1e-6f, $"bias add {i}");
            K.ChannelAffine(x, mean, invStd, b, y, c, relu: false);
            for (int i = 0; i < n; i++) Assert.AreEqual((x[i] - mean[i % c]) * invStd[i % c] + b[i % c], y[i], 1e-5f, $"affine {i}");
            K.BatchNormBackwardData(x, dy, null, mean, invStd, gamma, sumDy, sumDyXhat, c, y);
            for (int i = 0; i < n; i++)
            {
                int ch = i % c;
                double xhat = (x[i] - mean[ch]) * invStd[ch];
                double expected = gamma[ch] * invStd[ch] * (dy[i] - sumDy[ch] / rows - xhat * sumDyXhat[ch] / rows);
                Assert.AreEqual(expected, y[i], 1e-4 * (1 + Math.Abs(expected)), $"batch-norm data gradient {i}, rows {rows}, channels {c}");
            }
            K.Unary(UnaryKind.Relu, x, y);
            for (int i = 0; i < n; i++) Assert.AreEqual(Math.Max(x[i], 0f), y[i], $"relu {i}");
            var dx = new float[n];
            K.UnaryGrad(UnaryKind.Relu, y, dy, dx);
            for (int i = 0; i < n; i++) Assert.AreEqual(x[i] > 0 ? dy[i] : 0f, dx[i], $"relu gradient {i}");
            K.AddN([x, dy, b.Length == n ? b : x], y, relu: false);
            for (int i = 0; i < n; i++) Assert.AreEqual(x[i] + dy[i] + (b.Length == n ? b[i] : x[i]), y[i], 1e-6f, $"add {i}");
        }
    }

    [TestMethod]
    public void Relu_KeepsNaNAndZeroGradientAtZero()
    {
        var x = new[] { float.NaN, -1f, 0f, 2f, float.NaN, -0.5f, 3f, 0f, 1f, float.NegativeInfinity };
        var y = new float[x.Length];
        K.Unary(UnaryKind.Relu, x, y);
        CollectionAssert.AreEqual(new[] { float.NaN, 0f, 0f, 2f, float.NaN, 0f, 3f, 0f, 1f, 0f }, y);
        var dx = new float[x.Length];
        K.UnaryGrad(UnaryKind.Relu, y, Enumerable.Repeat(5f, x.Length).ToArray(), dx);
        CollectionAssert.AreEqual(new[] { 0f, 0f, 0f, 5f, 0f, 0f, 5f, 0f, 5f, 0f }, dx);
    }

    [TestMethod]
    public void Reductions_AreIndependentOfThreadCount()
    {
        var rng = new RandomState(8);
        int rows = 4100, c = 21;
        var x = Random(rng, rows * c);
        var dy = Random(rng, rows * c);
        var mean = Random(rng, c);
        var invStd = Random(rng, c, 0.5, 2);
        float[][] Run(int threads)
        {
            CpuParallel.MaxDegreeOfParallelism = threads;
            var r = new float[5][];
            for (int i = 0; i < r.Length; i++) r[i] = new float[c];
            K.ColumnSum(x, r[0], c);
            K.ChannelMoments(x, c, r[1], r[2]);
            K.BatchNormReductions(x, dy, null, mean, invStd, c, r[3], r[4]);
            return r;
        }
        int saved = CpuParallel.MaxDegreeOfParallelism;
        try
        {
            var one = Run(1);
            var many = Run(5);
            for (int i = 0; i < one.Length; i++) CollectionAssert.AreEqual(one[i], many[i], $"reduction {i}");
        }
        finally { CpuParallel.MaxDegreeOfParallelism = saved; }
    }
}
