using ResNetKeras.Devices;
using ResNetKeras.Engine;
using ResNetKeras.Ops;
using static ResNetKeras.Tests.Ops.GradientChecker;

namespace ResNetKeras.Tests.Ops;

/// <summary>Every op's finite-difference gradient check on the CPU device.</summary>
[TestClass]
public sealed class OpGradientTestsCpu : OpGradientTests
{
    protected override IDevice Device => ResNetKeras.Devices.Cpu.CpuDevice.Instance;
}

/// <summary>The same checks on the simulated device: queued kernels over memory the host can only copy.</summary>
[TestClass]
public sealed class OpGradientTestsSim : OpGradientTests
{
    protected override IDevice Device => ResNetKeras.Devices.Sim.SimDevice.Instance;
}

/// <summary>Finite-difference gradient checks of every differentiable op, run on each device by a subclass.</summary>
public abstract class OpGradientTests
{
    private readonly RandomState rng = new(2024);

    protected abstract IDevice Device { get; }

    private Tensor R(params int[] shape) => Random(rng, Device, shape);

    [TestMethod]
    [DataRow(1, 5, 5, 2, 3, 3, 1, "same")]
    [DataRow(2, 6, 6, 3, 2, 3, 2, "same")]
    [DataRow(1, 7, 7, 2, 2, 3, 2, "valid")]
    [DataRow(2, 4, 5, 3, 4, 1, 1, "valid")]
    [DataRow(1, 5, 4, 2, 3, 1, 2, "same")]
    [DataRow(1, 6, 6, 2, 2, 3, 1, "valid")]
    [DataRow(1, 4, 4, 2, 2, 3, 2, "same")]
    [DataRow(2, 5, 5, 1, 2, 1, 2, "valid")]
    public void Conv2D(int n, int h, int w, int cin, int cout, int k, int s, string padding) =>
        Check(t => Op.Conv2D(t[0], t[1], s, s, padding), [R(n, h, w, cin), R(k, k, cin, cout)]);

    [TestMethod]
    [DataRow(2, 5, 4, 3, 5, 3, 1, "same")]
    [DataRow(1, 5, 5, 16, 16, 3, 1, "same")]
    [DataRow(2, 6, 5, 16, 32, 3, 2, "same")]
    [DataRow(1, 4, 4, 32, 16, 1, 1, "valid")]
    public void Conv2D_WithBias(int n, int h, int w, int cin, int cout, int k, int s, string padding) =>
        // Channel counts of 16 and 32 run the Winograd and register-tile kernels, 3 and 5 the im2col path.
        Check(t => Op.Conv2D(t[0], t[1], t[2], s, s, padding), [R(n, h, w, cin), R(k, k, cin, cout), R(cout)]);

    [TestMethod]
    public void Conv2D_WithBias_EqualsBiasAddOfConv2D()
    {
        var x = R(2, 7, 6, 16);
        var k = R(3, 3, 16, 32);
        var b = R(32);
        var fused = Op.Conv2D(x, k, b, 1, 1, "same");
        var separate = Op.BiasAdd(Op.Conv2D(x, k, 1, 1, "same"), b);
        var f = fused.ToArray();
        var e = separate.ToArray();
        for (int i = 0; i < f.Length; i++) Assert.AreEqual(e[i], f[i], 1e-5f, $"element {i}");
    }

    [TestMethod]
    public void Conv2D_RectangularKernelAndStrides() =>
        Check(t => Op.Conv2D(t[0], t[1], 2, 1, "same"), [R(1, 5, 6, 2), R(3, 1, 2, 2)]);

    [TestMethod]
    public void MatMul() => Check(t => Op.MatMul(t[0], t[1]), [R(3, 4), R(4, 5)]);

    [TestMethod]
    public void Multiply() => Check(t => Op.Multiply(t[0], t[1]), [R(3, 4), R(3, 4)]);

