using System.Text.Json;
using ResNetKeras.Devices;
using ResNetKeras.Engine;
using ResNetKeras.Kernels;
using ResNetKeras.Ops;
using static ResNetKeras.Tests.Ops.GradientChecker;

namespace ResNetKeras.Tests.Ops;

/// <summary>The activation, merge and reshaping ops on the CPU device.</summary>
[TestClass]
public sealed class ActivationOpTestsCpu : ActivationOpTests
{
    protected override IDevice Device => ResNetKeras.Devices.Cpu.CpuDevice.Instance;
}

/// <summary>The same on the simulated device (queued kernels over memory the host can only copy).</summary>
[TestClass]
public sealed class ActivationOpTestsSim : ActivationOpTests
{
    protected override IDevice Device => ResNetKeras.Devices.Sim.SimDevice.Instance;
}

/// <summary>
/// Finite-difference gradient checks of the issue-17 ops and their values against PyTorch 1.13 in float64
/// (Fixtures/Activations/activations.json, written by tools/fixtures/make_activation_fixtures.py), per device.
/// </summary>
public abstract class ActivationOpTests
{
    private readonly RandomState rng = new(1717);

    protected abstract IDevice Device { get; }

    private Tensor R(params int[] shape) => Random(rng, Device, shape);

    /// <summary>Uniform in ±3 with every |x − kink| ≥ 0.05, so a central difference of step 0.01 never straddles one.</summary>
    private Tensor AwayFrom(float[] kinks, params int[] shape)
    {
        var t = R(shape);
        Set(t, (i, v) =>
        {
            float x = 3 * v;
            foreach (float k in kinks)
                if (Math.Abs(x - k) < 0.05f) x = k + (x >= k ? 0.1f : -0.1f);
            return x;
        });
        return t;
    }

    private static readonly Lazy<JsonDocument> Fixture = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Activations", "activations.json"))));

    private static float[] Floats(JsonElement e) => e.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();
    private static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    private static void Close(double[] expected, float[] actual, double rel, double abs, string what)
    {
        Assert.HasCount(expected.Length, actual, what);
        for (int i = 0; i < expected.Length; i++)
        {
            double err = Math.Abs(actual[i] - expected[i]);
            Assert.IsTrue(err <= abs + rel * Math.Abs(expected[i]), $"{what}[{i}]: expected {expected[i]:G9}, got {actual[i]:G9}");
        }
    }

    private (float[] Y, float[] Dx) ValueAndGradient(Func<Tensor, Tensor> f, Tensor x, Tensor? seed = null)
    {
        using var tape = new GradientTape();
        tape.Watch(x);
        var y = f(x);
        var g = tape.Gradient(y, [x], seed ?? Tensor.Full(Device, y.Shape, 1f))[0];
        return (y.ToArray(), g.ToArray());
    }

    public static IEnumerable<object[]> Kinds() => Enum.GetValues<UnaryKind>().Select(k => new object[] { k });

    [TestMethod]
    [DynamicData(nameof(Kinds))]
    public void Activation_Gradient(UnaryKind kind)
    {
        float alpha = kind == UnaryKind.Elu ? 0.7f : 0.25f;
        var x = AwayFrom([0f, 6f, -3f, 3f], 3, 7);
        Check(t => Op.Activation(kind, t[0], alpha), [x], delta: 1e-2f, tolerance: 2e-2);
    }

