using ResNetKeras.Engine;
using ResNetKeras.IO;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Keras;

[TestClass]
[DoNotParallelize]
public sealed class SavingTests
{
    private string dir = "";

    [TestInitialize]
    public void Setup()
    {
        Backend.ClearSession();
        Backend.SetRandomSeed(7);
        dir = Path.Combine(Path.GetTempPath(), $"saving_{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
    }

    [TestCleanup]
    public void Cleanup()
    {
        Npy.BeforeRename = null;
        Directory.Delete(dir, true);
    }

    private static Model Small(int classes = 4) => ResNetCifar.ResNetV1([32, 32, 3], 8, numClasses: classes);

    [TestMethod]
    public void SaveWeights_LoadWeights_ByOrderAndByName_SamePredictions()
    {
        var (x, _) = TrainingTests.Quadrants(6, 1);
        var a = Small();
        string path = Path.Combine(dir, "w.h5");
        a.SaveWeights(path);
        var expected = a.Predict(x);
        var b = Small();
        Assert.AreNotEqual(expected.Float32Data[0], b.Predict(x).Float32Data[0]);
        b.LoadWeights(path);
        CollectionAssert.AreEqual(expected.Float32Data, b.Predict(x).Float32Data);
        Backend.ClearSession();
        var c = Small();
        c.LoadWeights(path, byName: true);
        CollectionAssert.AreEqual(expected.Float32Data, c.Predict(x).Float32Data, "same auto names after ClearSession");
    }

    [TestMethod]
    public void LoadWeights_Mismatches_NameTheLayerAndShapes()
    {
        string path = Path.Combine(dir, "w.h5");
        Small().SaveWeights(path);
        var ex = Assert.ThrowsExactly<ArgumentException>(() => ResNetCifar.ResNetV1([32, 32, 3], 14, 4).LoadWeights(path));
        StringAssert.Contains(ex.Message, "Layer count mismatch");
        Backend.ClearSession();
        var other = Small(classes: 5);
        var ex2 = Assert.ThrowsExactly<ArgumentException>(() => other.LoadWeights(path));
        StringAssert.Contains(ex2.Message, "dense");
        StringAssert.Contains(ex2.Message, "(64, 5)");
        StringAssert.Contains(ex2.Message, "(64, 4)");
        Backend.ClearSession();
        var byName = Small(classes: 5);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => byName.LoadWeights(path, byName: true)).Message, "\"dense\"");
        byName.LoadWeights(path, byName: true, skipMismatch: true);
    }

    [TestMethod]
    public void LoadWeights_FromH5pyWrittenKerasFile()
    {
        Backend.ClearSession();
        var input = Layers.Input([5, 5, 2]);
        var x = new Conv2D(4, 3, name: "conv2d").Call(input);
        x = new BatchNormalization(name: "batch_normalization").Call(x);
        var model = new Model(input, new Activation("relu", name: "activation").Call(x));
        model.LoadWeights(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Hdf5", "keras_weights.h5"));
        var w = model.GetWeights();
        Assert.AreEqual(7.1f, w[0].Float32Data[71], 1e-6f);
        CollectionAssert.AreEqual(new float[] { 1, -2, 3, -4 }, w[1].Float32Data);
        CollectionAssert.AreEqual(new float[] { 3.5f, 3.5f, 3.5f, 3.5f }, w[5].Float32Data);
    }

    [TestMethod]
    public void Json_RoundTrip()
    {
        var a = Small();
        var json = a.ToJson();
        StringAssert.Contains(json, "\"class_name\":\"Functional\"");
        StringAssert.Contains(json, "[[[\"activation\",0,0,{}],[\"batch_normalization_2\",0,0,{}]]]");
        Backend.ClearSession();
        var b = Models.ModelFromJson(json);
        Assert.AreEqual(a.CountParams(), b.CountParams());
        Assert.AreEqual(json, b.ToJson());
        Assert.AreEqual(a.SummaryText(), b.SummaryText());
    }

    [TestMethod]
    public void Resume_TwoEpochsEqualsOnePlusSaveLoadPlusOne()
    {
        var (x, y) = TrainingTests.Quadrants(48, 2);
        Backend.ClearSession();
        Backend.SetRandomSeed(11);
        var full = Small();
        full.Compile(new Adam(), "categorical_crossentropy", ["accuracy"]);
        full.Fit(x, y, batchSize: 16, epochs: 2, verbose: 0, seed: 3);

        Backend.ClearSession();
        Backend.SetRandomSeed(11);
        var first = Small();
        first.Compile(new Adam(), "categorical_crossentropy", ["accuracy"]);
        first.Fit(x, y, batchSize: 16, epochs: 1, verbose: 0, seed: 3);
        string path = Path.Combine(dir, "m.h5");
        first.Save(path);
        Backend.ClearSession();
        var resumed = Models.LoadModel(path);
        Assert.AreEqual(3L, resumed.Optimizer!.Iterations);
        resumed.Fit(x, y, batchSize: 16, epochs: 2, initialEpoch: 1, verbose: 0, seed: 3);

        var expected = full.GetWeights();
        var got = resumed.GetWeights();
        Assert.AreEqual(expected.Count, got.Count);
        for (int i = 0; i < got.Count; i++) CollectionAssert.AreEqual(expected[i].Float32Data, got[i].Float32Data, $"weight {i}");
    }

    [TestMethod]
    public void ModelCheckpoint_SaveBestOnly_ModeAndMessages()
    {
        var model = Small();
        model.Compile(new Adam(), "categorical_crossentropy", ["accuracy"]);
        var output = new StringWriter();
        string template = Path.Combine(dir, "cp.{epoch:03d}-{val_acc:.2f}.h5");
        var cp = new ModelCheckpoint(template, monitor: "val_acc", verbose: 1, saveBestOnly: true, saveWeightsOnly: true, output: output);
        cp.SetModel(model);
        double[] seq = [0.5, 0.6, 0.55, 0.7];
        for (int e = 0; e < seq.Length; e++) cp.OnEpochEnd(e, new() { ["loss"] = 1, ["val_loss"] = 1, ["val_accuracy"] = seq[e] });
        var files = Directory.GetFiles(dir).Select(Path.GetFileName).OrderBy(f => f).ToArray();
        CollectionAssert.AreEqual(new[] { "cp.001-0.50.h5", "cp.002-0.60.h5", "cp.004-0.70.h5" }, files);
        var text = output.ToString();
        StringAssert.Contains(text, $"\nEpoch 00001: val_acc improved from -inf to 0.50000, saving model to {Path.Combine(dir, "cp.001-0.50.h5")}\n");
        StringAssert.Contains(text, "\nEpoch 00003: val_acc did not improve from 0.60000\n");

        var minMode = new ModelCheckpoint(Path.Combine(dir, "min.h5"), monitor: "val_loss", saveBestOnly: true, mode: "min", saveWeightsOnly: true, output: TextWriter.Null);
        minMode.SetModel(model);
        foreach (var (e, v) in new[] { (0, 1.0), (1, 1.2), (2, 0.9) }) minMode.OnEpochEnd(e, new() { ["val_loss"] = v });
        Assert.AreEqual(0.9, minMode.Best);
        var missing = new ModelCheckpoint(Path.Combine(dir, "x.h5"), monitor: "val_f1", saveBestOnly: true, output: output);
        missing.SetModel(model);
        missing.OnEpochEnd(0, new() { ["loss"] = 1 });
        StringAssert.Contains(output.ToString(), "Can save best model only with val_f1 available, skipping.");
        Assert.ThrowsExactly<KeyNotFoundException>(() => ModelCheckpoint.FormatPath("{val_f1:.2f}.h5", 0, new Dictionary<string, double>()));
    }

    [TestMethod]
    public void ModelCheckpoint_CrashBetweenWriteAndRename_KeepsPreviousCheckpoint()
    {
        var (x, _) = TrainingTests.Quadrants(4, 5);
        var model = Small();
        model.Compile(new Adam(), "categorical_crossentropy", ["accuracy"]);
        string path = Path.Combine(dir, "latest.h5");
        var cp = new ModelCheckpoint(path, output: TextWriter.Null);
        cp.SetModel(model);
        cp.OnEpochEnd(0, new() { ["val_loss"] = 1 });
        var saved = model.Predict(x);
        foreach (var w in model.TrainableWeights) w.Value.Device.Fill(w.Value.Storage, 0.01f);
        Npy.BeforeRename = p => throw new IOException("simulated crash before rename");
        Assert.ThrowsExactly<IOException>(() => cp.OnEpochEnd(1, new() { ["val_loss"] = 1 }));
        Npy.BeforeRename = null;
        Backend.ClearSession();
        var restored = Models.LoadModel(path);
        CollectionAssert.AreEqual(saved.Float32Data, restored.Predict(x).Float32Data);
        Assert.AreEqual(1, Directory.GetFiles(dir).Length, "no temporary file left");
    }
}
