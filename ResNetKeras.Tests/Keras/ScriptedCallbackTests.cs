using ResNetKeras.Engine;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Keras;

/// <summary>Callbacks driven by scripted log sequences, checked against Keras 2.6's algorithms and messages (§11).</summary>
[TestClass]
[DoNotParallelize]
public sealed class ScriptedCallbackTests
{
    private static Model Compiled(double lr = 1e-3)
    {
        Backend.ClearSession();
        Backend.SetRandomSeed(3);
        var input = Layers.Input([2]);
        var model = new Model(input, new Dense(2, activation: "softmax").Call(input));
        model.Compile(new Adam(lr), "categorical_crossentropy", ["accuracy"]);
        return model;
    }

    private static T Attach<T>(T callback, Model model) where T : Callback
    {
        callback.SetModel(model);
        callback.OnTrainBegin(new());
        return callback;
    }

    [TestMethod]
    public void ReduceLROnPlateau_VerboseMessage_IsPythonStrOfTheFloat64Product()
    {
        var model = Compiled();
        var sw = new StringWriter();
        var cb = Attach(new ReduceLROnPlateau(monitor: "loss", factor: 0.5, patience: 1, verbose: 1, output: sw), model);
        var logs = new Dictionary<string, double> { ["loss"] = 1.0 };
        cb.OnEpochEnd(0, logs);
        Assert.AreEqual((double)0.001f, logs["lr"], "lr is logged before the decision, as a float32 value");
        cb.OnEpochEnd(1, new() { ["loss"] = 1.0 });
        // float32 1e-3 = 0.0010000000474974513; times 0.5 in float64.
        Assert.AreEqual("\nEpoch 00002: ReduceLROnPlateau reducing learning rate to 0.0005000000237487257.\n", sw.ToString().Replace("\r\n", "\n"));
    }

    [TestMethod]
    public void ReduceLROnPlateau_MaxModeForAcc_MinDelta_AndNoReductionBelowMinLr()
    {
        var model = Compiled(1e-3);
        var cb = Attach(new ReduceLROnPlateau(monitor: "val_accuracy", factor: 0.1, patience: 1, minDelta: 0.05, minLr: 1e-3), model);
        cb.OnEpochEnd(0, new() { ["val_accuracy"] = 0.5 });
        cb.OnEpochEnd(1, new() { ["val_accuracy"] = 0.54 });  // +0.04 < min_delta: no improvement, wait reaches patience
        Assert.AreEqual((double)1e-3f, model.Optimizer!.LearningRate, "lr is not above float32(min_lr): unchanged");

        var model2 = Compiled(1e-2);
        var cb2 = Attach(new ReduceLROnPlateau(monitor: "val_accuracy", factor: 0.1, patience: 1, minDelta: 0.05), model2);
        cb2.OnEpochEnd(0, new() { ["val_accuracy"] = 0.5 });
        cb2.OnEpochEnd(1, new() { ["val_accuracy"] = 0.56 });  // +0.06: improvement (mode max because of 'acc')
        Assert.AreEqual((double)1e-2f, model2.Optimizer!.LearningRate);
        cb2.OnEpochEnd(2, new() { ["val_accuracy"] = 0.3 });
        Assert.AreEqual((double)(float)((double)1e-2f * 0.1), model2.Optimizer.LearningRate);
    }

