using ResNetKeras.Devices;
using ResNetKeras.Engine;
using ResNetKeras.Keras;
using ResNetKeras.Kernels;
using ResNetKeras.Ops;
using ResNetKeras.Tests.Ops;

namespace ResNetKeras.Tests.Keras;

/// <summary>The regression and binary losses on the CPU device.</summary>
[TestClass]
public sealed class RegressionLossTestsCpu : RegressionLossTests
{
    protected override IDevice Device => ResNetKeras.Devices.Cpu.CpuDevice.Instance;
}

/// <summary>The same on the simulated device.</summary>
[TestClass]
public sealed class RegressionLossTestsSim : RegressionLossTests
{
    protected override IDevice Device => ResNetKeras.Devices.Sim.SimDevice.Instance;
}

/// <summary>Keras's documented example values of each loss, finite-difference gradients of every term, identifiers and configs.</summary>
public abstract class RegressionLossTests
{
    protected abstract IDevice Device { get; }

    private Tensor T(float[] v, params int[] shape) => GradientChecker.On(Device, v, shape);

    // The inputs of most Keras docstring examples.
    private Tensor True01 => T([0, 1, 0, 0], 2, 2);
    private Tensor Pred64 => T([0.6f, 0.4f, 0.4f, 0.6f], 2, 2);

    [TestMethod]
    public void KerasDocstringValues()
    {
        Assert.AreEqual(0.5, Losses.Get("mse").Compute(True01, T([1, 1, 1, 0], 2, 2)).Item(), 1e-6);
        Assert.AreEqual(0.5, Losses.Get("mae").Compute(True01, T([1, 1, 1, 0], 2, 2)).Item(), 1e-6);
        Assert.AreEqual(50.0, Losses.Get("mape").Compute(T([2, 1, 2, 3], 2, 2), T([1, 1, 1, 0], 2, 2)).Item(), 1e-4);
        Assert.AreEqual(0.240, Losses.Get("msle").Compute(True01, T([1, 1, 1, 0], 2, 2)).Item(), 1e-3);
        Assert.AreEqual(0.155, new Huber().Compute(True01, Pred64).Item(), 1e-3);
        Assert.AreEqual(0.108, new LogCosh().Compute(True01, T([1, 1, 0, 0], 2, 2)).Item(), 1e-3);
        Assert.AreEqual(0.5, new Poisson().Compute(True01, T([1, 1, 0, 0], 2, 2)).Item(), 1e-3);
        Assert.AreEqual(0.458, new KLDivergence().Compute(True01, Pred64).Item(), 1e-3);
        Assert.AreEqual(1.3, new Hinge().Compute(True01, Pred64).Item(), 1e-3);
        Assert.AreEqual(1.86, new SquaredHinge().Compute(True01, Pred64).Item(), 1e-3);
        Assert.AreEqual(0.815, new BinaryCrossentropy().Compute(True01, Pred64).Item(), 1e-3);
        Assert.AreEqual(0.865, new BinaryCrossentropy(fromLogits: true).Compute(T([0, 1, 0, 0], 4), T([-18.6f, 0.51f, 2.94f, -12.8f], 4)).Item(), 1e-3);
        // Per-sample values and the sum reduction.
        CollectionAssert.AreEqual(new[] { 0.5f, 0.5f }, new MeanSquaredError(reduction: "none").Compute(True01, T([1, 1, 1, 0], 2, 2)).ToArray());
        Assert.AreEqual(1.0, new MeanSquaredError(reduction: "sum").Compute(True01, T([1, 1, 1, 0], 2, 2)).Item(), 1e-6);
    }

    [TestMethod]
    public void LabelSmoothing_AndSampleWeights()
    {
        // s = 0.2 turns labels 0/1 into 0.1/0.9; hand-computed: −(0.1·log(0.4) + 0.9·log(0.6)) ... per element, then means.
        var loss = new BinaryCrossentropy(labelSmoothing: 0.2).Compute(True01, Pred64).Item();
        double Term(double t, double p) => -(t * Math.Log(p + 1e-7) + (1 - t) * Math.Log(1 - p + 1e-7));
        double expected = (Term(0.1, 0.6) + Term(0.9, 0.4) + Term(0.1, 0.4) + Term(0.1, 0.6)) / 4;
        Assert.AreEqual(expected, loss, 1e-5);
        var weighted = new MeanAbsoluteError().Compute(True01, T([1, 1, 1, 0], 2, 2), T([2f, 0f], 2)).Item();
        Assert.AreEqual((0.5 * 2 + 0.5 * 0) / 2, weighted, 1e-6);
    }

