using ResNetKeras.Devices;
using ResNetKeras.Engine;
using ResNetKeras.Ops;
using static ResNetKeras.Tests.Ops.GradientChecker;

namespace ResNetKeras.Tests.Ops;

/// <summary>The accuracy comparisons on the CPU device.</summary>
[TestClass]
public sealed class MatchOpsTestsCpu : MatchOpsTests
{
    protected override IDevice Device => ResNetKeras.Devices.Cpu.CpuDevice.Instance;
}

/// <summary>The same comparisons on the simulated device.</summary>
[TestClass]
public sealed class MatchOpsTestsSim : MatchOpsTests
{
    protected override IDevice Device => ResNetKeras.Devices.Sim.SimDevice.Instance;
}

/// <summary>Hand-computed values of the metric comparisons (NumPy's argmax ties, TensorFlow's in_top_k ties).</summary>
public abstract class MatchOpsTests
{
    protected abstract IDevice Device { get; }

    private Tensor T(float[] v, params int[] shape) => On(Device, v, shape);

    [TestMethod]
    public void ArgmaxMatches_FirstMaximumWins()
    {
        var pred = T([0.1f, 0.7f, 0.2f, /**/ 0.5f, 0.5f, 0f, /**/ 0.3f, 0.3f, 0.4f], 3, 3);
        var truth = T([0, 1, 0, /**/ 0, 1, 0, /**/ 1, 0, 0], 3, 3);
        // Row 2 ties 0.5/0.5: argmax is 0 as in np.argmax, so it does not match class 1.
        CollectionAssert.AreEqual(new[] { 1f, 0f, 0f }, Op.ArgmaxMatches(pred, truth).ToArray());
        CollectionAssert.AreEqual(new[] { 1f, 1f, 0f }, Op.SparseArgmaxMatches(pred, T([1, 0, 1], 3)).ToArray());
    }

    [TestMethod]
    public void InTopK_CountsBoundaryTiesAsIn_AndNeverNonFiniteTargets()
    {
        var pred = T([0.1f, 0.4f, 0.4f, 0.1f, /**/ 0.4f, 0.3f, 0.2f, 0.1f, /**/ float.NaN, 0.5f, 0.2f, 0.3f], 3, 4);
        // Row 1: class 2 ties class 1 for first place: in the top 1. Row 2: class 2 is third: not in the top 2.
        CollectionAssert.AreEqual(new[] { 1f, 0f, 0f }, Op.InTopK(pred, T([2, 2, 0], 3), 1).ToArray());
        CollectionAssert.AreEqual(new[] { 1f, 0f, 0f }, Op.InTopK(pred, T([2, 2, 0], 3), 2).ToArray());
        CollectionAssert.AreEqual(new[] { 1f, 1f, 0f }, Op.InTopK(pred, T([2, 2, 0], 3), 3).ToArray());
        var e = Assert.ThrowsExactly<ArgumentException>(() => Op.InTopK(pred, T([1, 1], 2), 1));
        StringAssert.Contains(e.Message, "one class index per row");
    }

    [TestMethod]
    public void EqualThresholdAndAssignAdd()
    {
        CollectionAssert.AreEqual(new[] { 1f, 0f, 1f }, Op.Equal(T([1, 2, 3], 3), T([1, 0, 3], 3)).ToArray());
        // binary_accuracy: 0.5 itself is not above the threshold.
        CollectionAssert.AreEqual(new[] { 1f, 0f, 1f, 1f }, Op.ThresholdMatches(T([0.7f, 0.5f, 0.2f, 0.51f], 4), T([1, 1, 0, 1], 4)).ToArray());
        var total = T([1f, 2f], 2);
        Op.AssignAdd(total, T([0.5f, -2f], 2));
        CollectionAssert.AreEqual(new[] { 1.5f, 0f }, total.ToArray());
    }
}
