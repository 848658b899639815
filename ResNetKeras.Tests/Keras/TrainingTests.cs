using ResNetKeras.Engine;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Keras;

[TestClass]
[DoNotParallelize]
public sealed class TrainingTests
{
    /// <summary>4 classes: a bright square in one of the four quadrants of a noisy 32x32x3 image.</summary>
    internal static (NDArray X, NDArray Y) Quadrants(int n, uint seed)
    {
        var rng = new RandomState(seed);
        var x = ND.Zeros([n, 32, 32, 3]);
        var y = ND.Zeros([n, 4]);
        var xd = x.WriteSpan<float>();
        for (int i = 0; i < n; i++)
        {
            int cls = i % 4;
            int r0 = cls / 2 * 16 + 4, c0 = cls % 2 * 16 + 4;
            for (int p = 0; p < 32 * 32 * 3; p++) xd[i * 3072 + p] = (float)rng.Uniform(0, 0.3);
            for (int r = r0; r < r0 + 8; r++)
                for (int c = c0; c < c0 + 8; c++)
                    for (int k = 0; k < 3; k++) xd[i * 3072 + (r * 32 + c) * 3 + k] += 0.7f;
            y.SetDouble(1, i, cls);
        }
        return (x, y);
    }

    [TestInitialize]
    public void Reset()
    {
        Backend.ClearSession();
        Backend.SetRandomSeed(1);
    }

    [TestMethod]
    public void ResNet8v1_LearnsSyntheticProblem()
    {
        var (x, y) = Quadrants(128, 3);
        var model = ResNetCifar.ResNetV1([32, 32, 3], 8, numClasses: 4);
        model.Compile(new Adam(1e-3), "categorical_crossentropy", ["accuracy"]);
        var history = model.Fit(x, y, batchSize: 32, epochs: 6, verbose: 0, seed: 5);
        var acc = history.HistoryData["accuracy"];
        Assert.IsTrue(acc[^1] > 0.95, $"training accuracy per epoch: {string.Join(", ", acc)}");
        var eval = model.Evaluate(x, y, verbose: 0);
        Assert.AreEqual(2, eval.Length);
        var pred = model.Predict(x.Slice(0, 8));
        CollectionAssert.AreEqual(new[] { 8, 4 }, pred.IntShape);
        for (int i = 0; i < 8; i++) Assert.AreEqual(1.0, pred[i].Sum().Item(), 1e-5);
    }
}