    [TestMethod]
    [DataRow("relu", "Relu", 0f)]
    [DataRow("relu6", "Relu6", 0f)]
    [DataRow("leaky_relu", "LeakyRelu", 0.2f)]
    [DataRow("leaky_relu_0.3", "LeakyRelu", 0.3f)]
    [DataRow("elu", "Elu", 1f)]
    [DataRow("elu_0.5", "Elu", 0.5f)]
    [DataRow("selu", "Selu", 0f)]
    [DataRow("gelu", "Gelu", 0f)]
    [DataRow("gelu_tanh", "GeluTanh", 0f)]
    [DataRow("silu", "Silu", 0f)]
    [DataRow("softplus", "Softplus", 0f)]
    [DataRow("softsign", "Softsign", 0f)]
    [DataRow("sigmoid", "Sigmoid", 0f)]
    [DataRow("hard_sigmoid", "HardSigmoid", 0f)]
    [DataRow("tanh", "Tanh", 0f)]
    [DataRow("exponential", "Exponential", 0f)]
    public void Activation_MatchesTorch(string fixture, string kindName, float alpha)
    {
        var kind = Enum.Parse<UnaryKind>(kindName);
        var root = Fixture.Value.RootElement;
        var xs = Floats(root.GetProperty("x"));
        var expected = root.GetProperty("unary").GetProperty(fixture);
        var (y, dx) = ValueAndGradient(t => Op.Activation(kind, t, alpha), On(Device, xs, xs.Length));
        // Float32 results of float64 references: a few ulps relative, down to the far tails. The tutorial's sigmoid and
        // tanh kernels (TensorPrimitives, and the gradient from the output as TensorFlow computes it) are accurate to
        // a few ulps of 1 instead, so they get an absolute floor.
        double floor = kind is UnaryKind.Sigmoid or UnaryKind.Tanh ? 3e-7 : 1e-30;
        Close(Doubles(expected.GetProperty("y")), y, 4e-7, floor, fixture + " y");
        Close(Doubles(expected.GetProperty("dy")), dx, 1e-6, floor, fixture + " dy");
    }

    [TestMethod]
    public void NamedOps_AreTheirKinds()
    {
        var x = AwayFrom([0f], 2, 5);
        void Same(Tensor a, Tensor b) => CollectionAssert.AreEqual(a.ToArray(), b.ToArray());
        Same(Op.Relu6(x), Op.Activation(UnaryKind.Relu6, x));
        Same(Op.LeakyRelu(x), Op.Activation(UnaryKind.LeakyRelu, x, 0.2f));
        Same(Op.Elu(x), Op.Activation(UnaryKind.Elu, x, 1f));
        Same(Op.Gelu(x), Op.Activation(UnaryKind.Gelu, x));
        Same(Op.Gelu(x, approximate: true), Op.Activation(UnaryKind.GeluTanh, x));
        Same(Op.Relu(x), Op.Activation(UnaryKind.Relu, x));
        Same(Op.Sigmoid(x), Op.Activation(UnaryKind.Sigmoid, x));
    }

    [TestMethod]
    [DataRow("relu_s0.1_m6", 0.1f, 6f, 0f)]
    [DataRow("relu_s0.2_t1", 0.2f, float.NaN, 1f)]
    [DataRow("relu_m4_t2", 0f, 4f, 2f)]
    [DataRow("relu_s0.5_m10", 0.5f, 10f, 0f)]
    public void ParameterizedRelu_MatchesKerasDefinition(string fixture, float slope, float max, float threshold)
    {
        var root = Fixture.Value.RootElement;
        var xs = Floats(root.GetProperty("x"));
        var expected = root.GetProperty("unary").GetProperty(fixture);
        float? m = float.IsNaN(max) ? null : max;
        var (y, dx) = ValueAndGradient(t => Op.Relu(t, slope, m, threshold), On(Device, xs, xs.Length));
        Close(Doubles(expected.GetProperty("y")), y, 4e-7, 1e-6, fixture + " y");
        Close(Doubles(expected.GetProperty("dy")), dx, 1e-6, 1e-7, fixture + " dy");
        Check(t => Op.Relu(t[0], slope, m, threshold), [AwayFrom([0f, threshold, m ?? 0f], 4, 5)]);
    }

