using ResNetKeras.Engine;
using ResNetKeras.Ops;
using static ResNetKeras.Tests.Ops.GradientChecker;

namespace ResNetKeras.Tests.Ops;

[TestClass]
public sealed class OpGradientTests
{
    private static readonly RandomState Rng = new(2024);

    private static Tensor R(params int[] shape)
    {
        lock (Rng) return Random(Rng, shape);
    }

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
        for (int i = 0; i < fused.Size; i++) Assert.AreEqual(separate.Data[i], fused.Data[i], 1e-5f, $"element {i}");
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
        Check(t => Op.BatchNormTraining(t[0], t[1], t[2], 1e-3f, out _, out _), [R(2, 3, 3, 4), R(4), R(4)], tolerance: 3e-2);

    [TestMethod]
    public void BatchNormTraining_WithoutScaleAndCenter() =>
        Check(t => Op.BatchNormTraining(t[0], null, null, 1e-3f, out _, out _), [R(3, 2, 2, 3)], tolerance: 3e-2);

    [TestMethod]
    public void BatchNormInference()
    {
        var mv = R(3);
        for (int i = 0; i < 3; i++) mv.Data[i] = 0.5f + Math.Abs(mv.Data[i]);
        var mm = R(3);
        Check(t => Op.BatchNormInference(t[0], t[1], t[2], mm, mv, 1e-3f), [R(2, 2, 2, 3), R(3), R(3)]);
    }

    [TestMethod]
    public void Relu()
    {
        var x = R(2, 3, 4);
        // Keep inputs away from the kink, where the finite difference is undefined.
        for (int i = 0; i < x.Size; i++) if (Math.Abs(x.Data[i]) < 0.05f) x.Data[i] = 0.3f;
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
            for (int i = 0; i < x.Size; i++) x.Data[i] = ((i * 37) % x.Size) / (float)x.Size;
        }
        Check(t => max ? Op.MaxPool2D(t[0], pool, pool, stride, stride, padding) : Op.AvgPool2D(t[0], pool, pool, stride, stride, padding), [x], delta: max ? 1e-3f : 1e-2f);
    }

    [TestMethod]
    public void GlobalPooling()
    {
        Check(t => Op.GlobalAvgPool2D(t[0]), [R(2, 3, 4, 2)]);
        var x = R(2, 3, 3, 2);
        for (int i = 0; i < x.Size; i++) x.Data[i] = ((i * 7) % x.Size) / (float)x.Size;
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
        for (int i = 0; i < x.Size; i++)
        {
            if (y.Data[i] == 0f && x.Data[i] != 0f)
            {
                Assert.AreEqual(0f, g.Data[i]);
                continue;
            }
            kept++;
            Assert.AreEqual(x.Data[i] / 0.75f, y.Data[i], 1e-6f);
            Assert.AreEqual(1f / 0.75f, g.Data[i], 1e-6f);
        }
        // 2000 Bernoulli(0.75) draws: mean 1500, std ~19.4; 5 sigma bounds.
        Assert.IsTrue(kept > 1400 && kept < 1600, $"kept {kept} of 2000");
    }

    [TestMethod]
    public void CrossEntropyLosses()
    {
        var labels = Tensor.Zeros(3, 4);
        labels.Data[1] = 1; labels.Data[4 + 3] = 1; labels.Data[8 + 0] = 1;
        Check(t => Op.SoftmaxCrossEntropyWithLogits(t[0], labels), [R(3, 4)]);
        var probs = R(3, 4);
        for (int i = 0; i < probs.Size; i++) probs.Data[i] = 0.2f + Math.Abs(probs.Data[i]);
        Check(t => Op.CategoricalCrossentropy(t[0], labels), [probs], delta: 1e-3f);
        Check(t => Op.SparseSoftmaxCrossEntropyWithLogits(t[0], [1, 3, 0]), [R(3, 4)]);
        Check(t => Op.SparseCategoricalCrossentropy(t[0], [1, 3, 0]), [probs], delta: 1e-3f);
    }

    [TestMethod]
    public void ReductionsAndL2()
    {
        Check(t => Op.Mean(t[0]), [R(3, 4)]);
        Check(t => Op.Sum(t[0]), [R(3, 4)]);
        Check(t => Op.L2Penalty(t[0], 1e-1f), [R(2, 3)]);
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
        CollectionAssert.AreEqual(new float[4], g[0].Data);
        Assert.AreEqual(4, y.Size);
    }
}
