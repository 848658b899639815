using ResNetKeras.Devices;
using ResNetKeras.Engine;
using ResNetKeras.Keras;
using ResNetKeras.Tests.Ops;

namespace ResNetKeras.Tests.Keras;

/// <summary>Precision, Recall and AUC on the CPU device.</summary>
[TestClass]
public sealed class ConfusionMetricTestsCpu : ConfusionMetricTests
{
    protected override IDevice Device => ResNetKeras.Devices.Cpu.CpuDevice.Instance;
}

/// <summary>The same on the simulated device.</summary>
[TestClass]
public sealed class ConfusionMetricTestsSim : ConfusionMetricTests
{
    protected override IDevice Device => ResNetKeras.Devices.Sim.SimDevice.Instance;
}

/// <summary>Keras's docstring numbers and a hand-computed PR area.</summary>
public abstract class ConfusionMetricTests
{
    protected abstract IDevice Device { get; }

    private Tensor T(params float[] v) => GradientChecker.On(Device, v, v.Length);

    [TestMethod]
    public void PrecisionAndRecall_KerasDocstrings()
    {
        using var scope = DeviceRegistry.Use(Device);
        var p = new Precision();
        p.UpdateState(T(0, 1, 1, 1), T(1, 0, 1, 1));
        Assert.AreEqual(0.6666667f, p.Result().Item(), 1e-6f);
        p.ResetState();
        p.UpdateState(T(0, 1, 1, 1), T(1, 0, 1, 1), T(0, 0, 1, 0));
        Assert.AreEqual(1f, p.Result().Item());
        var r = new Recall();
        r.UpdateState(T(0, 1, 1, 1), T(1, 0, 1, 1));
        Assert.AreEqual(0.6666667f, r.Result().Item(), 1e-6f);
        r.ResetState();
        r.UpdateState(T(0, 1, 1, 1), T(1, 0, 1, 1), T(0, 0, 1, 0));
        Assert.AreEqual(1f, r.Result().Item());
        // Several thresholds: one value each.
        var multi = new Precision(thresholds: [0f, 0.5f]);
        multi.UpdateState(T(0, 1, 1, 1), T(0.2f, 0.1f, 0.9f, 0.6f));
        CollectionAssert.AreEqual(new[] { 0.75f, 1f }, multi.Result().ToArray());
    }

    [TestMethod]
    public void Auc_RocKerasDocstring_AndPrByHand()
    {
        using var scope = DeviceRegistry.Use(Device);
        var roc = new AUC(numThresholds: 3);
        roc.UpdateState(T(0, 0, 1, 1), T(0f, 0.5f, 0.3f, 0.9f));
        // Keras's docstring: tp [2, 1, 0], fp [2, 0, 0], fn [0, 1, 2], tn [0, 2, 2]; auc 0.75.
        CollectionAssert.AreEqual(new[] { 2f, 1f, 0f }, roc.TruePositives.Numpy().Float32Data);
        CollectionAssert.AreEqual(new[] { 0f, 2f, 2f }, roc.TrueNegatives.Numpy().Float32Data);
        Assert.AreEqual(0.75f, roc.Result().Item(), 1e-6f);
        var pr = new AUC(numThresholds: 3, curve: "PR");
        pr.UpdateState(T(0, 0, 1, 1), T(0f, 0.5f, 0.3f, 0.9f));
        // By hand from those counts (Davis and Goadrich's interpolation between thresholds k and k + 1):
        // k = 0: dtp = 2 − 1, p = tp + fp goes 4 -> 1, slope 1/3, intercept 1 − 1/3 = 2/3, ratio 4, over tp1 + fn1 = 2;
        // k = 1: dtp = 1, p goes 1 -> 0, slope 1, intercept 0, ratio 1 (p2 = 0), over tp2 + fn2 = 2.
        double expected = (1.0 / 3) * (1 + (2.0 / 3) * Math.Log(4)) / 2 + 1.0 * 1 / 2;
        Assert.AreEqual(expected, pr.Result().Item(), 1e-6);
    }

    [TestMethod]
    public void MeanIoU_KerasDocstrings()
    {
        using var scope = DeviceRegistry.Use(Device);
        // keras.metrics.MeanIoU docstring: cm = [[1, 1], [1, 1]], IoU 1/3 per class.
        var m = new MeanIoU(numClasses: 2);
        m.UpdateState(T(0, 0, 1, 1), T(0, 1, 0, 1));
        Assert.AreEqual(0.33333334f, m.Result().Item(), 1e-7f);
        m.ResetState();
        // With sample_weight [0.3, 0.3, 0.3, 0.1]: cm = [[0.3, 0.3], [0.3, 0.1]], IoU 0.3/0.9 and 0.1/0.7, mean 0.23809525.
        m.UpdateState(T(0, 0, 1, 1), T(0, 1, 0, 1), T(0.3f, 0.3f, 0.3f, 0.1f));
        Assert.AreEqual(0.23809525f, m.Result().Item(), 1e-6f);
        // A class never seen (class 2 of 3) is left out of the mean.
        var three = new MeanIoU(numClasses: 3);
        three.UpdateState(T(0, 1), T(0, 1));
        Assert.AreEqual(1f, three.Result().Item());
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new MeanIoU(numClasses: 1)).Message, "num_classes=1");
    }

    [TestMethod]
    public void InCompile_ByNameAndAsObjects()
    {
        using var scope = DeviceRegistry.Use(Device);
        Backend.ClearSession();
        Backend.SetRandomSeed(1);
        var model = new Sequential([new InputLayer(shape: [2]), new Dense(1, activation: "sigmoid")]);
        model.Compile("adam", "binary_crossentropy", ["accuracy", new AUC(), "precision", new Recall(name: "rec")]);
        var x = ND.Zeros([8, 2]);
        var y = ND.Zeros([8, 1]);
        for (int i = 0; i < 8; i++) { x.SetDouble(i % 2 == 0 ? 1 : -1, i, 0); y.SetDouble(i % 2 == 0 ? 1 : 0, i, 0); }
        var logs = model.Fit(x, y, batchSize: 4, epochs: 1, verbose: 0, seed: 1).HistoryData;
        CollectionAssert.IsSubsetOf(new[] { "loss", "accuracy", "auc", "precision", "rec" }, logs.Keys.ToArray());
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new AUC(curve: "DET")).Message, "curve=DET");
    }
}