    [TestMethod]
    public void ParameterizedRelu_KerasDocumentedExample()
    {
        // keras.layers.ReLU(max_value=10, negative_slope=0.5, threshold=0) on [-10, -5, 0, 5, 10].
        var y = Op.Relu(On(Device, [-10f, -5f, 0f, 5f, 10f], 5), 0.5f, 10f, 0f).ToArray();
        CollectionAssert.AreEqual(new[] { -5f, -2.5f, 0f, 5f, 10f }, y);
        Assert.Throws<ArgumentException>(() => Op.Relu(R(2), 0f, -1f));
    }

    [TestMethod]
    public void PRelu_MatchesTorch_AndGradients()
    {
        var p = Fixture.Value.RootElement.GetProperty("prelu");
        var x = On(Device, Floats(p.GetProperty("x")), 2, 3, 4);
        var alpha = On(Device, Floats(p.GetProperty("alpha")), 3, 1);
        var w = On(Device, Floats(p.GetProperty("w")), 2, 3, 4);
        Tensor y;
        Tensor[] g;
        using (var tape = new GradientTape())
        {
            tape.Watch(x);
            tape.Watch(alpha);
            y = Op.PRelu(x, alpha);
            g = tape.Gradient(y, [x, alpha], w);
        }
        Close(Doubles(p.GetProperty("y")), y.ToArray(), 1e-6, 1e-7, "prelu y");
        Close(Doubles(p.GetProperty("dx")), g[0].ToArray(), 1e-6, 1e-7, "prelu dx");
        Close(Doubles(p.GetProperty("dalpha")), g[1].ToArray(), 1e-5, 1e-6, "prelu dalpha");
        Check(t => Op.PRelu(t[0], t[1]), [AwayFrom([0f], 3, 2, 4), R(2, 4)]);
        Check(t => Op.PRelu(t[0], t[1]), [AwayFrom([0f], 2, 3, 4), R(1, 4)]);
        StringAssert.Contains(Assert.Throws<ArgumentException>(() => Op.PRelu(R(2, 3, 4), R(2, 4))).Message, "(2, 4)");
    }

    [TestMethod]
    public void SoftmaxAndLogSoftmax_MatchTorch()
    {
        var rows = Fixture.Value.RootElement.GetProperty("rows");
        var xs = Floats(rows.GetProperty("x"));
        var w = On(Device, Floats(rows.GetProperty("w")), 4, 5);
        foreach (var (name, f) in new (string, Func<Tensor, Tensor>)[] { ("softmax", Op.Softmax), ("log_softmax", Op.LogSoftmax) })
        {
            var (y, dx) = ValueAndGradient(f, On(Device, xs, 4, 5), w);
            Close(Doubles(rows.GetProperty(name).GetProperty("y")), y, 1e-6, 1e-7, name + " y");
            Close(Doubles(rows.GetProperty(name).GetProperty("dx")), dx, 1e-5, 1e-6, name + " dx");
        }
        var s = Fixture.Value.RootElement.GetProperty("softmax_axis1");
        var along = Op.Softmax(On(Device, Floats(s.GetProperty("x")), 2, 4, 3), axis: 1).ToArray();
        Close(Doubles(s.GetProperty("y")), along, 1e-6, 1e-7, "softmax axis 1");
    }

    [TestMethod]
    public void LogSoftmaxAndAxisSoftmax_Gradients()
    {
        Check(t => Op.LogSoftmax(t[0]), [R(3, 5)]);
        Check(t => Op.Softmax(t[0], 1), [R(2, 3, 4)]);
        Check(t => Op.LogSoftmax(t[0], 0), [R(3, 4)]);
        // Large logits do not overflow: log-softmax stays finite where log(softmax) would be −∞.
        var y = Op.LogSoftmax(On(Device, [1000f, 0f, -1000f], 1, 3)).ToArray();
        CollectionAssert.AreEqual(new[] { 0f, -1000f, -2000f }, y);
    }

