using ResNetKeras.Engine;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Keras;

/// <summary>class_weight, ModelCheckpoint's save_freq and initial_value_threshold, LambdaCallback.</summary>
[TestClass]
[DoNotParallelize]
public sealed class TrainingOptionTests
{
    private static (NDArray X, NDArray Y) Data()
    {
        var rng = new RandomState(4);
        var x = ND.Zeros([20, 3]);
        var y = ND.Zeros([20, 2]);
        for (int i = 0; i < 20; i++)
        {
            int k = i % 3 == 0 ? 1 : 0;
            y.SetDouble(1, i, k);
            for (int j = 0; j < 3; j++) x.SetDouble(rng.Uniform(-1, 1) + k, i, j);
        }
        return (x, y);
    }

    private static Model Build()
    {
        Backend.ClearSession();
        Backend.SetRandomSeed(2);
        var m = new Sequential([new InputLayer(shape: [3]), new Dense(4, activation: "tanh"), new Dense(2, activation: "softmax")]);
        m.Compile("adam", "categorical_crossentropy", ["accuracy"]);
        return m;
    }

    [TestMethod]
    public void ClassWeight_EqualsTheSampleWeightsItStandsFor()
    {
        var (x, y) = Data();
        var a = Build();
        a.Fit(x, y, batchSize: 5, epochs: 2, verbose: 0, seed: 1, classWeight: new Dictionary<int, double> { [0] = 1.0, [1] = 3.0 });
        var sw = ND.Zeros([20]);
        for (int i = 0; i < 20; i++) sw.SetFlat(i, i % 3 == 0 ? 3.0 : 1.0);
        var b = Build();
        b.Fit(x, y, batchSize: 5, epochs: 2, verbose: 0, seed: 1, sampleWeight: sw);
        var (wa, wb) = (a.GetWeights(), b.GetWeights());
        for (int i = 0; i < wa.Count; i++) CollectionAssert.AreEqual(wb[i].Float32Data, wa[i].Float32Data, $"weight {i}");
        var e = Assert.ThrowsExactly<ArgumentException>(() => Build().Fit(x, y, verbose: 0, classWeight: new Dictionary<int, double> { [1] = 2.0 }));
        StringAssert.Contains(e.Message, "keys from 0 to one less than the number of classes");
    }

    [TestMethod]
    public void ModelCheckpoint_SaveFreqInBatches_AndInitialValueThreshold()
    {
        var (x, y) = Data();
        string dir = Path.Combine(Path.GetTempPath(), $"ckpt_{Guid.NewGuid():N}");
        try
        {
            var every3 = new ModelCheckpoint(Path.Combine(dir, "m.{epoch:02d}-{batch:02d}.h5"), saveFreq: 3, output: TextWriter.Null);
            // A threshold no epoch reaches: save_best_only never saves.
            var never = new ModelCheckpoint(Path.Combine(dir, "best.h5"), monitor: "loss", saveBestOnly: true, initialValueThreshold: 1e-9, output: TextWriter.Null);
            Build().Fit(x, y, batchSize: 5, epochs: 2, verbose: 0, seed: 1, callbacks: [every3, never]);
            // 4 batches per epoch, a save every 3 batches counted across epochs: after batches 3 (epoch 1) and 2 (epoch 2).
            CollectionAssert.AreEquivalent(new[] { "m.01-03.h5", "m.02-02.h5" }, Directory.GetFiles(dir).Select(Path.GetFileName).ToArray());
            Assert.AreEqual(1e-9, never.Best);
            StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new ModelCheckpoint("m.h5", saveFreq: "step")).Message, "Unrecognized save_freq: step");
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    [TestMethod]
    public void LambdaCallback_CallsEachFunction()
    {
        var (x, y) = Data();
        var calls = new List<string>();
        var cb = new LambdaCallback(
            onTrainBegin: _ => calls.Add("train_begin"),
            onEpochBegin: (e, _) => calls.Add($"epoch_begin {e}"),
            onTrainBatchEnd: (b, logs) => calls.Add($"batch_end {b} {logs.ContainsKey("loss")}"),
            onEpochEnd: (e, logs) => calls.Add($"epoch_end {e} {logs.ContainsKey("accuracy")}"),
            onTrainEnd: _ => calls.Add("train_end"));
        Build().Fit(x, y, batchSize: 10, epochs: 1, verbose: 0, seed: 1, callbacks: [cb]);
        CollectionAssert.AreEqual(new[] { "train_begin", "epoch_begin 0", "batch_end 0 True", "batch_end 1 True", "epoch_end 0 True", "train_end" }, calls);
    }
}