    [TestMethod]
    public void BiasAdd() => Check(t => Op.BiasAdd(t[0], t[1]), [R(2, 3, 3, 4), R(4)]);

    [TestMethod]
    public void BatchNormTraining() =>
        Check(t => Op.BatchNormTraining(t[0], t[1], t[2], 1e-3f), [R(2, 3, 3, 4), R(4), R(4)], tolerance: 3e-2);

    [TestMethod]
    public void BatchNormTraining_FusedRelu_WithMovingStatistics()
    {
        // β ≥ 5 keeps every output γ·x̂ + β positive (|x̂| ≤ √(m − 1) ≈ 4.1 over m = 18 rows, |γ| ≤ 1), away from the
        // ReLU's kink, where a finite difference is meaningless; FusedReluTests checks the masked gradient bit for bit.
        var beta = R(4);
        Set(beta, (_, v) => 5f + Math.Abs(v));
        Check(t => Op.BatchNormTraining(t[0], t[1], t[2], 1e-3f, R(4), R(4), 0.9f, besselCorrection: true, relu: true), [R(2, 3, 3, 4), R(4), beta], tolerance: 3e-2);
    }

    [TestMethod]
    public void BatchNormTraining_WithoutScaleAndCenter() =>
        Check(t => Op.BatchNormTraining(t[0], null, null, 1e-3f), [R(3, 2, 2, 3)], tolerance: 3e-2);

    [TestMethod]
    public void BatchNormInference()
    {
        var mv = R(3);
        Set(mv, (_, v) => 0.5f + Math.Abs(v));
        var mm = R(3);
        Check(t => Op.BatchNormInference(t[0], t[1], t[2], mm, mv, 1e-3f), [R(2, 2, 2, 3), R(3), R(3)]);
        Check(t => Op.BatchNormInference(t[0], t[1], t[2], mm, mv, 1e-3f, relu: true), [R(2, 2, 2, 3), R(3), R(3)]);
    }

    [TestMethod]
    public void Relu()
    {
        var x = R(2, 3, 4);
        // Keep inputs away from the kink, where the finite difference is undefined.
        Set(x, (_, v) => Math.Abs(v) < 0.05f ? 0.3f : v);
        Check(t => Op.Relu(t[0]), [x]);
    }

    [TestMethod]
    public void SigmoidAndTanh()
    {
        Check(t => Op.Sigmoid(t[0]), [R(3, 4)]);
        Check(t => Op.Tanh(t[0]), [R(3, 4)]);
    }

    [TestMethod]
    public void Softmax() => Check(t => Op.Softmax(t[0]), [R(3, 5)]);

    [TestMethod]
    public void AddNAndScale()
    {
        Check(t => Op.AddN([t[0], t[1], t[2]]), [R(2, 3), R(2, 3), R(2, 3)]);
        Check(t => Op.Scale(t[0], -2.5f), [R(4)]);
        // The same tensor used twice accumulates both contributions.
        Check(t => Op.Add(t[0], t[0]), [R(2, 2)]);
    }

    [TestMethod]
    [DataRow(true, 2, 2, "valid")]
    [DataRow(true, 3, 2, "same")]
    [DataRow(false, 2, 2, "valid")]
    [DataRow(false, 3, 2, "same")]
    [DataRow(false, 3, 1, "same")]
    public void Pooling(bool max, int pool, int stride, string padding)
    {
        var x = R(2, 5, 5, 3);
        if (max)
        {
            // Distinct values so the max is unique and the finite difference does not cross a tie.
            Set(x, (i, _) => ((i * 37) % x.Size) / (float)x.Size);
        }
        Check(t => max ? Op.MaxPool2D(t[0], pool, pool, stride, stride, padding) : Op.AvgPool2D(t[0], pool, pool, stride, stride, padding), [x], delta: max ? 1e-3f : 1e-2f);
    }

