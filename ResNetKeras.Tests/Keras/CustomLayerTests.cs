using ResNetKeras.Engine;
using ResNetKeras.Keras;
using ResNetKeras.Ops;

namespace ResNetKeras.Tests.Keras;

/// <summary>A user's dense layer with a scale: weights built in Build, computed with ops, its arguments in GetConfig.</summary>
[RegisterKerasSerializable(package: "Tests")]
public sealed class ScaledDense : Layer
{
    private Variable? kernel;

    public ScaledDense(int units, double scale = 1.0, string? name = null) : base(name)
    {
        Units = units;
        Scale = scale;
    }

    public int Units { get; }
    public double Scale { get; }

    protected override void Build(int[][] inputShapes) => kernel = AddWeight("kernel", [inputShapes[0][^1], Units], "glorot_uniform");

    protected override int[] ComputeOutputShape(int[][] inputShapes) => [inputShapes[0][0], Units];

    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training) => Op.Scale(Op.MatMul(inputs[0], kernel!.Value), (float)Scale);

    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["units"] = Units;
        c["scale"] = Scale;
        return c;
    }
}

/// <summary>The same layer without registration: loading needs customObjects.</summary>
public sealed class UnregisteredScale : Layer
{
    public UnregisteredScale(double factor, string? name = null) : base(name) => Factor = factor;

    public double Factor { get; }

    protected override int[] ComputeOutputShape(int[][] inputShapes) => inputShapes[0];

    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training) => Op.Scale(inputs[0], (float)Factor);

    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["factor"] = Factor;
        return c;
    }
}

/// <summary>issue 17 item 8: a custom layer trains, saves in both formats and loads back.</summary>
[TestClass]
[DoNotParallelize]
public sealed class CustomLayerTests
{
    private string dir = "";

    [TestInitialize]
    public void Setup()
    {
        Backend.ClearSession();
        dir = Path.Combine(Path.GetTempPath(), $"custom_{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
    }

    [TestCleanup]
    public void Cleanup() => Directory.Delete(dir, true);

    private static Model Build()
    {
        Backend.SetRandomSeed(3);
        var input = Layers.Input([4]);
        var h = new ScaledDense(6, scale: 0.5).Call(input);
        h = new UnregisteredScale(2.0).Call(new Activation("tanh").Call(h));
        var output = new Dense(3, activation: "softmax").Call(h);
        var model = new Model(input, output);
        model.Compile(new Adam(learningRate: 0.02), "categorical_crossentropy", ["accuracy"]);
        return model;
    }

    [TestMethod]
    public void CustomLayer_Trains_SavesInBothFormats_AndLoads()
    {
        var model = Build();
        var rng = new RandomState(5);
        var x = ND.Zeros([60, 4]);
        var y = ND.Zeros([60, 3]);
        for (int i = 0; i < 60; i++)
        {
            int k = i % 3;
            y.SetDouble(1, i, k);
            for (int j = 0; j < 4; j++) x.SetDouble(rng.Uniform(-0.3, 0.3) + (j == k ? 1 : 0), i, j);
        }
        var h = model.Fit(x, y, batchSize: 10, epochs: 15, verbose: 0, seed: 1).HistoryData;
        Assert.IsTrue(h["loss"][^1] < 0.5 * h["loss"][0], $"loss {h["loss"][0]} -> {h["loss"][^1]}");
        var expected = model.Predict(x).Float32Data;
        var objects = new Dictionary<string, Type> { ["UnregisteredScale"] = typeof(UnregisteredScale) };
        foreach (var file in new[] { "m.h5", "m.keras" })
        {
            string path = Path.Combine(dir, file);
            model.Save(path);
            Backend.ClearSession();
            // ScaledDense is found through its registration, UnregisteredScale through customObjects.
            var loaded = Models.LoadModel(path, customObjects: objects);
            CollectionAssert.AreEqual(expected, loaded.Predict(x).Float32Data, file);
            var layer = loaded.Layers.OfType<ScaledDense>().Single();
            Assert.AreEqual(0.5, layer.Scale);
            Assert.AreEqual(2.0, loaded.Layers.OfType<UnregisteredScale>().Single().Factor);
            // The optimizer state came back too: training resumes.
            loaded.Fit(x, y, batchSize: 10, epochs: 1, verbose: 0, seed: 2);
        }
    }

    [TestMethod]
    public void UnregisteredLayer_IsAClearErrorNamingItAndHowToRegister()
    {
        string path = Path.Combine(dir, "m.h5");
        Build().Save(path);
        var e = Assert.ThrowsExactly<InvalidDataException>(() => Models.LoadModel(path));
        StringAssert.Contains(e.Message, "unknown layer class 'UnregisteredScale'");
        StringAssert.Contains(e.Message, "[RegisterKerasSerializable]");
        StringAssert.Contains(e.Message, "customObjects");
        var bad = Assert.ThrowsExactly<ArgumentException>(() => Models.LoadModel(path, customObjects: new Dictionary<string, Type> { ["UnregisteredScale"] = typeof(string) }));
        StringAssert.Contains(bad.Message, "expected a non-abstract subclass of Layer");
    }
}