    [TestMethod]
    public void CategoricalLabelSmoothing_KerasDocstring()
    {
        // keras.losses.CategoricalCrossentropy docstring: y_true [[0, 1, 0], [0, 0, 1]], y_pred [[.05, .95, 0], [.1, .8, .1]]
        // gives 1.177; with label_smoothing the targets are y·(1 − s) + s/3, computed here by hand in double.
        var t = T([0, 1, 0, 0, 0, 1], 2, 3);
        var p = T([0.05f, 0.95f, 0, 0.1f, 0.8f, 0.1f], 2, 3);
        Assert.AreEqual(1.177, new CategoricalCrossentropy().Compute(t, p).Item(), 1e-3);
        double s = 0.2, eps = 1e-7;
        double[] pv = [0.05, 0.95, 0, 0.1, 0.8, 0.1], tv = [0, 1, 0, 0, 0, 1];
        double expected = 0;
        for (int r = 0; r < 2; r++)
            for (int j = 0; j < 3; j++)
                expected -= (tv[r * 3 + j] * (1 - s) + s / 3) * Math.Log(Math.Clamp(pv[r * 3 + j], eps, 1 - eps));
        Assert.AreEqual(expected / 2, new CategoricalCrossentropy(labelSmoothing: s).Compute(t, p).Item(), 1e-5);
    }

    [TestMethod]
    public void EveryTerm_GradientMatchesFiniteDifferences()
    {
        var rng = new RandomState(8);
        foreach (ElementwiseLossKind kind in Enum.GetValues<ElementwiseLossKind>())
        {
            // Targets and predictions in (0.05, 0.95) keep every clip, max and hinge kink out of the finite difference.
            var t = GradientChecker.Random(rng, Device, 3, 4);
            var p = GradientChecker.Random(rng, Device, 3, 4);
            GradientChecker.Set(t, (i, v) => kind is ElementwiseLossKind.Hinge or ElementwiseLossKind.SquaredHinge ? (i % 2) : 0.5f + 0.45f * v);
            GradientChecker.Set(p, (_, v) => 0.5f + 0.4f * v);
            float parameter = kind switch
            {
                ElementwiseLossKind.Huber => 0.3f,
                ElementwiseLossKind.BinaryCrossentropy or ElementwiseLossKind.BinaryCrossentropyFromLogits => 0.1f,
                ElementwiseLossKind.BinaryFocalCrossentropy or ElementwiseLossKind.CategoricalFocalCrossentropy => 1.5f,
                _ => 0f,
            };
            GradientChecker.Check(x => Op.ElementwiseLoss(kind, t, x[0], parameter), [p], delta: 1e-3f);
        }
    }

    [TestMethod]
    public void Identifiers_AndConfigsRoundTrip()
    {
        foreach (var id in new[] { "mse", "MSE", "mean_squared_error", "mae", "mape", "msle", "huber", "log_cosh", "logcosh", "poisson", "kld", "kl_divergence", "hinge", "squared_hinge", "binary_crossentropy", "categorical_crossentropy", "Huber" })
        {
            var loss = Losses.Get(id);
            var again = Losses.Deserialize(loss.GetType().Name, loss.GetConfig());
            CollectionAssert.AreEquivalent(loss.GetConfig().ToList(), again.GetConfig().ToList(), id);
        }
        Assert.IsInstanceOfType<MeanSquaredError>(Losses.Get("mse"));
        Assert.AreEqual(0.25, ((Huber)Losses.Deserialize("Huber", new Dictionary<string, object?> { ["delta"] = 0.25 })).Delta);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Losses.Get("msee")).Message, "Could not interpret loss identifier: 'msee'");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new Huber(delta: -1)).Message, "delta=-1");
    }
}