    [TestMethod]
    public void GlobalPooling()
    {
        Check(t => Op.GlobalAvgPool2D(t[0]), [R(2, 3, 4, 2)]);
        var x = R(2, 3, 3, 2);
        Set(x, (i, _) => ((i * 7) % x.Size) / (float)x.Size);
        Check(t => Op.GlobalMaxPool2D(t[0]), [x], delta: 1e-3f);
    }

    [TestMethod]
    public void ZeroPadAndReshape()
    {
        Check(t => Op.ZeroPad2D(t[0], 1, 2, 0, 1), [R(2, 3, 2, 2)]);
        Check(t => Op.Reshape(t[0], 2, -1), [R(2, 3, 2)]);
    }

    [TestMethod]
    public void Dropout_GradientIsTheMask()
    {
        var x = R(40, 50);
        Tensor y, g;
        using (var tape = new GradientTape())
        {
            tape.Watch(x);
            y = Op.Dropout(x, 0.25f, new RandomState(3));
            g = tape.Gradient(y, [x])[0];
        }
        int kept = 0;
        float[] xs = x.ToArray(), ys = y.ToArray(), gs = g.ToArray();
        for (int i = 0; i < xs.Length; i++)
        {
            if (ys[i] == 0f && xs[i] != 0f)
            {
                Assert.AreEqual(0f, gs[i]);
                continue;
            }
            kept++;
            Assert.AreEqual(xs[i] / 0.75f, ys[i], 1e-6f);
            Assert.AreEqual(1f / 0.75f, gs[i], 1e-6f);
        }
        // 2000 Bernoulli(0.75) draws: mean 1500, std ~19.4; 5 sigma bounds.
        Assert.IsTrue(kept > 1400 && kept < 1600, $"kept {kept} of 2000");
    }

    [TestMethod]
    public void CrossEntropyLosses()
    {
        var labels = On(Device, [0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0], 3, 4);
        Check(t => Op.SoftmaxCrossEntropyWithLogits(t[0], labels), [R(3, 4)]);
        var probs = R(3, 4);
        Set(probs, (_, v) => 0.2f + Math.Abs(v));
        Check(t => Op.CategoricalCrossentropy(t[0], labels), [probs], delta: 1e-3f);
        Check(t => Op.SparseSoftmaxCrossEntropyWithLogits(t[0], [1, 3, 0]), [R(3, 4)]);
        Check(t => Op.SparseCategoricalCrossentropy(t[0], [1, 3, 0]), [probs], delta: 1e-3f);
        var sparse = On(Device, [1, 3, 0], 3);
        Check(t => Op.SparseSoftmaxCrossEntropyWithLogits(t[0], sparse), [R(3, 4)]);
        Check(t => Op.SparseCategoricalCrossentropy(t[0], sparse), [probs], delta: 1e-3f);
    }

    [TestMethod]
    public void ReductionsAndL2()
    {
        Check(t => Op.Mean(t[0]), [R(3, 4)]);
        Check(t => Op.Sum(t[0]), [R(3, 4)]);
        Check(t => Op.L2Penalty(t[0], 1e-1f), [R(2, 3)]);
        Check(t => Op.Sum(t[0], axis: 1), [R(2, 3, 4)]);
        Check(t => Op.Mean(t[0], axis: -1, keepDims: true), [R(2, 3, 4)]);
        Check(t => Op.Mean(t[0], axis: 0), [R(2, 3, 4)]);
    }

    [TestMethod]
    public void NoTape_RecordsNothing()
    {
        var x = R(2, 2);
        var y = Op.Relu(x);
        Assert.IsFalse(GradientTape.IsRecording);
        using var tape = new GradientTape();
        // x was never watched, so y's producer was not recorded and its gradient is zero.
        var g = tape.Gradient(Op.Sum(Op.Relu(x)), [x]);
        CollectionAssert.AreEqual(new float[4], g[0].ToArray());
        Assert.AreEqual(4, y.Size);
    }
}
