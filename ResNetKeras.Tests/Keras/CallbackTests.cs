using ResNetKeras.Engine;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Keras;

[TestClass]
[DoNotParallelize]
public sealed class CallbackTests
{
    private static Model TinyModel()
    {
        Backend.ClearSession();
        Backend.SetRandomSeed(3);
        var input = Layers.Input([2]);
        var model = new Model(input, new Dense(2, activation: "softmax").Call(input));
        model.Compile(new Adam(1e-3), "categorical_crossentropy", ["accuracy"]);
        return model;
    }

    [TestMethod]
    public void ReduceLROnPlateau_ReducesExactlyWhenKerasWould()
    {
        var model = TinyModel();
        var cb = new ReduceLROnPlateau(monitor: "val_loss", factor: 0.5, patience: 2, cooldown: 1, minDelta: 0);
        cb.SetModel(model);
        cb.OnTrainBegin(new());
        double[] losses = [1.0, 0.9, 0.95, 0.95, 0.95, 0.95, 0.8, 0.8, 0.8];
        double[] expected = [1e-3, 1e-3, 1e-3, 5e-4, 5e-4, 2.5e-4, 2.5e-4, 2.5e-4, 1.25e-4];
        for (int e = 0; e < losses.Length; e++)
        {
            var logs = new Dictionary<string, double> { ["loss"] = 1, ["val_loss"] = losses[e] };
            cb.OnEpochEnd(e, logs);
            Assert.AreEqual((float)expected[e], (float)model.Optimizer!.LearningRate, $"epoch {e}");
        }
    }

    [TestMethod]
    public void ReduceLROnPlateau_MinLrAndValAccAlias()
    {
        var model = TinyModel();
        var cb = new ReduceLROnPlateau(monitor: "val_acc", factor: 0.1, patience: 1, minLr: 5e-4);
        cb.SetModel(model);
        cb.OnTrainBegin(new());
        cb.OnEpochEnd(0, new() { ["val_accuracy"] = 0.5 });
        cb.OnEpochEnd(1, new() { ["val_accuracy"] = 0.5 });
        Assert.AreEqual((float)5e-4, (float)model.Optimizer!.LearningRate, "val_acc finds val_accuracy; reduction stops at min_lr");
        Assert.ThrowsExactly<ArgumentException>(() => new ReduceLROnPlateau(factor: 1.0));
    }

    [TestMethod]
    public void LearningRateScheduler_AfterReduceLROnPlateau_OverridesIt()
    {
        var model = TinyModel();
        var x = ND.Of(new float[] { 1, 0, 0, 1 }, 2, 2);
        var y = ND.Of(new float[] { 1, 0, 0, 1 }, 2, 2);
        var seen = new List<double>();
        var rlrop = new ReduceLROnPlateau(monitor: "loss", factor: 0.1, patience: 0, minDelta: 10);
        var sched = new LearningRateScheduler(epoch => { seen.Add(model.Optimizer!.LearningRate); return 1e-3 * (epoch + 1); });
        var history = model.Fit(x, y, batchSize: 2, epochs: 3, verbose: 0, callbacks: [rlrop, sched], seed: 1);
        // Epoch 0 improves on +inf; from epoch 1 on RLROP lowers lr at every epoch end and the
        // scheduler resets it at the next epoch begin, so the reduction never reaches training.
        Assert.AreEqual((float)1e-3, (float)seen[1], 1e-9f);
        Assert.AreEqual((float)2e-3 * 0.1f, (float)seen[2], 1e-9f);
        var lrs = history.HistoryData["lr"];
        Assert.AreEqual((float)1e-3, (float)lrs[0], 1e-9f);
        Assert.AreEqual((float)2e-4, (float)lrs[1], 1e-9f, "History sees the reduced value");
        Assert.AreEqual((float)3e-4, (float)model.Optimizer!.LearningRate, 1e-9f);
        CollectionAssert.AreEqual(new[] { "loss", "accuracy", "lr" }, history.HistoryData.Keys.ToArray());
    }

    [TestMethod]
    public void EarlyStopping_Keras26Rule()
    {
        var model = TinyModel();
        var es = new EarlyStopping(monitor: "val_loss", patience: 1);
        es.SetModel(model);
        es.OnTrainBegin(new());
        es.OnEpochEnd(0, new() { ["val_loss"] = 1.0 });
        Assert.IsFalse(model.StopTraining);
        es.OnEpochEnd(1, new() { ["val_loss"] = 1.2 });
        Assert.IsTrue(model.StopTraining);
        Assert.AreEqual(1, es.StoppedEpoch);
    }

    [TestMethod]
    public void Progbar_Keras26Text()
    {
        var sw = new StringWriter();
        double now = 0;
        var bar = new Progbar(3, statefulMetrics: ["loss"], output: sw, dynamicDisplay: false, clock: () => now);
        now = 1.0;
        bar.Update(1, [new("loss", 1.5)], finalize: false);
        now = 3.0;
        bar.Update(3, [new("loss", 1.0), new("val_loss", 0.0001234)], finalize: true);
        Assert.AreEqual(
            "\n1/3 [=========>....................] - ETA: 2s - loss: 1.5000" +
            "\n3/3 [==============================] - 3s 1s/step - loss: 1.0000 - val_loss: 1.2340e-04\n",
            sw.ToString());
    }

    [TestMethod]
    public void Progbar_DynamicDisplayRewritesTheLine()
    {
        var sw = new StringWriter();
        double now = 0;
        var bar = new Progbar(10, output: sw, dynamicDisplay: true, clock: () => now);
        now = 0.5;
        bar.Update(1, null, finalize: false);
        now = 1.0;
        bar.Update(10, null, finalize: true);
        var text = sw.ToString();
        StringAssert.StartsWith(text, "\r 1/10 [==>...........................] - ETA: 4s");
        StringAssert.Contains(text, new string('\b', 47) + "\r10/10 [==============================] - 1s 56ms/step");
    }

    [TestMethod]
    public void CsvLogger_SortedKeysAndCrLf()
    {
        var model = TinyModel();
        string path = Path.Combine(Path.GetTempPath(), $"csvlog_{Guid.NewGuid():N}.csv");
        try
        {
            var x = ND.Of(new float[] { 1, 0, 0, 1 }, 2, 2);
            model.Fit(x, x, batchSize: 2, epochs: 2, verbose: 0, callbacks: [new CSVLogger(path)], seed: 1);
            var text = File.ReadAllText(path);
            StringAssert.StartsWith(text, "epoch,accuracy,loss\r\n0,");
            Assert.AreEqual(3, text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        }
        finally { File.Delete(path); }
    }
}
