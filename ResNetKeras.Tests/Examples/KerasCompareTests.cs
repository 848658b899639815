using ResNetKeras.Engine;
using ResNetKeras.IO;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Examples;

[TestClass]
[DoNotParallelize]
public sealed class KerasCompareTests
{
    private string dir = "";

    [TestInitialize]
    public void Setup()
    {
        dir = Path.Combine(Path.GetTempPath(), $"kerascompare_{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
    }

    [TestCleanup]
    public void Cleanup() => Directory.Delete(dir, true);

    private static (int Code, string Out, string Err) Run(params string[] args) => KerasCompareRunner.Run(args);

    [TestMethod]
    public void Summary_PrintsKerasTotals()
    {
        var (code, output, _) = Run("summary", "--model", "resnet_v2", "--depth", "20");
        Assert.AreEqual(0, code);
        StringAssert.Contains(output, "Total params: 574,090\nTrainable params: 570,602\nNon-trainable params: 3,488\n");
    }

    [TestMethod]
    public void Devices_ListsCpuFirst_AndPredictOnSimEqualsCpu()
    {
        var (code, output, _) = Run("devices");
        Assert.AreEqual(0, code);
        CollectionAssert.AreEqual(new[] { "cpu", "sim" }, output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Backend.ClearSession();
        Backend.SetRandomSeed(4);
        var model = ResNetCifar.ResNetV2([32, 32, 3], 11);
        string weights = Path.Combine(dir, "w2.h5"), input = Path.Combine(dir, "x2.npy");
        model.SaveWeights(weights);
        var x = ND.Zeros([3, 32, 32, 3]);
        var rng = new RandomState(2);
        for (int i = 0; i < x.Size; i++) x.SetFlat(i, rng.Uniform(-1, 1));
        Npy.Save(input, x);
        float[] Predict(string device)
        {
            string output = Path.Combine(dir, $"y_{device}.npy");
            var (c, _, err) = Run("predict", "--model", "resnet_v2", "--depth", "11", "--weights", weights, "--input", input, "--output", output, "--device", device);
            Assert.AreEqual(0, c, err);
            return Npy.Load(output).Float32Data;
        }
        var cpu = Predict("cpu");
        var sim = Predict("sim");
        for (int i = 0; i < cpu.Length; i++) Assert.AreEqual(cpu[i], sim[i], 1e-5f, $"output {i}");
        var (bad, _, badErr) = Run("predict", "--device", "tpu", "--model", "resnet_v2", "--depth", "11", "--weights", weights, "--input", input, "--output", input);
        Assert.AreEqual(1, bad);
        Assert.AreEqual("error: Unknown device 'tpu'. Available devices: cpu, sim. (Parameter 'name')", badErr.Trim());
    }

    [TestMethod]
    public void Predict_WithSavedWeights_EqualsInProcessPredictions()
    {
        Backend.ClearSession();
        Backend.SetRandomSeed(3);
        var model = ResNetCifar.ResNetV1([32, 32, 3], 8);
        string weights = Path.Combine(dir, "w.h5"), input = Path.Combine(dir, "x.npy"), output = Path.Combine(dir, "y.npy");
        model.SaveWeights(weights);
        var x = ND.Zeros([3, 32, 32, 3]);
        var rng = new RandomState(1);
        for (int i = 0; i < x.Size; i++) x.SetFlat(i, rng.Uniform(-1, 1));
        Npy.Save(input, x);
        var (code, _, err) = Run("predict", "--model", "resnet_v1", "--depth", "8", "--weights", weights, "--input", input, "--output", output);
        Assert.AreEqual(0, code, err);
        CollectionAssert.AreEqual(model.Predict(x).Float32Data, Npy.Load(output).Float32Data);
        var (bad, _, badErr) = Run("predict", "--model", "resnet_v1", "--depth", "20", "--weights", weights, "--input", input, "--output", output);
        Assert.AreEqual(1, bad);
        StringAssert.StartsWith(badErr, "error: Layer count mismatch");
        Assert.AreEqual(1, badErr.Trim().Split('\n').Length, "one line");
    }

    [TestMethod]
    public void Augment_EqualsKerasPreprocessingFixture()
    {
        string fx = Path.Combine(AppContext.BaseDirectory, "Fixtures", "ImageDataGenerator");
        var img = Npy.Load(Path.Combine(fx, "img_a.npy"));
        string input = Path.Combine(dir, "x.npy"), output = Path.Combine(dir, "y.npy");
        Npy.Save(input, img.Reshape([1, .. img.IntShape]));
        File.WriteAllText(Path.Combine(dir, "c.json"), "{\"fill_mode\": \"reflect\", \"semantics\": \"keras_preprocessing\"}");
        File.WriteAllText(Path.Combine(dir, "p.json"), "[{\"theta\": -33.0, \"tx\": 0.7, \"ty\": 1.1, \"shear\": 5.0, \"zx\": 1.1, \"zy\": 0.9}]");
        var (code, _, err) = Run("augment", "--config", Path.Combine(dir, "c.json"), "--params", Path.Combine(dir, "p.json"), "--input", input, "--output", output);
        Assert.AreEqual(0, code, err);
        var expected = Npy.Load(Path.Combine(fx, "out_combo.npy")).Float32Data;
        var got = Npy.Load(output).Float32Data;
        for (int i = 0; i < expected.Length; i++) Assert.AreEqual(expected[i], got[i], 1e-3);
        var (bad, _, badErr) = Run("augment", "--config", Path.Combine(dir, "missing.json"), "--params", "p", "--input", input, "--output", output);
        Assert.AreEqual(1, bad);
        StringAssert.StartsWith(badErr, "error: ");
    }
}