    [TestMethod]
    public void BinaryOps_ValuesAndGradients()
    {
        var a = On(Device, [1f, -2f, 3f, 4f], 2, 2);
        var b = On(Device, [0.5f, -1f, 3f, 5f], 2, 2);
        CollectionAssert.AreEqual(new[] { 0.5f, -1f, 0f, -1f }, Op.Subtract(a, b).ToArray());
        CollectionAssert.AreEqual(new[] { 1f, -1f, 3f, 5f }, Op.Maximum(a, b).ToArray());
        CollectionAssert.AreEqual(new[] { 0.5f, -2f, 3f, 4f }, Op.Minimum(a, b).ToArray());
        // Ties (element 2) route the whole gradient to the first operand, as TensorFlow's Maximum/Minimum.
        foreach (var f in new Func<Tensor, Tensor, Tensor>[] { Op.Maximum, Op.Minimum })
        {
            using var tape = new GradientTape();
            tape.Watch(a);
            tape.Watch(b);
            var g = tape.Gradient(f(a, b), [a, b]);
            Assert.AreEqual(1f, g[0].ToArray()[2]);
            Assert.AreEqual(0f, g[1].ToArray()[2]);
        }
        Check(t => Op.Subtract(t[0], t[1]), [R(3, 4), R(3, 4)]);
        var p = R(3, 4);
        var q = R(3, 4);
        Set(q, (i, v) => v + (i % 2 == 0 ? 0.5f : -0.5f));
        Check(t => Op.Maximum(t[0], t[1]), [p, q], delta: 1e-3f);
        Check(t => Op.Minimum(t[0], t[1]), [p, q], delta: 1e-3f);
        StringAssert.Contains(Assert.Throws<ArgumentException>(() => Op.Maximum(R(2, 3), R(3, 2))).Message, "same shape");
        // The device's Subtract gradient (the op hands dy on itself and scales it for b; the kernel must agree).
        var dy = On(Device, [1f, -2f, 3f, 0.5f], 4);
        var da = Device.Allocate(4);
        var db = Device.Allocate(4);
        Device.BinaryGrad(BinaryKind.Subtract, a.Storage, b.Storage, dy.Storage, da, db);
        CollectionAssert.AreEqual(new[] { 1f, -2f, 3f, 0.5f }, new Tensor(da, 4).ToArray());
        CollectionAssert.AreEqual(new[] { -1f, 2f, -3f, -0.5f }, new Tensor(db, 4).ToArray());
    }

    [TestMethod]
    public void Concatenate_ValuesAndGradients()
    {
        var a = On(Device, [1f, 2f, 3f, 4f], 2, 2);
        var b = On(Device, [5f, 6f], 2, 1);
        CollectionAssert.AreEqual(new[] { 1f, 2f, 5f, 3f, 4f, 6f }, Op.Concatenate([a, b], axis: 1).ToArray());
        var c = On(Device, [7f, 8f], 1, 2);
        var rows = Op.Concatenate([a, c], axis: 0);
        CollectionAssert.AreEqual(new[] { 3, 2 }, rows.Shape);
        CollectionAssert.AreEqual(new[] { 1f, 2f, 3f, 4f, 7f, 8f }, rows.ToArray());
        Check(t => Op.Concatenate(t, -1), [R(2, 3, 2), R(2, 3, 4), R(2, 3, 1)]);
        Check(t => Op.Concatenate(t, 1), [R(2, 1, 2), R(2, 3, 2)]);
        Check(t => Op.Concatenate(t, 0), [R(1, 3), R(2, 3)]);
        // The same tensor twice accumulates both slices' gradients.
        Check(t => Op.Concatenate([t[0], t[0]], 1), [R(2, 3)]);
        StringAssert.Contains(Assert.Throws<ArgumentException>(() => Op.Concatenate([R(2, 3), R(3, 3)], 1)).Message, "must match");
    }

