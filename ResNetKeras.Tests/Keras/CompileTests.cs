using ResNetKeras.Engine;
using ResNetKeras.Keras;
using ResNetKeras.Ops;

namespace ResNetKeras.Tests.Keras;

/// <summary>
/// Compile with loss and metric objects and identifiers: each metric logs its own value, "accuracy" resolves by shapes,
/// a user's Loss and Metric classes train and log, the compile configuration survives a model file.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class CompileTests
{
    [TestInitialize]
    public void Reset()
    {
        Backend.ClearSession();
        Backend.SetRandomSeed(3);
    }

    private static (NDArray X, NDArray Y, NDArray Labels) Data(int n, int classes, uint seed)
    {
        var rng = new RandomState(seed);
        var x = ND.Zeros([n, 6]);
        var labels = ND.Zeros([n]);
        for (int i = 0; i < x.Size; i++) x.SetFlat(i, rng.Uniform(-1, 1));
        for (int i = 0; i < n; i++) labels.SetFlat(i, i % classes);
        return (x, ResNetKeras.Keras.Utils.ToCategorical(labels, classes), labels);
    }

    private static Model Net(int classes, string activation = "softmax")
    {
        var input = Layers.Input([6]);
        var h = new Dense(8, activation: "tanh").Call(input);
        return new Model(input, new Dense(classes, activation: activation).Call(h));
    }

    // Independent count of argmax and top-k hits from the predictions (first index wins ties, as argmax).
    private static (double Top1, double TopK) Hits(NDArray predictions, NDArray labels, int classes, int k)
    {
        var p = predictions.Float32Data;
        int n = labels.Size, top1 = 0, topk = 0;
        for (int i = 0; i < n; i++)
        {
            int label = (int)labels.GetFlat(i);
            var row = Enumerable.Range(0, classes).Select(j => p[i * classes + j]).ToArray();
            if (Array.IndexOf(row, row.Max()) == label) top1++;
            if (row.Count(v => v > row[label]) < k) topk++;
        }
        return ((float)top1 / n, (float)topk / n);
    }

    [TestMethod]
    public void TwoMetrics_LogTwoDifferentValues()
    {
        var (x, y, labels) = Data(40, 10, 1);
        var model = Net(10);
        model.Compile("adam", "categorical_crossentropy", metrics: ["accuracy", "top_k_categorical_accuracy"]);
        CollectionAssert.AreEqual(new[] { "loss", "accuracy", "top_k_categorical_accuracy" }, model.MetricsNames.ToArray());
        var scores = model.Evaluate(x, y, batchSize: 40, verbose: 0);
        var (top1, top5) = Hits(model.Predict(x), labels, 10, 5);
        Assert.AreEqual(top1, scores[1], "accuracy: argmax hits / N");
        Assert.AreEqual(top5, scores[2], "top-5 hits / N");
        Assert.AreNotEqual(scores[1], scores[2], "two metrics, two values");

        var history = model.Fit(x, y, batchSize: 8, epochs: 2, verbose: 0, validationData: (x, y));
        CollectionAssert.AreEqual(new[] { "loss", "accuracy", "top_k_categorical_accuracy", "val_loss", "val_accuracy", "val_top_k_categorical_accuracy" },
            history.HistoryData.Keys.ToArray());
        for (int e = 0; e < 2; e++)
            Assert.IsTrue(history.HistoryData["top_k_categorical_accuracy"][e] > history.HistoryData["accuracy"][e], $"epoch {e}: top-5 above top-1 on 10 classes");
    }

    [TestMethod]
    public void MetricObjects_MixWithIdentifiers()
    {
        var (x, y, labels) = Data(30, 5, 2);
        var model = Net(5);
        model.Compile(new Adam(), new CategoricalCrossentropy(), ["accuracy", new TopKCategoricalAccuracy(k: 2), "acc", "accuracy"]);
        CollectionAssert.AreEqual(new[] { "loss", "accuracy", "top_k_categorical_accuracy", "acc", "accuracy_1" }, model.MetricsNames.ToArray(),
            "a repeated name gets _1, as Keras 3's CompileMetrics.result()");
        var scores = model.Evaluate(x, y, batchSize: 30, verbose: 0);
        var (top1, top2) = Hits(model.Predict(x), labels, 5, 2);
        CollectionAssert.AreEqual(new[] { scores[0], top1, top2, top1, top1 }, scores);
        Assert.IsInstanceOfType<CategoricalCrossentropy>(model.Loss);
        var metrics = model.Metrics;
        Assert.AreEqual("loss", metrics[0].Name);
        Assert.IsInstanceOfType<Mean>(metrics[0]);
        Assert.IsInstanceOfType<CategoricalAccuracy>(metrics[1]);
        Assert.AreEqual("acc", metrics[3].Name);
    }

    [TestMethod]
    public void Accuracy_ResolvesByShapes_AsKeras()
    {
        var (x, y, labels) = Data(24, 3, 3);
        var sparse = Net(3);
        sparse.Compile("sgd", "sparse_categorical_crossentropy", ["acc"]);
        var s = sparse.Evaluate(x, labels, verbose: 0);
        Assert.IsInstanceOfType<SparseCategoricalAccuracy>(sparse.Metrics[1]);
        Assert.AreEqual(Hits(sparse.Predict(x), labels, 3, 1).Top1, s[1]);

        var dense = Net(3);
        dense.SetWeights(sparse.GetWeights());
        dense.Compile("sgd", "categorical_crossentropy", ["acc"]);
        var d = dense.Evaluate(x, y, verbose: 0);
        Assert.IsInstanceOfType<CategoricalAccuracy>(dense.Metrics[1]);
        CollectionAssert.AreEqual(s, d, "the same numbers from one-hot and sparse labels");

        var binary = Net(1, "sigmoid");
        var yb = ND.Zeros([24, 1]);
        for (int i = 0; i < 24; i++) yb.SetFlat(i, i % 2);
        binary.Compile("sgd", new MeanSquaredErrorForTest(), ["accuracy"]);
        var b = binary.Evaluate(x, yb, verbose: 0);
        Assert.IsInstanceOfType<BinaryAccuracy>(binary.Metrics[1]);
        var p = binary.Predict(x).Float32Data;
        Assert.AreEqual((float)Enumerable.Range(0, 24).Count(i => (p[i] > 0.5f ? 1 : 0) == i % 2) / 24, b[1]);
    }

    /// <summary>A user's loss: squared error per element (Σ/(N·units) after Keras's reduction, i.e. the MSE).</summary>
    private sealed class MeanSquaredErrorForTest : Loss
    {
        public MeanSquaredErrorForTest() : base(name: "my_mse") { }

        public override Tensor Call(Tensor yTrue, Tensor yPred)
        {
            var d = Op.Add(yPred, Op.Scale(yTrue, -1));
            return Op.Multiply(d, d);
        }
    }

    /// <summary>A user's metric with its own state: the sum of the targets seen.</summary>
    private sealed class TargetSum : Metric
    {
        private readonly Variable total;

        public TargetSum() => total = AddVariable("total");

        public override void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null) => Op.AssignAdd(total.Value, Op.Sum(yTrue));

        public override Tensor Result() => total.Value;
    }

    [TestMethod]
    public void UserLossAndMetricClasses_TrainAndLog()
    {
        var (x, y, labels) = Data(32, 4, 4);
        var model = Net(4);
        var sum = new TargetSum();
        var myAccuracy = new MeanMetricWrapper((t, p) => Op.ArgmaxMatches(p, t), name: "my_accuracy");
        model.Compile(new Adam(0.05), new MeanSquaredErrorForTest(), [sum, myAccuracy, "accuracy"]);
        CollectionAssert.AreEqual(new[] { "loss", "target_sum", "my_accuracy", "accuracy" }, model.MetricsNames.ToArray());

        var scores = model.Evaluate(x, y, batchSize: 10, verbose: 0);
        var pred = model.Predict(x).Float32Data;
        var yd = y.Float32Data;
        double sq = 0;
        for (int i = 0; i < pred.Length; i++) sq += (pred[i] - yd[i]) * (double)(pred[i] - yd[i]);
        Assert.AreEqual(sq / pred.Length, scores[0], 1e-6, "the user's loss, reduced as Keras does");
        Assert.AreEqual(32.0, scores[1], "one-hot targets of 32 samples sum to 32");
        Assert.AreEqual(scores[3], scores[2], "a wrapped function logs like the built-in accuracy");
        Assert.AreEqual(32f, sum.Result().Item(), "the object given to Compile is the one updated");

        var history = model.Fit(x, y, batchSize: 8, epochs: 30, verbose: 0, seed: 1);
        var loss = history.HistoryData["loss"];
        Assert.IsTrue(loss[^1] < loss[0] * 0.8, $"the user's loss falls: {loss[0]} -> {loss[^1]}");
        Assert.IsTrue(history.HistoryData["target_sum"].All(v => v == 32), "reset each epoch, 32 per epoch");
    }

    [TestMethod]
    public void WeightedMetrics_UseTheSampleWeights_AndSurviveAModelFile()
    {
        var (x, y, labels) = Data(18, 3, 7);
        var model = Net(3);
        model.Compile("sgd", "categorical_crossentropy", metrics: ["accuracy"], weightedMetrics: ["accuracy", new CategoricalAccuracy("hits")]);
        CollectionAssert.AreEqual(new[] { "loss", "accuracy", "weighted_accuracy", "hits" }, model.MetricsNames.ToArray(),
            "a weighted metric whose name is taken is logged as weighted_<name>, as Keras 3");
        var w = ND.Zeros([18]);
        for (int i = 0; i < 18; i++) w.SetFlat(i, i % 3);
        var scores = model.Evaluate(x, y, batchSize: 18, verbose: 0, sampleWeight: w);
        var p = model.Predict(x).Float32Data;
        double hitWeight = 0, hits = 0;
        for (int i = 0; i < 18; i++)
        {
            var row = p.AsSpan(i * 3, 3).ToArray();
            bool hit = Array.IndexOf(row, row.Max()) == (int)labels.GetFlat(i);
            hits += hit ? 1 : 0;
            hitWeight += hit ? i % 3 : 0;
        }
        Assert.AreEqual(hits / 18, scores[1], 1e-6, "metrics: unweighted");
        Assert.AreEqual(hitWeight / 18.0, scores[2], 1e-6, "weighted: Σ w·hit / Σ w, and Σ w = 18 here");
        Assert.AreEqual(scores[2], scores[3]);
        var path = Path.Combine(Path.GetTempPath(), $"weighted_{Guid.NewGuid():N}.h5");
        try
        {
            model.Save(path);
            var again = Models.LoadModel(path);
            CollectionAssert.AreEqual(model.MetricsNames.ToArray(), again.MetricsNames.ToArray());
            CollectionAssert.AreEqual(scores, again.Evaluate(x, y, batchSize: 18, verbose: 0, sampleWeight: w));
        }
        finally { File.Delete(path); }
    }

    [TestMethod]
    public void LossesAndMetrics_RunOnTheSimulatedDevice_AsOnTheCpu()
    {
        var (x, y, _) = Data(20, 5, 8);
        History Train(string device)
        {
            using var scope = ResNetKeras.Devices.DeviceRegistry.Use(device);
            Backend.ClearSession();
            Backend.SetRandomSeed(11);
            var model = Net(5);
            model.Compile(new Adam(0.01), new CategoricalCrossentropy(), ["accuracy", new TopKCategoricalAccuracy(k: 2)],
                weightedMetrics: [new CategoricalAccuracy("hits")]);
            var h = model.Fit(x, y, batchSize: 8, epochs: 2, verbose: 0, seed: 2, validationData: (x, y), sampleWeight: ND.Ones([20]));
            Assert.AreEqual(device, model.Metrics[1].Variables[0].Value.Device.Name, "metric state lives on the model's device");
            return h;
        }
        var cpu = Train("cpu");
        var sim = Train("sim");
        foreach (var key in cpu.HistoryData.Keys)
            for (int e = 0; e < 2; e++)
                Assert.AreEqual(cpu.HistoryData[key][e], sim.HistoryData[key][e], 1e-5, $"{key}, epoch {e}");
    }

    [TestMethod]
    public void CompileArguments_AreCheckedUpFront()
    {
        var model = Net(3);
        Assert.AreEqual("optimizer", Assert.ThrowsExactly<ArgumentException>(() => model.Compile("rmsprop_x", "categorical_crossentropy")).ParamName);
        Assert.AreEqual("loss", Assert.ThrowsExactly<ArgumentException>(() => model.Compile("adam", 42)).ParamName);
        var m = Assert.ThrowsExactly<ArgumentException>(() => model.Compile("adam", "categorical_crossentropy", ["accuracy", "auc_x"]));
        Assert.AreEqual("metrics", m.ParamName);
        StringAssert.Contains(m.Message, "'auc_x'");
        Assert.IsNull(model.Optimizer, "a failed Compile leaves the model uncompiled");
        Assert.ThrowsExactly<InvalidOperationException>(() => model.Evaluate(ND.Zeros([2, 6]), ND.Zeros([2, 3]), verbose: 0));
        Assert.IsInstanceOfType<SGD>(Optimizers.Get("SGD"));
        Assert.IsInstanceOfType<Adam>(Optimizers.Get("adam"));
    }

    [TestMethod]
    public void OnBatchMethods_MatchTheLoops()
    {
        var (x, y, _) = Data(12, 3, 5);
        var model = Net(3);
        model.Compile("sgd", "categorical_crossentropy", ["accuracy"]);
        CollectionAssert.AreEqual(model.Evaluate(x, y, batchSize: 12, verbose: 0), model.TestOnBatch(x, y));
        CollectionAssert.AreEqual(model.Predict(x).Float32Data, model.PredictOnBatch(x).Float32Data);
        var first = model.TestOnBatch(x.Slice(0, 6), y.Slice(0, 6));
        var both = model.TestOnBatch(x.Slice(6, 12), y.Slice(6, 12), resetMetrics: false);
        var second = model.TestOnBatch(x.Slice(6, 12), y.Slice(6, 12));
        Assert.AreEqual((float)((float)(first[0] * 6) + (float)(second[0] * 6)) / 12f, both[0], 1e-7, "running mean over both halves");
    }

    [TestMethod]
    public void LossAndMetricObjects_SurviveAModelFile()
    {
        var (x, y, _) = Data(16, 3, 6);
        var model = Net(3);
        model.Compile(new Adam(), new CategoricalCrossentropy(name: "cce"), ["accuracy", new TopKCategoricalAccuracy(k: 2, name: "top2")]);
        model.Fit(x, y, batchSize: 8, epochs: 1, verbose: 0);
        var path = Path.Combine(Path.GetTempPath(), $"compile_{Guid.NewGuid():N}.h5");
        try
        {
            model.Save(path);
            var again = Models.LoadModel(path);
            Assert.AreEqual("cce", ((CategoricalCrossentropy)again.Loss!).Name);
            CollectionAssert.AreEqual(model.MetricsNames.ToArray(), again.MetricsNames.ToArray());
            CollectionAssert.AreEqual(model.Evaluate(x, y, verbose: 0), again.Evaluate(x, y, verbose: 0));
            Assert.AreEqual(2, ((TopKCategoricalAccuracy)again.Metrics[2]).K);

            model.Compile(new Adam(), new MeanSquaredErrorForTest(), ["accuracy"]);
            model.Save(path);
            var e = Assert.ThrowsExactly<InvalidDataException>(() => Models.LoadModel(path));
            StringAssert.Contains(e.Message, "MeanSquaredErrorForTest");
            Assert.IsNull(Models.LoadModel(path, compile: false).Loss);
        }
        finally { File.Delete(path); }
    }
}
