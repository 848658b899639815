using ResNetKeras.Engine;
using ResNetKeras.Keras;
using ResNetKeras.Ops;
using ResNetKeras.Tests.Keras;
using ResNetKeras.Tests.Ops;

namespace ResNetKeras.Tests.Engine;

/// <summary>
/// Early recycling of pooled buffers (GradientTape.RecyclesBuffers and Model.Run's last-reader release) must not change
/// a single bit: released buffers are poisoned with NaN here, so any read after release would show up.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class BufferRecyclingTests
{
    [TestCleanup]
    public void Cleanup() => TensorScope.PoisonReleased = false;

    // Each op reads a pooled tensor that no earlier op saves and that a later op (batch norm) saves too, so the later
    // op's backward runs first and the buffer would be recycled right after it if the op under test did not declare
    // what it reads. Around them, every gradient-sharing pattern: a tensor read twice by one op (x + x), dy handed to
    // several inputs (AddN, BiasAdd), buffers shared by two tensors (Reshape) and a residual join.
    private static Tensor Graph(Tensor[] p)
    {
        var (x, k1, b1, gamma, beta, k2, w) = (p[0], p[1], p[2], p[3], p[4], p[5], p[6]);
        var ends = new List<Tensor>();
        Tensor Fresh(Tensor t) => Op.Scale(t, 1f);
        void Later(Tensor t) => ends.Add(Op.BatchNormTraining(t, null, null, 1e-3f));
        Tensor ReadThenLater(Tensor input, Func<Tensor, Tensor> f)
        {
            var y = f(input);
            Later(input);
            return y;
        }
        var c = ReadThenLater(Fresh(x), t => Op.Conv2D(t, k1, b1, 1, 1, "same"));
        var r = Op.Relu(ReadThenLater(Fresh(c), t => Op.BatchNormTraining(t, gamma, beta, 1e-3f)));
        Later(r);
        foreach (var f in new Func<Tensor, Tensor>[] { Op.Sigmoid, Op.Tanh, Op.Softmax })
        {
            var y = f(Fresh(c));
            Later(y);
            ends.Add(y);
        }
        ends.Add(ReadThenLater(Fresh(c), t => Op.BatchNormInference(t, gamma, beta, Tensor.Full([16], 0.1f), Tensor.Full([16], 2f), 1e-3f)));
        ends.Add(ReadThenLater(Fresh(r), t => Op.MaxPool2D(t, 2, 2, 2, 2, "valid")));
        ends.Add(ReadThenLater(Fresh(r), t => Op.AvgPool2D(t, 3, 3, 2, 2, "same")));
        ends.Add(ReadThenLater(Fresh(Op.Reshape(r, 64, -1)), t => Op.MatMul(t, w)));
        var twice = Op.Add(r, r);
        var joined = Op.Relu(Op.Add(Op.Conv2D(twice, k2, 2, 2, "same"), Op.Conv2D(r, k2, 2, 2, "same")));
        var flat = Op.Reshape(joined, joined.Dim(0), -1);
        ends.Add(Op.BiasAdd(flat, Tensor.Zeros(flat.Dim(1))));
        return Op.AddN(ends.Select(e => Op.Mean(Op.Tanh(e))).ToList());
    }

    private static (Tensor[] Grads, long Peak) Gradients(Tensor[] inputs, bool recycle)
    {
        using var scope = new TensorScope();
        using var tape = new GradientTape { RecyclesBuffers = recycle };
        tape.Watch(inputs);
        var loss = Graph(inputs);
        var grads = tape.Gradient(loss, inputs);
        return (grads.Select(g => g.Copy()).ToArray(), scope.PeakLiveFloats);
    }

    [TestMethod]
    public void RecyclingTape_GivesBitIdenticalGradientsWithLessMemory()
    {
        var rng = new RandomState(3);
        Tensor[] inputs =
        [
            GradientChecker.Random(rng, 4, 16, 16, 8), GradientChecker.Random(rng, 3, 3, 8, 16), GradientChecker.Random(rng, 16),
            GradientChecker.Random(rng, 16), GradientChecker.Random(rng, 16), GradientChecker.Random(rng, 3, 3, 16, 16),
            GradientChecker.Random(rng, 256, 16),
        ];
        var (plain, plainPeak) = Gradients(inputs, recycle: false);
        TensorScope.PoisonReleased = true;
        var (recycled, recycledPeak) = Gradients(inputs, recycle: true);
        for (int i = 0; i < plain.Length; i++)
        {
            Assert.IsFalse(recycled[i].ToArray().Any(float.IsNaN), $"gradient {i} read a released buffer");
            CollectionAssert.AreEqual(plain[i].ToArray(), recycled[i].ToArray(), $"gradient {i}");
        }
        Assert.IsTrue(recycledPeak < plainPeak, $"peak live floats {recycledPeak} with recycling vs {plainPeak} without");
    }

    // Every layer kind the library has, and graphs where one output feeds several layers (shortcuts, x + x).
    private static Model Build(string kind) => kind switch
    {
        "resnet_v1" => ResNetCifar.ResNetV1([32, 32, 3], 8, numClasses: 4),
        "resnet_v2" => ResNetCifar.ResNetV2([32, 32, 3], 11, numClasses: 4),
        "resnet18_identity" => ResNetKeras.Keras.Applications.ResNet18(inputShape: [32, 32, 3], classes: 4, shortcut: "identity"),
        "plain_cifar" => ResNetKeras.Keras.Applications.PlainNetCifar([32, 32, 3], 8, numClasses: 4),
        "mixed" => Mixed(),
        _ => throw new ArgumentException(kind),
    };

    private static Model Mixed()
    {
        var input = Layers.Input([32, 32, 3]);
        var a = new Conv2D(8, kernelSize: 3, padding: "same", activation: "tanh").Call(input);
        var b = new Activation("sigmoid").Call(new BatchNormalization().Call(a));
        var twice = Layers.Add(b, b);
        var p = new ZeroPadding2D(1).Call(new MaxPooling2D().Call(twice));
        var c = new AveragePooling2D().Call(new Conv2D(8, kernelSize: 3, activation: "relu").Call(p));
        var d = new Dropout(0.3, seed: 1).Call(new Activation("linear").Call(new Flatten().Call(c)));
        var e = new Dense(6, activation: "relu").Call(d);
        var f = new GlobalAveragePooling2D().Call(twice);
        return new Model(input, new Dense(4, activation: "softmax").Call(Layers.Add(new Dense(8).Call(e), new Dense(8).Call(f))));
    }

    [TestMethod]
    [DataRow("resnet_v1")]
    [DataRow("resnet_v2")]
    [DataRow("resnet18_identity")]
    [DataRow("plain_cifar")]
    [DataRow("mixed")]
    public void TrainingAndPrediction_AreUnchangedByPoisonedRecycling(string kind)
    {
        var (x, y) = TrainingTests.Quadrants(24, 5);
        List<NDArray> Train(bool poison, out NDArray predictions)
        {
            Backend.ClearSession();
            Backend.SetRandomSeed(11);
            var model = Build(kind);
            model.Compile(new Adam(), "categorical_crossentropy", ["accuracy"]);
            TensorScope.PoisonReleased = poison;
            model.Fit(x, y, batchSize: 8, epochs: 2, verbose: 0, seed: 2);
            predictions = model.Predict(x, batchSize: 8, verbose: 0);
            TensorScope.PoisonReleased = false;
            return model.GetWeights();
        }
        var plain = Train(false, out var plainPredictions);
        var poisoned = Train(true, out var poisonedPredictions);
        for (int i = 0; i < plain.Count; i++)
            CollectionAssert.AreEqual(plain[i].Float32Data, poisoned[i].Float32Data, $"{kind}: weight {i}");
        Assert.IsFalse(poisonedPredictions.Float32Data.Any(float.IsNaN));
        CollectionAssert.AreEqual(plainPredictions.Float32Data, poisonedPredictions.Float32Data);
    }

    [TestMethod]
    public void TrainingStepOfAResNet_KeepsAboutHalfItsBuffersLive()
    {
        Backend.ClearSession();
        Backend.SetRandomSeed(4);
        var model = ResNetCifar.ResNetV1([32, 32, 3], 8, numClasses: 4);
        var x = GradientChecker.Random(new RandomState(1), 8, 32, 32, 3);
        long Peak(bool recycle)
        {
            using var scope = new TensorScope();
            using var tape = new GradientTape { RecyclesBuffers = recycle };
            var vars = model.TrainableWeights.Select(v => v.Value).ToList();
            tape.Watch(vars);
            var loss = Op.Mean(model.Call(x, training: true));
            tape.Gradient(loss, vars);
            return scope.PeakLiveFloats;
        }
        long plain = Peak(false), recycled = Peak(true);
        Console.WriteLine($"peak live floats: {plain} without recycling, {recycled} with");
        // Without recycling every activation and every gradient is live at the end; with it, the forward pass keeps
        // only what backpropagation reads and each gradient dies once consumed.
        Assert.IsTrue(recycled < plain * 0.5, $"peak live floats {recycled} with recycling vs {plain} without");
    }
}
