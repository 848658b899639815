using ResNetKeras.Engine;
using ResNetKeras.IO;
using ResNetKeras.IO.Hdf5;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Examples;

/// <summary>KerasCompare's model-file verbs (predict --model-file, convert), --help and ImageDataGenerator configs.</summary>
[TestClass]
[DoNotParallelize]
public sealed class KerasCompareFileTests
{
    private static readonly string Fx = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Keras3");
    private string dir = "";

    [TestInitialize]
    public void Setup()
    {
        dir = Path.Combine(Path.GetTempPath(), $"kerascompare_files_{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
    }

    [TestCleanup]
    public void Cleanup() => Directory.Delete(dir, true);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var (o, e) = (Console.Out, Console.Error);
        var (so, se) = (new StringWriter(), new StringWriter());
        Console.SetOut(so);
        Console.SetError(se);
        try { return (KerasCompare.Program.Main(args), so.ToString(), se.ToString()); }
        finally { Console.SetOut(o); Console.SetError(e); }
    }

    private static void AssertClose(string expected, string got, double tol)
    {
        var e = Npy.Load(expected).Float32Data;
        var g = Npy.Load(got).Float32Data;
        Assert.AreEqual(e.Length, g.Length);
        for (int i = 0; i < e.Length; i++) Assert.AreEqual(e[i], g[i], tol, $"element {i}");
    }

    [TestMethod]
    public void PredictModelFile_KerasArchive_AndSeparateWeights_MatchNumPy()
    {
        string y = Path.Combine(dir, "y.npy");
        var (code, _, err) = Run("predict", "--model-file", Path.Combine(Fx, "seq_bn.keras"), "--input", Path.Combine(Fx, "x8.npy"), "--output", y);
        Assert.AreEqual(0, code, err);
        AssertClose(Path.Combine(Fx, "seq_bn_y.npy"), y, 1e-5);
        (code, _, err) = Run("predict", "--model-file", Path.Combine(Fx, "func_add.keras"), "--weights", Path.Combine(Fx, "func_add.weights.h5"),
            "--input", Path.Combine(Fx, "x6.npy"), "--output", y);
        Assert.AreEqual(0, code, err);
        AssertClose(Path.Combine(Fx, "func_add_w_y.npy"), y, 1e-5);
        (code, _, err) = Run("predict", "--model-file", Path.Combine(Fx, "func_add.keras"), "--model", "resnet_v1", "--input", "x", "--output", y);
        Assert.AreEqual(1, code);
        StringAssert.Contains(err, "either --model");
    }

    [TestMethod]
    public void Convert_BetweenKerasH5AndWeightsH5_KeepsPredictions()
    {
        string x = Path.Combine(Fx, "x8.npy"), expected = Path.Combine(Fx, "seq_bn_y.npy");
        string h5 = Path.Combine(dir, "m.h5"), keras = Path.Combine(dir, "m.keras"), weights = Path.Combine(dir, "m.weights.h5"), y = Path.Combine(dir, "y.npy");
        Assert.AreEqual(0, Run("convert", "--input", Path.Combine(Fx, "seq_bn.keras"), "--output", h5).Code);
        Assert.IsTrue(H5File.Open(h5).Root.Attributes.ContainsKey("model_config"));
        Assert.AreEqual(0, Run("convert", "--input", h5, "--output", keras).Code);
        Assert.IsTrue(KerasArchive.IsZip(keras));
        Assert.AreEqual(0, Run("convert", "--input", keras, "--output", weights).Code);
        Assert.IsTrue(H5File.Open(weights).Root.Contains("layers/batch_normalization/vars/3"));
        foreach (var (model, w) in new[] { (h5, (string?)null), (keras, null), (keras, weights) })
        {
            var args = new List<string> { "predict", "--model-file", model, "--input", x, "--output", y };
            if (w is not null) args.AddRange(["--weights", w]);
            var (code, _, err) = Run(args.ToArray());
            Assert.AreEqual(0, code, err);
            AssertClose(expected, y, 1e-5);
        }
        // The optimizer state survives .keras -> .h5 -> .keras.
        Backend.ClearSession();
        Assert.AreEqual(7L, Models.LoadModel(keras).Optimizer!.Iterations);
        var (bad, _, badErr) = Run("convert", "--input", weights, "--output", Path.Combine(dir, "x.keras"));
        Assert.AreEqual(1, bad);
        StringAssert.Contains(badErr, "Keras 3 weights file");
        (bad, _, badErr) = Run("convert", "--input", keras, "--output", Path.Combine(dir, "x.pb"));
        Assert.AreEqual(1, bad);
        StringAssert.Contains(badErr, "Invalid filepath extension for saving");
    }

    [TestMethod]
    public void Help_ForToolAndEachVerb()
    {
        var (code, output, _) = Run("--help");
        Assert.AreEqual(0, code);
        foreach (var verb in new[] { "summary", "predict", "convert", "augment", "standardize" }) StringAssert.Contains(output, $"KerasCompare {verb} ");
        (code, output, _) = Run("convert", "--help");
        Assert.AreEqual(0, code);
        StringAssert.StartsWith(output, "KerasCompare convert --input IN --output OUT");
        Assert.IsFalse(output.Contains("KerasCompare predict"));
        (code, output, _) = Run("predict", "--help");
        StringAssert.Contains(output, "--model-file M.keras|M.h5 [--weights W]");
        var (bad, _, err) = Run("frobnicate", "--help");
        Assert.AreEqual(1, bad);
        StringAssert.Contains(err, "unknown command 'frobnicate'");
    }

    [TestMethod]
    public void GeneratorConfig_AcceptsNullPreprocessingFunction_RefusesAFunction()
    {
        var img = NDArray.Zeros([1, 4, 4, 3]);
        for (int i = 0; i < img.Size; i++) img.SetFlat(i, i % 7);
        string input = Path.Combine(dir, "x.npy"), output = Path.Combine(dir, "y.npy"), c = Path.Combine(dir, "c.json");
        Npy.Save(input, img);
        File.WriteAllText(c, "{\"featurewise_center\": true, \"preprocessing_function\": null}");
        var (code, _, err) = Run("standardize", "--config", c, "--fit", input, "--input", input, "--output", output);
        Assert.AreEqual(0, code, err);
        var y = Npy.Load(output);
        // featurewise_center subtracts the per-channel mean over images, rows and columns.
        double channelMean = Enumerable.Range(0, img.Size).Where(i => i % 3 == 5 % 3).Average(i => img.GetFlat(i));
        Assert.AreEqual(img.GetFlat(5) - channelMean, y.GetFlat(5), 1e-5);
        File.WriteAllText(c, "{\"preprocessing_function\": \"preprocess_input\"}");
        (code, _, err) = Run("standardize", "--config", c, "--fit", input, "--input", input, "--output", output);
        Assert.AreEqual(1, code);
        StringAssert.Contains(err, "preprocessing_function must be null");
        StringAssert.Contains(err, "\"preprocess_input\"");
    }
}
