using ResNetKeras.Engine;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Keras;

/// <summary>A newcomer's first programs beyond classification with softmax: they run and learn.</summary>
[TestClass]
[DoNotParallelize]
public sealed class FirstHourTests
{
    [TestInitialize]
    public void Reset() => Backend.ClearSession();

    [TestMethod]
    public void SigmoidBinaryClassifier_LearnsACircle()
    {
        Backend.SetRandomSeed(4);
        var rng = new RandomState(9);
        int n = 400;
        var x = ND.Zeros([n, 2]);
        var y = ND.Zeros([n, 1]);
        for (int i = 0; i < n; i++)
        {
            double a = rng.Uniform(-1, 1), b = rng.Uniform(-1, 1);
            x.SetDouble(a, i, 0);
            x.SetDouble(b, i, 1);
            y.SetDouble(a * a + b * b < 0.5 ? 1 : 0, i, 0);
        }
        var model = new Sequential([new InputLayer(shape: [2]), new Dense(16, activation: "tanh"), new Dense(1, activation: "sigmoid")]);
        model.Compile(optimizer: new Adam(learningRate: 0.02), loss: "binary_crossentropy", metrics: ["accuracy"]);
        var h = model.Fit(x, y, batchSize: 32, epochs: 30, verbose: 0, seed: 1).HistoryData;
        Assert.IsTrue(h["loss"][^1] < 0.5 * h["loss"][0], $"loss {h["loss"][0]} -> {h["loss"][^1]}");
        Assert.IsTrue(h["accuracy"][^1] > 0.9, $"accuracy {h["accuracy"][^1]} (the majority class is ~39%)");
    }

    [TestMethod]
    public void IssueSnippet_GeluSigmoidClassifier_WithAdamWAndAuc()
    {
        Backend.SetRandomSeed(7);
        var (x, y) = Circle(400, 11);
        // The issue's lines, verbatim.
        var bin = new Sequential([new InputLayer(shape: [2]), new Dense(8, activation: "gelu"), new Dense(1, activation: "sigmoid")]);
        bin.Compile(optimizer: new AdamW(learningRate: 1e-2, weightDecay: 1e-4), loss: "binary_crossentropy", metrics: ["accuracy", new AUC()]);
        var h = bin.Fit(x, y, batchSize: 32, epochs: 30, verbose: 0, seed: 1).HistoryData;
        Assert.IsTrue(h["auc"][^1] > 0.9, $"auc {h["auc"][^1]}");
        Assert.IsTrue(h["accuracy"][^1] > 0.85, $"accuracy {h["accuracy"][^1]}");
    }

    private static (NDArray X, NDArray Y) Circle(int n, uint seed)
    {
        var rng = new RandomState(seed);
        var x = ND.Zeros([n, 2]);
        var y = ND.Zeros([n, 1]);
        for (int i = 0; i < n; i++)
        {
            double a = rng.Uniform(-1, 1), b = rng.Uniform(-1, 1);
            x.SetDouble(a, i, 0);
            x.SetDouble(b, i, 1);
            y.SetDouble(a * a + b * b < 0.5 ? 1 : 0, i, 0);
        }
        return (x, y);
    }

    [TestMethod]
    public void Regression_WithMse_FitsALinearTarget()
    {
        Backend.SetRandomSeed(6);
        var rng = new RandomState(2);
        int n = 256;
        var x = ND.Zeros([n, 3]);
        var y = ND.Zeros([n, 1]);
        for (int i = 0; i < n; i++)
        {
            double s = 0.5;
            for (int j = 0; j < 3; j++)
            {
                double v = rng.Uniform(-1, 1);
                x.SetDouble(v, i, j);
                s += (j + 1) * v;
            }
            y.SetDouble(s, i, 0);
        }
        var model = new Sequential([new InputLayer(shape: [3]), new Dense(8, activation: "relu"), new Dense(1)]);
        model.Compile(optimizer: "adam", loss: "mse", metrics: ["mae"]);
        var h = model.Fit(x, y, batchSize: 16, epochs: 40, verbose: 0, seed: 2).HistoryData;
        Assert.IsTrue(h["loss"][^1] < 0.05 * h["loss"][0], $"mse {h["loss"][0]} -> {h["loss"][^1]}");
        Assert.IsTrue(h.ContainsKey("mae") && h["mae"][^1] < h["mae"][0], "the mae metric is logged under its name and falls");
        var scores = model.Evaluate(x, y, verbose: 0);
        Assert.AreEqual(h["loss"][^1], scores[0], 0.5 * h["loss"][^1], "evaluate's mse is of the same size as the last epoch's");
    }
}
