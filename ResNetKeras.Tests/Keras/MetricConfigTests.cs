using ResNetKeras.Engine;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Keras;

/// <summary>Metric objects given to Compile survive a save and a load with compile: their configs round-trip.</summary>
[TestClass]
[DoNotParallelize]
public sealed class MetricConfigTests
{
    [TestInitialize]
    public void Reset() => Backend.ClearSession();

    [TestMethod]
    public void ConfusionAndIoUMetrics_RoundTripTheirConfigs()
    {
        Metric[] metrics = [new AUC(numThresholds: 50, curve: "PR", name: "pr_auc"), new Precision(thresholds: [0.3f, 0.7f]), new Recall(), new MeanIoU(numClasses: 3, sparseYPred: false)];
        foreach (var m in metrics)
        {
            var d = Metrics.Serialize(m);
            var back = Metrics.Deserialize((string)d["class_name"]!, (Dictionary<string, object?>)d["config"]!);
            Assert.AreEqual(m.GetType(), back.GetType());
            CollectionAssert.AreEqual(m.GetConfig().Select(kv => $"{kv.Key}={Fmt(kv.Value)}").ToArray(), back.GetConfig().Select(kv => $"{kv.Key}={Fmt(kv.Value)}").ToArray(), m.Name);
        }
        var bad = Assert.ThrowsExactly<ArgumentException>(() => Metrics.Deserialize("AUC", new Dictionary<string, object?> { ["multi_label"] = true }));
        StringAssert.Contains(bad.Message, "multi_label");
        var unknown = Assert.ThrowsExactly<ArgumentException>(() => Metrics.Deserialize("NoSuchMetric", new Dictionary<string, object?>()));
        StringAssert.Contains(unknown.Message, "Known classes:");
    }

    private static string Fmt(object? v) => v is System.Collections.IEnumerable e and not string ? string.Join(",", e.Cast<object>()) : v?.ToString() ?? "None";

    [TestMethod]
    public void IssueSnippetClassifier_WithAuc_SavesAndLoadsCompiled_BothFormats()
    {
        Backend.SetRandomSeed(7);
        var x = ND.Of(Enumerable.Range(0, 64).Select(i => (float)Math.Sin(0.37 * i)).ToArray(), 32, 2);
        var y = ND.Of(Enumerable.Range(0, 32).Select(i => x.GetDouble(i, 0) * x.GetDouble(i, 1) > 0 ? 1f : 0f).ToArray(), 32, 1);
        var bin = new Sequential([new InputLayer(shape: [2]), new Dense(8, activation: "gelu"), new Dense(1, activation: "sigmoid")]);
        bin.Compile(optimizer: new AdamW(learningRate: 1e-2, weightDecay: 1e-4), loss: "binary_crossentropy",
            metrics: ["accuracy", new AUC(), new Precision(thresholds: [0.4f]), new Recall()]);
        bin.Fit(x, y, batchSize: 8, epochs: 2, verbose: 0);
        var expected = bin.Evaluate(x, y, verbose: 0);
        foreach (var ext in new[] { ".h5", ".keras" })
        {
            string path = Path.Combine(Path.GetTempPath(), $"rk_metric_cfg_{Guid.NewGuid():N}{ext}");
            try
            {
                bin.Save(path);
                var loaded = Models.LoadModel(path);
                CollectionAssert.AreEqual(bin.MetricsNames.ToArray(), loaded.MetricsNames.ToArray(), ext);
                var got = loaded.Evaluate(x, y, verbose: 0);
                for (int k = 0; k < got.Length; k++) Assert.AreEqual(expected[k], got[k], 1e-6, $"{ext} {bin.MetricsNames[k]}");
            }
            finally { File.Delete(path); }
        }
    }
}