    [TestMethod]
    public void ReduceLROnPlateau_MissingMonitor_WarnsAndDoesNothing()
    {
        var model = Compiled();
        var sw = new StringWriter();
        var cb = Attach(new ReduceLROnPlateau(monitor: "val_loss", patience: 0, output: sw), model);
        cb.OnEpochEnd(0, new() { ["loss"] = 1 });
        cb.OnEpochEnd(1, new() { ["loss"] = 1 });
        StringAssert.Contains(sw.ToString(), "`val_loss` which is not available. Available metrics are: loss,lr");
        Assert.AreEqual((double)1e-3f, model.Optimizer!.LearningRate);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new ReduceLROnPlateau(mode: "maximum")).Message, "mode=maximum");
    }

    [TestMethod]
    public void LearningRateScheduler_BothSignatures_VerboseMessage_AndLogsLr()
    {
        var model = Compiled(0.1);
        var sw = new StringWriter();
        var seen = new List<double>();
        var two = Attach(new LearningRateScheduler((epoch, lr) => { seen.Add(lr); return lr * 0.5; }, verbose: 1, output: sw), model);
        two.OnEpochBegin(0, new());
        two.OnEpochBegin(1, new());
        Assert.AreEqual((double)0.1f, seen[0], "the current lr, read as float32");
        Assert.AreEqual((double)(float)((double)0.1f * 0.5), seen[1]);
        Assert.AreEqual(
            "\nEpoch 00001: LearningRateScheduler setting learning rate to 0.05000000074505806.\n" +
            "\nEpoch 00002: LearningRateScheduler setting learning rate to 0.02500000037252903.\n",
            sw.ToString().Replace("\r\n", "\n"));
        var logs = new Dictionary<string, double>();
        two.OnEpochEnd(1, logs);
        Assert.AreEqual((double)0.025f, logs["lr"]);

        var one = Attach(new LearningRateScheduler(ResNetCifarLr), model);
        one.OnEpochBegin(121, new());
        Assert.AreEqual((double)1e-5f, model.Optimizer!.LearningRate);
        Assert.ThrowsExactly<ArgumentException>(() => Attach(new LearningRateScheduler(_ => double.NaN), model).OnEpochBegin(0, new()));
    }

    private static double ResNetCifarLr(int epoch) => ResNetCifar.LrSchedule(epoch, TextWriter.Null);

    [TestMethod]
    public void EarlyStopping_PatienceZero_StopsAfterTheFirstEpoch_AsKeras26()
    {
        var model = Compiled();
        var sw = new StringWriter();
        var es = Attach(new EarlyStopping(monitor: "loss", patience: 0, verbose: 1, output: sw), model);
        es.OnEpochEnd(0, new() { ["loss"] = 1.0 });
        Assert.IsTrue(model.StopTraining, "2.6 tests patience right after an improvement");
        Assert.AreEqual(0, es.StoppedEpoch);
        es.OnTrainEnd(new());
        Assert.AreEqual("", sw.ToString(), "Keras prints the message only when stopped_epoch > 0");
    }

    [TestMethod]
    public void EarlyStopping_BaselineAndRestoreBestWeights()
    {
        var model = Compiled();
        var dense = model.Layers[1];
        void SetKernel(float v) => dense.Weights[0].Assign(ND.Full([2, 2], v));
        var sw = new StringWriter();
        var es = Attach(new EarlyStopping(monitor: "val_loss", patience: 2, baseline: 0.5, restoreBestWeights: true, verbose: 1, output: sw), model);
        SetKernel(1);
        es.OnEpochEnd(0, new() { ["val_loss"] = 0.8 });   // better than +inf, not than the baseline: wait stays 1
        Assert.IsFalse(model.StopTraining);
        SetKernel(2);
        es.OnEpochEnd(1, new() { ["val_loss"] = 0.9 });   // no improvement, wait 2 >= patience: stop, back to epoch 0's weights
        Assert.IsTrue(model.StopTraining);
        Assert.AreEqual(1, es.StoppedEpoch);
        Assert.AreEqual(1f, dense.Weights[0].Numpy().Float32Data[0]);
        es.OnTrainEnd(new());
        Assert.AreEqual("Restoring model weights from the end of the best epoch.\nEpoch 00002: early stopping\n", sw.ToString().Replace("\r\n", "\n"));

        var model2 = Compiled();
        var es2 = Attach(new EarlyStopping(monitor: "val_acc", minDelta: 0.1, patience: 2), model2);
        es2.OnEpochEnd(0, new() { ["val_accuracy"] = 0.5 });  // mode max via 'acc'; val_acc finds val_accuracy
        es2.OnEpochEnd(1, new() { ["val_accuracy"] = 0.55 }); // +0.05 < min_delta
        Assert.IsFalse(model2.StopTraining);
        es2.OnEpochEnd(2, new() { ["val_accuracy"] = 0.58 });
        Assert.IsTrue(model2.StopTraining);
        Assert.AreEqual(2, es2.StoppedEpoch);
    }

    [TestMethod]
    public void AccAlias_WorksBothWays_OnlyForAccuracyKeys()
    {
        var logs = new Dictionary<string, double> { ["acc"] = 0.1, ["val_accuracy"] = 0.2, ["val_loss"] = 0.3 };
        Assert.IsTrue(Callback.TryGetMonitor(logs, "accuracy", out var a));
        Assert.AreEqual(0.1, a);
        Assert.IsTrue(Callback.TryGetMonitor(logs, "val_acc", out var b));
        Assert.AreEqual(0.2, b);
        Assert.IsFalse(Callback.TryGetMonitor(logs, "loss", out _));
        Assert.IsFalse(Callback.TryGetMonitor(logs, "val_accuracy_2", out _));
    }

    [TestMethod]
    public void CsvLogger_LrAsNumPyFloat32_ValuesAsPythonFloats_Append()
    {
        var model = Compiled(1e-3);
        string path = Path.Combine(Path.GetTempPath(), $"csvlogger_{Guid.NewGuid():N}.csv");
        try
        {
            var cb = new CSVLogger(path);
            cb.SetModel(model);
            cb.OnTrainBegin(new());
            cb.OnEpochEnd(0, new() { ["loss"] = (double)0.5f, ["val_loss"] = (double)0.25f, ["lr"] = (double)1e-3f, ["accuracy"] = (double)0.1f });
            cb.OnTrainEnd(new());
            var again = new CSVLogger(path, separator: ";", append: true);
            again.SetModel(model);
            again.OnTrainBegin(new());
            again.OnEpochEnd(1, new() { ["loss"] = 0.375, ["val_loss"] = 0.125, ["lr"] = (double)1e-4f, ["accuracy"] = 1 });
            again.OnTrainEnd(new());
            Assert.AreEqual(
                "epoch,accuracy,loss,lr,val_loss\r\n0,0.10000000149011612,0.5,0.001,0.25\r\n1;1.0;0.375;1e-04;0.125\r\n",
                File.ReadAllText(path));
        }
        finally { File.Delete(path); }
    }
}
