using ResNetKeras.Devices;
using ResNetKeras.Engine;
using ResNetKeras.Keras;
using ResNetKeras.Tests.Ops;

namespace ResNetKeras.Tests.Keras;

/// <summary>The regularizers on the CPU device.</summary>
[TestClass]
public sealed class RegularizerTestsCpu : RegularizerTests
{
    protected override IDevice Device => ResNetKeras.Devices.Cpu.CpuDevice.Instance;
}

/// <summary>The same on the simulated device.</summary>
[TestClass]
public sealed class RegularizerTestsSim : RegularizerTests
{
    protected override IDevice Device => ResNetKeras.Devices.Sim.SimDevice.Instance;
}

/// <summary>Keras's L1, L2 and L1L2 penalties: values by hand, finite-difference gradients, identifiers and configs.</summary>
public abstract class RegularizerTests
{
    protected abstract IDevice Device { get; }

    private static readonly float[] W = [0.5f, -1.25f, 2f, -0.75f, 0.3f, -0.1f];

    [TestMethod]
    public void Penalties_AreKerasFormulas()
    {
        var w = GradientChecker.On(Device, W, 2, 3);
        double abs = W.Sum(v => Math.Abs((double)v)), sq = W.Sum(v => (double)v * v);
        Assert.AreEqual(0.03 * abs, new L1(0.03).Call(w).Item(), 1e-6);
        Assert.AreEqual(0.02 * sq, new L2(0.02).Call(w).Item(), 1e-6);
        Assert.AreEqual(0.03 * abs + 0.02 * sq, new L1L2(0.03, 0.02).Call(w).Item(), 1e-6);
        Assert.AreEqual(0.01 * abs + 0.01 * sq, Regularizer.Get("l1_l2").Call(w).Item(), 1e-6);
        Assert.AreEqual(0.01 * abs, ((Regularizer)"l1").Call(w).Item(), 1e-6);
    }

    [TestMethod]
    public void Gradients_MatchFiniteDifferences()
    {
        // Away from 0, where |w| has no derivative (its gradient is sign(w), 0 at 0, as TensorFlow's).
        var w = GradientChecker.On(Device, W, 2, 3);
        GradientChecker.Check(x => new L1(0.5).Call(x[0]), [w], delta: 1e-2f);
        GradientChecker.Check(x => new L1L2(0.5, 0.25).Call(x[0]), [w], delta: 1e-2f);
    }

    [TestMethod]
    public void Configs_RoundTripThroughALayer_AndIdentifiersWorkInLayers()
    {
        foreach (var reg in new Regularizer[] { new L1(0.2), new L2(0.3), new L1L2(0.1, 0.4) })
        {
            var dense = new Dense(2, kernelRegularizer: reg);
            var json = System.Text.Json.JsonSerializer.Serialize(dense.GetConfig());
            using var doc = System.Text.Json.JsonDocument.Parse(json);
            var back = (Dense)LayerFactory.Create("Dense", doc.RootElement);
            Assert.AreEqual(reg.GetType(), back.KernelRegularizer!.GetType());
            CollectionAssert.AreEqual(reg.GetConfig().Select(kv => $"{kv.Key}={kv.Value}").ToArray(), back.KernelRegularizer.GetConfig().Select(kv => $"{kv.Key}={kv.Value}").ToArray());
        }
        var layer = new Dense(2, kernelRegularizer: "l1");
        Assert.IsInstanceOfType<L1>(layer.KernelRegularizer);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Regularizer.Get("l3")).Message, "l3");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new L1(-1)).Message, "l1=-1");
    }
}
