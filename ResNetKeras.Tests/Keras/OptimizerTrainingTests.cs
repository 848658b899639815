using ResNetKeras.Engine;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Keras;

/// <summary>
/// Each optimizer trains a small model (loss falls), and its state survives <c>Save</c>/<c>LoadModel</c> in both the
/// tf.keras HDF5 file and Keras 3's <c>.keras</c> archive:
/// training on after a load is bit-identical to training on without it.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class OptimizerTrainingTests
{
    private string dir = "";

    [TestInitialize]
    public void Setup()
    {
        Backend.ClearSession();
        dir = Path.Combine(Path.GetTempPath(), $"opt_{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
    }

    [TestCleanup]
    public void Cleanup() => Directory.Delete(dir, true);

    /// <summary>3 classes by which of the first three features is largest, with a fourth feature of noise.</summary>
    private static (NDArray X, NDArray Y) Data(int n = 96)
    {
        var rng = new RandomState(17);
        var x = new float[n * 4];
        var y = new float[n * 3];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < 4; j++) x[i * 4 + j] = (float)rng.Uniform(-1, 1);
            int cls = x[i * 4] > x[i * 4 + 1] ? (x[i * 4] > x[i * 4 + 2] ? 0 : 2) : (x[i * 4 + 1] > x[i * 4 + 2] ? 1 : 2);
            y[i * 3 + cls] = 1;
        }
        return (ND.Of(x, n, 4), ND.Of(y, n, 3));
    }

    private static Model Small()
    {
        Backend.SetRandomSeed(5);
        var input = Layers.Input(shape: [4]);
        var h = new Dense(16, activation: "relu").Call(input);
        var output = new Dense(3, activation: "softmax").Call(h);
        return new Model(input, output);
    }

    /// <summary>Each optimizer with options that give it more state to restore (momentum, centering, EMA, a schedule, weight decay, clipping).</summary>
    private static Optimizer Make(string kind) => kind switch
    {
        "rmsprop" => new RMSprop(0.01, momentum: 0.5, centered: true, clipnorm: 1.0),
        "adagrad" => new Adagrad(0.1, weightDecay: 0.01),
        "adadelta" => new Adadelta(1.0, globalClipnorm: 5.0),
        "adamax" => new Adamax(0.02, clipvalue: 0.5),
        "nadam" => new Nadam(0.01, useEma: true, emaMomentum: 0.9),
        "adamw" => new AdamW(new CosineDecay(0.02, 100, alpha: 0.1), weightDecay: 0.01, amsgrad: true),
        "lion" => new Lion(new ExponentialDecay(0.01, 20, 0.9), weightDecay: 0.1),
        "sgd" => new SGD(new PiecewiseConstantDecay([10], [0.2, 0.1]), momentum: 0.9, nesterov: true),
        _ => throw new ArgumentException(kind),
    };

    private static readonly string[] Kinds = ["rmsprop", "adagrad", "adadelta", "adamax", "nadam", "adamw", "lion", "sgd"];

    [TestMethod]
    public void EachOptimizer_TrainsASmallModel()
    {
        var (x, y) = Data();
        var failures = new List<string>();
        foreach (var kind in Kinds)
        {
            Backend.ClearSession();
            var model = Small();
            model.Compile(Make(kind), "categorical_crossentropy", ["accuracy"]);
            var loss = model.Fit(x, y, batchSize: 16, epochs: 10, verbose: 0, seed: 3).HistoryData["loss"];
            if (!(loss[^1] < 0.9 * loss[0])) failures.Add($"{kind}: loss per epoch {string.Join(", ", loss.Select(l => l.ToString("F4")))}");
        }
        if (failures.Count > 0) Assert.Fail(string.Join("\n", failures));
    }

    [TestMethod]
    [DataRow(".h5")]
    [DataRow(".keras")]
    public void EachOptimizer_SaveLoad_ResumesBitIdentically(string extension)
    {
        var (x, y) = Data();
        foreach (var kind in Kinds)
        {
            Backend.ClearSession();
            var model = Small();
            model.Compile(Make(kind), "categorical_crossentropy", ["accuracy"]);
            model.Fit(x, y, batchSize: 16, epochs: 2, verbose: 0, seed: 3);
            string path = Path.Combine(dir, kind + extension);
            model.Save(path);
            var loaded = Models.LoadModel(path);
            var a = model.Optimizer!;
            var b = loaded.Optimizer!;
            Assert.AreEqual(a.GetType(), b.GetType(), kind);
            Assert.AreEqual(12L, b.Iterations, kind);
            Assert.AreEqual(System.Text.Json.JsonSerializer.Serialize(a.GetConfig()), System.Text.Json.JsonSerializer.Serialize(b.GetConfig()), kind);
            CollectionAssert.AreEqual(a.SlotVariables.Select(v => v.Name).ToArray(), b.SlotVariables.Select(v => v.Name).ToArray(), kind);

            model.Fit(x, y, batchSize: 16, epochs: 2, verbose: 0, seed: 4);
            loaded.Fit(x, y, batchSize: 16, epochs: 2, verbose: 0, seed: 4);
            var expected = model.GetWeights();
            var got = loaded.GetWeights();
            for (int i = 0; i < got.Count; i++) CollectionAssert.AreEqual(expected[i].Float32Data, got[i].Float32Data, $"{kind}: weight {i}");
            for (int i = 0; i < a.SlotVariables.Count; i++)
                CollectionAssert.AreEqual(a.SlotVariables[i].Numpy().Float32Data, b.SlotVariables[i].Numpy().Float32Data, $"{kind}: {a.SlotVariables[i].Name}");
        }
    }

    [TestMethod]
    public void Fit_WithEma_EndsWithTheAverages_AsKeras3Does()
    {
        var (x, y) = Data();
        var model = Small();
        var opt = new SGD(0.1, useEma: true, emaMomentum: 0.9);
        model.Compile(opt, "categorical_crossentropy");
        model.Fit(x, y, batchSize: 16, epochs: 1, verbose: 0, seed: 3);
        var weights = model.GetWeights();
        Assert.AreEqual(weights.Count, opt.SlotVariables.Count);
        for (int i = 0; i < weights.Count; i++)
        {
            Assert.AreEqual($"SGD/{model.TrainableWeights[i].Name[..^2]}/average:0", opt.SlotVariables[i].Name);
            CollectionAssert.AreEqual(opt.SlotVariables[i].Numpy().Float32Data, weights[i].Float32Data, opt.SlotVariables[i].Name);
        }
    }
}
