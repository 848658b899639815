using ResNetKeras.Engine;
using ResNetKeras.Kernels;
using ResNetKeras.Kernels.Cpu;

namespace ResNetKeras.Tests.Kernels;

/// <summary>
/// The direct dilated/grouped convolution kernels with dilation 1 and one group must agree with the tuned kernels
/// (im2col, register tiles, Winograd) on the same geometry, forward and both gradients: two independent implementations.
/// </summary>
[TestClass]
public sealed class ConvGeneralKernelTests
{
    private static float[] Random(RandomState rng, int n) => Enumerable.Range(0, n).Select(_ => (float)rng.Uniform(-1, 1)).ToArray();

    [TestMethod]
    [DataRow(2, 9, 8, 16, 32, 3, 1, true)]
    [DataRow(1, 8, 8, 32, 16, 3, 2, true)]
    [DataRow(2, 7, 9, 3, 8, 3, 1, false)]
    [DataRow(1, 6, 6, 16, 16, 1, 1, false)]
    public void GeneralKernels_WithDilation1AndOneGroup_MatchTheTunedKernels(int n, int h, int w, int c, int f, int k, int s, bool same)
    {
        var rng = new RandomState(3);
        var kernels = new CpuKernels();
        var g = ConvGeometry.Create(n, h, w, c, k, k, f, s, s, same);
        var x = Random(rng, n * g.InImage);
        var wt = Random(rng, k * k * c * f);
        var b = Random(rng, f);
        var dy = Random(rng, n * g.OutImage);
        void Same(float[] expected, float[] actual, string what)
        {
            for (int i = 0; i < expected.Length; i++)
                Assert.AreEqual(expected[i], actual[i], 1e-4f * Math.Max(1f, Math.Abs(expected[i])), $"{what} element {i}");
        }
        float[] y1 = new float[n * g.OutImage], y2 = new float[n * g.OutImage];
        kernels.Conv2DForward(x, wt, b, y1, g);
        kernels.Conv2DGeneralForward(x, wt, b, y2, g, 1, 1, 1);
        Same(y1, y2, "forward");
        float[] dx1 = new float[x.Length], dx2 = new float[x.Length];
        kernels.Conv2DBackwardData(dy, wt, dx1, g);
        kernels.Conv2DGeneralBackwardData(dy, wt, dx2, g, 1, 1, 1);
        Same(dx1, dx2, "backward data");
        float[] dw1 = new float[wt.Length], dw2 = new float[wt.Length];
        kernels.Conv2DBackwardFilter(x, dy, dw1, g);
        kernels.Conv2DGeneralBackwardFilter(x, dy, dw2, g, 1, 1, 1);
        Same(dw1, dw2, "backward filter");
    }
}
