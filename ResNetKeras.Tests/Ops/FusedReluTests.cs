using ResNetKeras.Engine;
using ResNetKeras.Keras;
using ResNetKeras.Ops;
using ResNetKeras.Tests.Keras;

namespace ResNetKeras.Tests.Ops;

/// <summary>
/// The fused ReLU forms (batch norm or add, then ReLU, in one pass) must give exactly the values and gradients of the
/// two separate ops, which the gradient checks cover: compared bit for bit, with channel counts that take the vector
/// loops (16) and their scalar tails (13, 9), and sums that are exactly 0 or −0 at the kink.
/// </summary>
[TestClass]
public sealed class FusedReluTests
{
    private static Tensor R(RandomState rng, params int[] shape) => GradientChecker.Random(rng, shape);

    /// <summary>Output and every input gradient for a random upstream gradient.</summary>
    private static List<float[]> Run(Func<Tensor[], Tensor> f, Tensor[] inputs, Tensor upstream)
    {
        using var tape = new GradientTape();
        tape.Watch(inputs);
        var y = f(inputs);
        var grads = tape.Gradient(y, inputs, upstream);
        return [y.ToArray(), .. grads.Select(g => g.ToArray())];
    }

    private static void AssertSame(Func<Tensor[], Tensor> fused, Func<Tensor[], Tensor> separate, Tensor[] inputs, RandomState rng, int[] outShape)
    {
        var upstream = R(rng, outShape);
        var a = Run(fused, inputs, upstream);
        var b = Run(separate, inputs, upstream);
        Assert.IsTrue(a[0].Any(v => v == 0) && a[0].Any(v => v > 0), "the case must have both sides of the kink");
        for (int i = 0; i < a.Count; i++)
        {
            CollectionAssert.AreEqual(b[i], a[i], i == 0 ? "output" : $"gradient of input {i - 1}");
            // -0 and +0 compare equal as floats; the bits must match too.
            Assert.IsTrue(a[i].Zip(b[i]).All(p => BitConverter.SingleToInt32Bits(p.First) == BitConverter.SingleToInt32Bits(p.Second)), $"bits of {i}");
        }
    }

    [TestMethod]
    [DataRow(2, 5, 5, 16)]
    [DataRow(3, 7, 1, 13)]
    [DataRow(1, 4, 3, 9)]
    public void BatchNormTrainingRelu_EqualsReluOfBatchNorm(int n, int h, int w, int c)
    {
        var rng = new RandomState(31);
        Tensor[] inputs = [R(rng, n, h, w, c), R(rng, c), R(rng, c)];
        AssertSame(t => Op.BatchNormTraining(t[0], t[1], t[2], 1e-3f, relu: true),
            t => Op.Relu(Op.BatchNormTraining(t[0], t[1], t[2], 1e-3f)), inputs, rng, [n, h, w, c]);
        AssertSame(t => Op.BatchNormTraining(t[0], null, null, 1e-3f, relu: true),
            t => Op.Relu(Op.BatchNormTraining(t[0], null, null, 1e-3f)), [inputs[0]], rng, [n, h, w, c]);
    }

    [TestMethod]
    [DataRow(16)]
    [DataRow(13)]
    public void BatchNormInferenceRelu_EqualsReluOfBatchNorm(int c)
    {
        var rng = new RandomState(32);
        var mean = R(rng, c);
        var variance = Tensor.Full([c], 0.7f);
        Tensor[] inputs = [R(rng, 3, 4, 5, c), R(rng, c), R(rng, c)];
        AssertSame(t => Op.BatchNormInference(t[0], t[1], t[2], mean, variance, 1e-3f, relu: true),
            t => Op.Relu(Op.BatchNormInference(t[0], t[1], t[2], mean, variance, 1e-3f)), inputs, rng, [3, 4, 5, c]);
    }

    [TestMethod]
    [DataRow(2, 6, 6, 16)]
    [DataRow(3, 5, 1, 9)]
    public void AddNRelu_EqualsReluOfAddN(int n, int h, int w, int c)
    {
        var rng = new RandomState(33);
        var a = R(rng, n, h, w, c);
        var b = R(rng, n, h, w, c);
        // Exact zeros and negative zeros at the kink, in the vector part and in the scalar tail.
        float[] av = a.ToArray(), bv = b.ToArray();
        foreach (int i in new[] { 0, 5, a.Size - 1, a.Size - 2 })
        {
            bv[i] = -av[i];
            if (i % 2 == 1) av[i] = bv[i] = -0f;
        }
        a.Device.CopyFromHost(av, a.Storage);
        b.Device.CopyFromHost(bv, b.Storage);
        AssertSame(t => Op.AddN([t[0], t[1]], relu: true), t => Op.Relu(Op.AddN([t[0], t[1]])), [a, b], rng, [n, h, w, c]);
        AssertSame(t => Op.AddN([t[0], t[0]], relu: true), t => Op.Relu(Op.AddN([t[0], t[0]])), [a], rng, [n, h, w, c]);
    }

    [TestMethod]
    [DoNotParallelize]
    [DataRow("resnet_v1", 7)]
    [DataRow("resnet_v2", 10)]
    public void ModelFusion_IsBitIdenticalToTheKerasGraph(string kind, int expectedFusions)
    {
        var (x, y) = TrainingTests.Quadrants(16, 7);
        (List<NDArray> Weights, NDArray Predictions, int Fused) Train(bool fuse)
        {
            Backend.ClearSession();
            Backend.SetRandomSeed(3);
            var model = kind == "resnet_v1" ? ResNetCifar.ResNetV1([32, 32, 3], 8, numClasses: 4) : ResNetCifar.ResNetV2([32, 32, 3], 11, numClasses: 4);
            model.FusesActivations = fuse;
            model.Compile(new Adam(), "categorical_crossentropy", ["accuracy"]);
            model.Fit(x, y, batchSize: 8, epochs: 2, verbose: 0, seed: 1);
            return (model.GetWeights(), model.Predict(x, batchSize: 8), model.FusedReluCount);
        }
        var fused = Train(true);
        var separate = Train(false);
        Assert.AreEqual(expectedFusions, fused.Fused, "BatchNormalization/Add layers whose only reader is a ReLU");
        for (int i = 0; i < fused.Weights.Count; i++)
            CollectionAssert.AreEqual(separate.Weights[i].Float32Data, fused.Weights[i].Float32Data, $"weight {i}");
        CollectionAssert.AreEqual(separate.Predictions.Float32Data, fused.Predictions.Float32Data, "predictions");
    }
}
