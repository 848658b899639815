using ResNetKeras.Engine;
using ResNetKeras.IO;
using ResNetKeras.Ops;

namespace ResNetKeras.Tests.Ops;

/// <summary>
/// Forward values of the issue-17 ops against PyTorch 1.13 (tools/fixtures/make_conv_fixtures.py): dilated and grouped
/// convolution, depthwise and separable convolution, TensorFlow-semantics transposed convolution, causal Conv1D, layer
/// normalization and tf.image.resize's half-pixel bilinear and nearest rules.
/// </summary>
[TestClass]
public sealed class ConvVariantValueTests
{
    private static IReadOnlyDictionary<string, NDArray> Fx(string name) =>
        Npy.LoadNpz(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Conv", name + ".npz"));

    private static Tensor T(NDArray a) => Tensor.FromNDArray(a);

    private static int[] Meta(IReadOnlyDictionary<string, NDArray> f) => f["meta"].Float32Data.Select(v => (int)v).ToArray();

    private static void AssertClose(NDArray expected, Tensor actual, float tolerance = 1e-5f, string what = "")
    {
        CollectionAssert.AreEqual(expected.IntShape, actual.Shape, $"{what} shape");
        var e = expected.Float32Data;
        var a = actual.ToArray();
        for (int i = 0; i < e.Length; i++)
            Assert.AreEqual(e[i], a[i], tolerance * Math.Max(1f, Math.Abs(e[i])), $"{what} element {i}");
    }

    [TestMethod]
    [DataRow("conv_dilated_same")]
    [DataRow("conv_dilated_valid")]
    [DataRow("conv_grouped_same")]
    [DataRow("conv_grouped_dilated")]
    public void Conv2D_DilationAndGroups_MatchTorch(string name)
    {
        var f = Fx(name);
        var m = Meta(f);
        var y = Op.Conv2D(T(f["x"]), T(f["w"]), T(f["b"]), m[0], m[1], m[5] == 1 ? "same" : "valid", m[2], m[3], m[4]);
        AssertClose(f["y"], y, what: name);
    }

    [TestMethod]
    [DataRow("depthwise_same")]
    [DataRow("depthwise_strided")]
    [DataRow("depthwise_dilated_valid")]
    public void DepthwiseConv2D_MatchesTorchGroupedConv(string name)
    {
        var f = Fx(name);
        var m = Meta(f);
        var y = Op.DepthwiseConv2D(T(f["x"]), T(f["w"]), T(f["b"]), m[0], m[1], m[5] == 1 ? "same" : "valid", m[2], m[3]);
        AssertClose(f["y"], y, what: name);
    }

    [TestMethod]
    [DataRow("deconv_same_s2")]
    [DataRow("deconv_valid_s2")]
    [DataRow("deconv_valid_k2s3")]
    [DataRow("deconv_same_s1")]
    [DataRow("deconv_same_outpad")]
    [DataRow("deconv_valid_dilated")]
    public void Conv2DTranspose_MatchesTorchWithTensorFlowPadding(string name)
    {
        var f = Fx(name);
        var m = Meta(f);
        int? ph = m[2] < 0 ? null : m[2], pw = m[3] < 0 ? null : m[3];
        var y = Op.Conv2DTranspose(T(f["x"]), T(f["w"]), T(f["b"]), m[0], m[1], m[6] == 1 ? "same" : "valid", ph, pw, m[4], m[5]);
        AssertClose(f["y"], y, what: name);
    }

    [TestMethod]
    public void LayerNormalization_MatchesTorch()
    {
        var f = Fx("layernorm_last");
        AssertClose(f["y"], Op.LayerNormalization(T(f["x"]), T(f["gamma"]), T(f["beta"]), 1e-3f), what: "last axis");
        f = Fx("layernorm_two_axes");
        AssertClose(f["y"], Op.LayerNormalization(T(f["x"]), T(f["gamma"]), T(f["beta"]), 1e-3f, 2), what: "two axes");
    }

    [TestMethod]
    public void Resize_Bilinear_MatchesTorchHalfPixel()
    {
        var f = Fx("resize_bilinear");
        foreach (var (oh, ow) in new[] { (7, 3), (8, 10), (3, 2) })
            AssertClose(f[$"y_{oh}_{ow}"], Op.Resize(T(f["x"]), oh, ow, "bilinear"), what: $"{oh}x{ow}");
    }

    [TestMethod]
    public void Resize_Nearest_IsTensorFlowsHalfPixelRule_NotTorchsLegacyNearest()
    {
        var f = Fx("resize_nearest");
        var y = Op.Resize(T(f["x"]), 3, 4, "nearest");
        AssertClose(f["y"], y, 0f, "nearest-exact 3x4");
        AssertClose(f["y_up"], Op.Resize(T(f["x"]), 8, 9, "nearest"), 0f, "nearest-exact 8x9");
        // torch's legacy "nearest" takes floor(i·in/out): rows 0, 1, 3 for 5 → 3 where TF takes 0, 2, 4.
        CollectionAssert.AreNotEqual(f["nearest_legacy"].Float32Data, y.ToArray());
        Assert.AreEqual(2, ResNetKeras.Kernels.Cpu.CpuKernels.NearestIndex(1, 5f / 3, 5));
    }
}