    [TestMethod]
    public void Transpose_ValuesAndGradients()
    {
        var x = On(Device, [0f, 1f, 2f, 3f, 4f, 5f], 2, 3);
        var y = Op.Transpose(x, 1, 0);
        CollectionAssert.AreEqual(new[] { 3, 2 }, y.Shape);
        CollectionAssert.AreEqual(new[] { 0f, 3f, 1f, 4f, 2f, 5f }, y.ToArray());
        // (2, 3, 4) → perm (0, 2, 1): y[n, k, j] = x[n, j, k].
        var host = Enumerable.Range(0, 24).Select(i => (float)i).ToArray();
        var z = Op.Transpose(On(Device, host, 2, 3, 4), 0, 2, 1).ToArray();
        for (int n = 0; n < 2; n++)
            for (int k = 0; k < 4; k++)
                for (int j = 0; j < 3; j++)
                    Assert.AreEqual(host[(n * 3 + j) * 4 + k], z[(n * 4 + k) * 3 + j]);
        Check(t => Op.Transpose(t[0], 2, 0, 1), [R(2, 3, 4)]);
        Check(t => Op.Transpose(t[0], 0, 3, 1, 2), [R(2, 2, 3, 2)]);
        Assert.Throws<ArgumentException>(() => Op.Transpose(R(2, 3), 0, 0));
    }

    [TestMethod]
    public void BroadcastTo_ValuesAndGradients()
    {
        var x = On(Device, [1f, 2f], 2, 1);
        var y = Op.BroadcastTo(x, 2, 3);
        CollectionAssert.AreEqual(new[] { 1f, 1f, 1f, 2f, 2f, 2f }, y.ToArray());
        Check(t => Op.BroadcastTo(t[0], 2, 3, 4), [R(2, 1, 4)]);
        Check(t => Op.BroadcastTo(t[0], 3, 2, 4), [R(1, 2, 1)]);
        Assert.AreSame(x, Op.BroadcastTo(x, 2, 1));
        StringAssert.Contains(Assert.Throws<ArgumentException>(() => Op.BroadcastTo(R(2, 3), 2, 4)).Message, "cannot broadcast shape (2, 3) to (2, 4)");
    }

    [TestMethod]
    public void RepeatVectorScaleOffsetAndNormalize()
    {
        var x = On(Device, [1f, 2f, 3f, 4f], 2, 2);
        var r = Op.RepeatVector(x, 3);
        CollectionAssert.AreEqual(new[] { 2, 3, 2 }, r.Shape);
        CollectionAssert.AreEqual(new[] { 1f, 2f, 1f, 2f, 1f, 2f, 3f, 4f, 3f, 4f, 3f, 4f }, r.ToArray());
        Check(t => Op.RepeatVector(t[0], 3), [R(2, 4)]);
        CollectionAssert.AreEqual(new[] { 1.5f, 1.75f, 2f, 2.25f }, Op.ScaleOffset(x, 0.25f, 1.25f).ToArray());
        Check(t => Op.ScaleOffset(t[0], -1.5f, 0.5f), [R(3, 2)]);
        var mean = On(Device, [1f, -2f, 0.5f], 3);
        var variance = On(Device, [4f, 0.25f, 1e-20f], 3);
        var n = Op.Normalize(On(Device, [3f, -1f, 0.5f, 1f, -2f, 1.5f], 2, 3), mean, variance, axis: -1).ToArray();
        // (x − mean)/max(√var, 1e-7): the third channel's √var is below ε, so ε divides.
        Close([1, 2, 0, 0, 0, 1e7], n, 1e-6, 1e-6, "normalize");
        Check(t => Op.Normalize(t[0], mean, variance, 1), [R(2, 3, 2)], checkInput: [true]);
        var one = On(Device, [2f], 1);
        Check(t => Op.Normalize(t[0], one, one, null, invert: true), [R(2, 3)]);
        Check(t => Op.Normalize(t[0], mean, On(Device, [4f, 0.25f, 9f], 3), -1, invert: false), [R(4, 3)]);
        StringAssert.Contains(Assert.Throws<ArgumentException>(() => Op.Normalize(R(2, 4), mean, variance, -1)).Message, "4 value(s)");
    }
}
