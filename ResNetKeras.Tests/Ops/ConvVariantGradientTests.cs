using ResNetKeras.Devices;
using ResNetKeras.Engine;
using ResNetKeras.Ops;
using static ResNetKeras.Tests.Ops.GradientChecker;

namespace ResNetKeras.Tests.Ops;

/// <summary>The convolution-variant, resize, crop, spatial-dropout and layer-norm gradient checks on the CPU device.</summary>
[TestClass]
public sealed class ConvVariantGradientTestsCpu : ConvVariantGradientTests
{
    protected override IDevice Device => ResNetKeras.Devices.Cpu.CpuDevice.Instance;
}

/// <summary>The same checks on the simulated device.</summary>
[TestClass]
public sealed class ConvVariantGradientTestsSim : ConvVariantGradientTests
{
    protected override IDevice Device => ResNetKeras.Devices.Sim.SimDevice.Instance;
}

/// <summary>Finite-difference gradient checks of the issue-17 convolution, resizing and normalization ops, per device.</summary>
public abstract class ConvVariantGradientTests
{
    private readonly RandomState rng = new(1717);

    protected abstract IDevice Device { get; }

    private Tensor R(params int[] shape) => Random(rng, Device, shape);

    [TestMethod]
    [DataRow(1, 7, 6, 2, 3, 3, 1, 2, 2, 1, "same")]
    [DataRow(2, 8, 7, 2, 2, 3, 1, 2, 3, 1, "valid")]
    [DataRow(1, 6, 6, 4, 6, 3, 2, 1, 1, 2, "same")]
    [DataRow(2, 5, 6, 6, 3, 2, 1, 1, 1, 3, "valid")]
    [DataRow(1, 7, 7, 4, 4, 3, 1, 2, 2, 4, "same")]
    public void Conv2D_DilatedGrouped(int n, int h, int w, int cin, int cout, int k, int s, int dh, int dw, int groups, string padding) =>
        Check(t => Op.Conv2D(t[0], t[1], t[2], s, s, padding, dh, dw, groups), [R(n, h, w, cin), R(k, k, cin / groups, cout), R(cout)]);

    [TestMethod]
    [DataRow(2, 3, 3, 2, 3, 3, 2, "same")]
    [DataRow(1, 3, 4, 3, 2, 3, 2, "valid")]
    [DataRow(1, 4, 3, 2, 2, 2, 2, "valid")]
    [DataRow(2, 3, 3, 3, 4, 3, 1, "same")]
    [DataRow(1, 2, 3, 2, 2, 1, 3, "valid")]
    public void Conv2DTranspose(int n, int h, int w, int cin, int filters, int k, int s, string padding) =>
        Check(t => Op.Conv2DTranspose(t[0], t[1], t[2], s, s, padding), [R(n, h, w, cin), R(k, k, filters, cin), R(filters)]);

    [TestMethod]
    public void Conv2DTranspose_OutputPaddingAndDilation()
    {
        Check(t => Op.Conv2DTranspose(t[0], t[1], null, 2, 2, "same", 1, 0), [R(1, 3, 3, 2), R(3, 3, 2, 2)]);
        Check(t => Op.Conv2DTranspose(t[0], t[1], null, 1, 1, "valid", dilationH: 2, dilationW: 2), [R(1, 3, 4, 2), R(2, 3, 3, 2)]);
    }

    [TestMethod]
    [DataRow(1, 6, 5, 3, 1, 3, 1, 1, "same")]
    [DataRow(2, 6, 6, 2, 2, 3, 2, 1, "valid")]
    [DataRow(1, 7, 7, 2, 3, 3, 1, 2, "same")]
    public void DepthwiseConv2D(int n, int h, int w, int c, int mult, int k, int s, int d, string padding) =>
        Check(t => Op.DepthwiseConv2D(t[0], t[1], t[2], s, s, padding, d, d), [R(n, h, w, c), R(k, k, c, mult), R(c * mult)]);

    [TestMethod]
    [DataRow(3, 4, 6, 7, "bilinear")]
    [DataRow(5, 6, 3, 4, "bilinear")]
    [DataRow(3, 4, 6, 8, "nearest")]
    [DataRow(6, 5, 4, 3, "nearest")]
    public void Resize(int h, int w, int oh, int ow, string interpolation) =>
        Check(t => Op.Resize(t[0], oh, ow, interpolation), [R(2, h, w, 3)]);

    [TestMethod]
    public void Crop2D() => Check(t => Op.Crop2D(t[0], 1, 2, 0, 1), [R(2, 6, 5, 3)]);

    [TestMethod]
    public void SpatialDropout2D() => Check(t => Op.SpatialDropout2D(t[0], 0.4f, 99), [R(3, 3, 4, 5)]);

    [TestMethod]
    public void LayerNormalization()
    {
        Check(t => Op.LayerNormalization(t[0], t[1], t[2], 1e-3f), [R(3, 2, 6), R(6), R(6)], tolerance: 3e-2);
        Check(t => Op.LayerNormalization(t[0], null, null, 1e-3f, 2), [R(2, 3, 4)], tolerance: 3e-2);
        Check(t => Op.LayerNormalization(t[0], t[1], null, 1e-3f, 2), [R(2, 3, 4), R(3, 4)], tolerance: 3e-2);
    }

    [TestMethod]
    [DataRow("bilinear", "reflect")]
    [DataRow("bilinear", "wrap")]
    [DataRow("bilinear", "constant")]
    [DataRow("bilinear", "nearest")]
    [DataRow("nearest", "constant")]
    public void AffineTransform(string interpolation, string fillMode)
    {
        // A rotation by 0.3 rad with a fractional shift for image 0, a zoom for image 1: no tap lands on a pixel edge.
        var t = new float[16];
        ResNetKeras.Keras.RandomRotation.RotationTransform(0.3, 5, 6).CopyTo(t, 0);
        t[2] += 0.37f;
        ResNetKeras.Keras.RandomZoom.ZoomTransform(1.23, 0.81, 5, 6).CopyTo(t, 8);
        var transforms = On(Device, t, 2, 8);
        Check(x => Op.AffineTransform(x[0], transforms, interpolation, fillMode, 0.5f), [R(2, 5, 6, 2)]);
    }

    [TestMethod]
    public void AdjustContrast()
    {
        var factors = On(Device, [0.4f, 1.7f], 2);
        Check(x => Op.AdjustContrast(x[0], factors, -10f, 10f), [R(2, 3, 4, 3)]);
    }
}
