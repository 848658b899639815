using System.Text.Json;
using ResNetKeras.Engine;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Keras;

/// <summary>
/// Functional models with several inputs and outputs, nested models and shared layers: Keras 3's per-output losses,
/// loss weights, metric names and logs, checked against values computed here from the model's own predictions, against
/// an equivalent single-output model, and through both file formats.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class MultiIOModelTests
{
    [TestInitialize]
    public void Reset() => Backend.ClearSession();

    private static string TempPath(string name) => Path.Combine(Path.GetTempPath(), $"rk_multiio_{Guid.NewGuid():N}_{name}");

    /// <summary>Two inputs: a class given by the sign pattern of xa, and a regression target from xb.</summary>
    private static (NDArray Xa, NDArray Xb, NDArray YCls, NDArray YReg) Data(int n, uint seed)
    {
        var rng = new RandomState(seed);
        var xa = ND.Zeros([n, 8]);
        var xb = ND.Zeros([n, 4]);
        var yCls = ND.Zeros([n]);
        var yReg = ND.Zeros([n, 1]);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < 8; j++) xa.SetDouble(rng.Uniform(-1, 1), i, j);
            for (int j = 0; j < 4; j++) xb.SetDouble(rng.Uniform(-1, 1), i, j);
            double s0 = xa.GetDouble(i, 0), s1 = xa.GetDouble(i, 1);
            yCls.SetDouble(s0 > 0 ? (s1 > 0 ? 2 : 1) : 0, i);
            yReg.SetDouble(0.5 * xb.GetDouble(i, 0) - xb.GetDouble(i, 1) + 0.25 * xb.GetDouble(i, 2), i, 0);
        }
        return (xa, xb, yCls, yReg);
    }

    private static Model TwoInTwoOut()
    {
        // The issue's lines, verbatim.
        var a = Layers.Input(shape: [8], name: "a");
        var b = Layers.Input(shape: [4], name: "b");
        var h = Layers.Concatenate(a, b);
        h = new LeakyReLU(negativeSlope: 0.2).Call(new Dense(16).Call(h));
        var cls = new Dense(3, activation: "softmax", name: "cls").Call(h);
        var reg = new Dense(1, name: "reg").Call(h);
        return new Model(inputs: [a, b], outputs: [cls, reg]);
    }

    [TestMethod]
    public void IssueSnippet_TwoInputsTwoOutputs_TrainsAndLogsPerOutputLosses()
    {
        Backend.SetRandomSeed(3);
        var (xa, xb, yCls, yReg) = Data(512, 5);
        var m = TwoInTwoOut();
        m.Compile(optimizer: new RMSprop(learningRate: 1e-3), loss: ["sparse_categorical_crossentropy", "mse"], lossWeights: [1.0, 0.5]);
        var history = m.Fit([xa, xb], [yCls, yReg], batchSize: 32, epochs: 5, verbose: 0);
        NDArray[] outputs = m.Predict([xa, xb]);

        CollectionAssert.AreEqual(new[] { "loss", "cls_loss", "reg_loss" }, m.MetricsNames.ToArray());
        var lines = new List<string>();
        m.Summary(printFn: lines.Add);
        Assert.IsTrue(lines.Any(l => l.Contains("concatenate (Concatenate)") && l.Contains("a[0][0]")), string.Join("\n", lines));
        Assert.IsTrue(lines.Any(l => l.Contains("b[0][0]")), string.Join("\n", lines));
        var h = history.HistoryData;
        CollectionAssert.AreEquivalent(new[] { "loss", "cls_loss", "reg_loss" }, h.Keys.ToArray());
        Assert.IsTrue(h["loss"][^1] < 0.85 * h["loss"][0], $"loss {string.Join(", ", h["loss"])} cls {string.Join(", ", h["cls_loss"])} reg {string.Join(", ", h["reg_loss"])}");
        Assert.IsTrue(h["cls_loss"][^1] < h["cls_loss"][0] && h["reg_loss"][^1] < h["reg_loss"][0], "both heads learn");
        Assert.AreEqual(2, outputs.Length);
        CollectionAssert.AreEqual(new[] { 512, 3 }, outputs[0].IntShape);
        CollectionAssert.AreEqual(new[] { 512, 1 }, outputs[1].IntShape);
        // Each epoch's total is the weighted sum of the per-output means (all three are means over the same samples).
        for (int e = 0; e < 5; e++)
            Assert.AreEqual(h["cls_loss"][e] + 0.5 * h["reg_loss"][e], h["loss"][e], 1e-4 * h["loss"][e]);
        // More epochs: both heads well above chance (the majority class is half of the samples).
        m.Fit([xa, xb], [yCls, yReg], batchSize: 32, epochs: 25, verbose: 0);
        var p = m.Predict([xa, xb]);
        int correct = 0;
        double sse = 0, sst = 0;
        for (int i = 0; i < 512; i++)
        {
            if (Enumerable.Range(0, 3).MaxBy(c => p[0].GetDouble(i, c)) == (int)yCls.GetDouble(i)) correct++;
            sse += Math.Pow(p[1].GetDouble(i, 0) - yReg.GetDouble(i, 0), 2);
            sst += Math.Pow(yReg.GetDouble(i, 0), 2);
        }
        Assert.IsTrue(correct / 512.0 > 0.85, $"accuracy {correct / 512.0}");
        Assert.IsTrue(sse < 0.1 * sst, $"regression: residual {sse} of {sst}");
    }

    [TestMethod]
    public void Evaluate_PerOutputLossesEqualTheFormulasOnThePredictions()
    {
        Backend.SetRandomSeed(4);
        var (xa, xb, yCls, yReg) = Data(64, 6);
        var m = TwoInTwoOut();
        m.Compile(optimizer: "sgd", loss: ["sparse_categorical_crossentropy", "mse"], lossWeights: [1.0, 0.5]);
        var r = m.Evaluate([xa, xb], [yCls, yReg], batchSize: 64, verbose: 0);
        var p = m.Predict([xa, xb]);
        double ce = 0, mse = 0;
        for (int i = 0; i < 64; i++)
        {
            ce -= Math.Log(Math.Max(p[0].GetDouble(i, (int)yCls.GetDouble(i)), 1e-7));
            double d = p[1].GetDouble(i, 0) - yReg.GetDouble(i, 0);
            mse += d * d;
        }
        ce /= 64;
        mse /= 64;
        Assert.AreEqual(3, r.Length);
        Assert.AreEqual(ce, r[1], 1e-5, "cls_loss");
        Assert.AreEqual(mse, r[2], 1e-5, "reg_loss");
        Assert.AreEqual(ce + 0.5 * mse, r[0], 1e-5, "loss = 1.0·cls + 0.5·reg");
    }

    [TestMethod]
    public void ZeroWeightOnOneHead_TrainsTheTrunkExactlyLikeTheOtherHeadAlone()
    {
        // Same initial weights: a two-output model whose second loss weighs 0, and the same graph with the first head only.
        var (xa, xb, yCls, yReg) = Data(48, 8);
        Backend.SetRandomSeed(11);
        var two = TwoInTwoOut();
        var one = new Model(inputs: [two.Inputs[0], two.Inputs[1]], outputs: two.Outputs[0]);
        two.Compile(optimizer: new SGD(learningRate: 0.1), loss: ["sparse_categorical_crossentropy", "mse"], lossWeights: [1.0, 0.0]);
        var start = two.GetWeights();
        two.TrainOnBatch([xa, xb], [yCls, yReg]);
        var afterTwo = two.GetLayer("cls").GetWeights();
        var trunkTwo = two.GetLayer("dense").GetWeights();
        two.SetWeights(start);
        one.Compile(optimizer: new SGD(learningRate: 0.1), loss: "sparse_categorical_crossentropy");
        one.TrainOnBatch([xa, xb], [yCls]);
        var afterOne = one.GetLayer("cls").GetWeights();
        var trunkOne = one.GetLayer("dense").GetWeights();
        for (int k = 0; k < 2; k++)
        {
            CollectionAssert.AreEqual(afterOne[k].Float32Data, afterTwo[k].Float32Data, $"cls weight {k}");
            CollectionAssert.AreEqual(trunkOne[k].Float32Data, trunkTwo[k].Float32Data, $"trunk weight {k}");
        }
    }

    [TestMethod]
    public void Metrics_OnePerOutput_AreNamedAfterTheOutput()
    {
        Backend.SetRandomSeed(5);
        var (xa, xb, yCls, yReg) = Data(64, 9);
        var m = TwoInTwoOut();
        m.Compile(optimizer: "adam", loss: new Dictionary<string, object> { ["reg"] = "mse", ["cls"] = "sparse_categorical_crossentropy" },
            metrics: ["accuracy", new object[] { "mae", "mse" }]);
        CollectionAssert.AreEqual(new[] { "loss", "cls_accuracy", "reg_mae", "reg_mse", "cls_loss", "reg_loss" }, m.MetricsNames.ToArray());
        var r = m.Evaluate([xa, xb], [yCls, yReg], verbose: 0);
        var p = m.Predict([xa, xb]);
        int correct = 0;
        double mae = 0;
        for (int i = 0; i < 64; i++)
        {
            int arg = Enumerable.Range(0, 3).MaxBy(c => p[0].GetDouble(i, c));
            if (arg == (int)yCls.GetDouble(i)) correct++;
            mae += Math.Abs(p[1].GetDouble(i, 0) - yReg.GetDouble(i, 0));
        }
        Assert.AreEqual(correct / 64.0, r[1], 1e-6, "cls_accuracy");
        Assert.AreEqual(mae / 64, r[2], 1e-5, "reg_mae");
        Assert.AreEqual(r[5], r[3], 1e-6, "reg_mse equals the reg loss");
    }

    [TestMethod]
    public void StructureMismatches_AreKerasErrors()
    {
        var m = TwoInTwoOut();
        var e1 = Assert.ThrowsExactly<ArgumentException>(() => m.Compile(optimizer: "adam", loss: "mse", metrics: ["accuracy"]));
        StringAssert.Contains(e1.Message, "it should have as many entries as the model has outputs");
        var e2 = Assert.ThrowsExactly<ArgumentException>(() => m.Compile(optimizer: "adam", loss: ["mse", "mse"], lossWeights: [1.0, 2.0, 3.0]));
        StringAssert.Contains(e2.Message, "`loss_weights` must match the number of losses, got 2 losses and 3 weights.");
        Assert.AreEqual("lossWeights", e2.ParamName);
        var e3 = Assert.ThrowsExactly<ArgumentException>(() => m.Compile(optimizer: "adam", loss: new Dictionary<string, object> { ["cls"] = "mse", ["other"] = "mse" }));
        StringAssert.Contains(e3.Message, "Expected keys ['cls', 'reg'] in loss dict");
        var e4 = Assert.ThrowsExactly<ArgumentException>(() => m.Compile(optimizer: "adam", loss: ["mse"]));
        StringAssert.Contains(e4.Message, "one entry per output; received 1 entries");
        m.Compile(optimizer: "adam", loss: ["sparse_categorical_crossentropy", "mse"]);
        var (xa, xb, yCls, yReg) = Data(8, 1);
        var e5 = Assert.ThrowsExactly<ArgumentException>(() => m.Fit([xa, xb], [yCls], verbose: 0));
        StringAssert.Contains(e5.Message, "The model has 2 output(s) (cls, reg)");
        var e6 = Assert.ThrowsExactly<ArgumentException>(() => m.Fit([xa], [yCls, yReg], verbose: 0));
        StringAssert.Contains(e6.Message, "expects 2 input(s), but it received 1 input arrays");
        var e7 = Assert.ThrowsExactly<ArgumentException>(() => m.Fit([xa, xb.Slice(0, 4)], [yCls, yReg], verbose: 0));
        StringAssert.Contains(e7.Message, "Data cardinality is ambiguous");
        var e8 = Assert.ThrowsExactly<ArgumentException>(() => m.Fit([xb, xa], [yCls, yReg], verbose: 0));
        StringAssert.Contains(e8.Message, "Input 0 of layer");
        var e9 = Assert.ThrowsExactly<InvalidOperationException>(() => m.Predict(xa));
        StringAssert.Contains(e9.Message, "call Predict([x])");
    }

    [TestMethod]
    public void OneLossForTwoOutputs_AppliesToEach()
    {
        Backend.SetRandomSeed(2);
        var a = Layers.Input(shape: [3]);
        var o1 = new Dense(1, name: "o1").Call(a);
        var o2 = new Dense(1, name: "o2").Call(a);
        var m = new Model(inputs: a, outputs: [o1, o2]);
        m.Compile(optimizer: "sgd", loss: "mse", lossWeights: [0.25]);
        var x = ND.Of(new float[] { 1, 2, 3, -1, 0, 2 }, 2, 3);
        var y1 = ND.Of(new float[] { 1, -1 }, 2, 1);
        var y2 = ND.Of(new float[] { 0, 2 }, 2, 1);
        var r = m.Evaluate([x], [y1, y2], verbose: 0);
        var p = m.Predict([x]);
        double l1 = 0, l2 = 0;
        for (int i = 0; i < 2; i++)
        {
            l1 += Math.Pow(p[0].GetDouble(i, 0) - y1.GetDouble(i, 0), 2) / 2;
            l2 += Math.Pow(p[1].GetDouble(i, 0) - y2.GetDouble(i, 0), 2) / 2;
        }
        CollectionAssert.AreEqual(new[] { "loss", "o1_loss", "o2_loss" }, m.MetricsNames.ToArray());
        Assert.AreEqual(l1, r[1], 1e-5);
        Assert.AreEqual(l2, r[2], 1e-5);
        Assert.AreEqual(0.25 * (l1 + l2), r[0], 1e-5);
    }

    [TestMethod]
    public void SaveAndLoad_BothFormats_KeepGraphPredictionsAndCompileConfig()
    {
        Backend.SetRandomSeed(6);
        var (xa, xb, yCls, yReg) = Data(40, 12);
        var m = TwoInTwoOut();
        m.Compile(optimizer: new RMSprop(learningRate: 1e-3), loss: ["sparse_categorical_crossentropy", "mse"], lossWeights: [1.0, 0.5], metrics: ["accuracy", null]);
        m.Fit([xa, xb], [yCls, yReg], batchSize: 8, epochs: 1, verbose: 0);
        var expected = m.Predict([xa, xb]);
        var expectedEval = m.Evaluate([xa, xb], [yCls, yReg], verbose: 0);
        foreach (var ext in new[] { ".h5", ".keras" })
        {
            string path = TempPath("two" + ext);
            try
            {
                m.Save(path);
                var loaded = Models.LoadModel(path);
                CollectionAssert.AreEqual(new[] { "a", "b" }, loaded.InputNames.ToArray(), ext);
                CollectionAssert.AreEqual(new[] { "cls", "reg" }, loaded.OutputNames.ToArray(), ext);
                var got = loaded.Predict([xa, xb]);
                for (int k = 0; k < 2; k++) CollectionAssert.AreEqual(expected[k].Float32Data, got[k].Float32Data, $"{ext} output {k}");
                CollectionAssert.AreEqual(m.MetricsNames.ToArray(), loaded.MetricsNames.ToArray(), ext);
                var eval = loaded.Evaluate([xa, xb], [yCls, yReg], verbose: 0);
                for (int k = 0; k < eval.Length; k++) Assert.AreEqual(expectedEval[k], eval[k], 1e-6, $"{ext} evaluate[{k}]");
            }
            finally { File.Delete(path); }
        }
    }

    /// <summary>A Sequential block and a Functional block used as layers of a Functional model, as real Keras 3 models do.</summary>
    private static Model NestedModel()
    {
        var block = new Sequential([new Dense(8, activation: "relu"), new BatchNormalization(), new Dense(6, activation: "tanh")], name: "block");
        var innerIn = Layers.Input(shape: [6]);
        var head = new Model(innerIn, new Dense(2, activation: "softmax", name: "probs").Call(innerIn), name: "head");
        var x = Layers.Input(shape: [5], name: "x");
        var y = head.Call(block.Call(new Rescaling(0.5).Call(x)));
        return new Model(x, y, name: "outer");
    }

    [TestMethod]
    public void NestedModels_TrainAsLayers_AndRoundTripBothFormats()
    {
        Backend.SetRandomSeed(9);
        var m = NestedModel();
        var block = (Model)m.GetLayer("block");
        Assert.AreEqual(3, m.Layers.Count - 1, "input, rescaling, block, head");
        Assert.AreEqual(block.CountParams() + m.GetLayer("head").CountParams(), m.CountParams());
        Assert.AreEqual(8, m.TrainableWeights.Count, "block: kernel, bias, γ, β, kernel, bias; head: kernel, bias");
        Assert.AreEqual(2, m.NonTrainableWeights.Count, "the moving statistics");
        var rng = new RandomState(4);
        var x = ND.Zeros([64, 5]);
        var y = ND.Zeros([64]);
        for (int i = 0; i < 64; i++)
        {
            double s = 0;
            for (int j = 0; j < 5; j++) { double v = rng.Uniform(-1, 1); x.SetDouble(v, i, j); s += v; }
            y.SetDouble(s > 0 ? 1 : 0, i);
        }
        m.Compile(optimizer: new Adam(learningRate: 0.02), loss: "sparse_categorical_crossentropy", metrics: ["accuracy"]);
        var h = m.Fit(x, y, batchSize: 16, epochs: 15, verbose: 0, seed: 1).HistoryData;
        Assert.IsTrue(h["loss"][^1] < 0.6 * h["loss"][0], $"loss {h["loss"][0]} -> {h["loss"][^1]}");
        var expected = m.Predict(x);
        foreach (var ext in new[] { ".h5", ".keras", ".weights.h5" })
        {
            string path = TempPath("nested" + ext);
            try
            {
                if (ext == ".weights.h5")
                {
                    m.SaveWeights(path);
                    Backend.SetRandomSeed(99);
                    var fresh = NestedModel();
                    fresh.LoadWeights(path);
                    CollectionAssert.AreEqual(expected.Float32Data, fresh.Predict(x).Float32Data, ext);
                    continue;
                }
                m.Save(path);
                var loaded = Models.LoadModel(path);
                Assert.IsInstanceOfType<Sequential>(loaded.GetLayer("block"), ext);
                Assert.AreEqual("Functional", loaded.GetLayer("head").ClassName, ext);
                CollectionAssert.AreEqual(expected.Float32Data, loaded.Predict(x).Float32Data, ext);
            }
            finally { File.Delete(path); }
        }
    }

    [TestMethod]
    public void FrozenNestedModel_KeepsItsWeightsAndBatchStatistics()
    {
        Backend.SetRandomSeed(3);
        var m = NestedModel();
        var block = (Model)m.GetLayer("block");
        block.Trainable = false;
        Assert.IsFalse(block.Layers.Any(l => l.Trainable), "Keras 3 sets the flag on every sublayer");
        Assert.AreEqual(2, m.TrainableWeights.Count, "only the head trains");
        Assert.AreEqual(8, m.NonTrainableWeights.Count);
        var before = block.GetWeights();
        var x = ND.Of(Enumerable.Range(0, 40).Select(i => (float)Math.Sin(i)).ToArray(), 8, 5);
        var y = ND.Of(new float[] { 0, 1, 0, 1, 1, 0, 0, 1 }, 8);
        m.Compile(optimizer: new SGD(learningRate: 0.5), loss: "sparse_categorical_crossentropy");
        m.Fit(x, y, batchSize: 4, epochs: 2, verbose: 0);
        var after = block.GetWeights();
        for (int k = 0; k < before.Count; k++) CollectionAssert.AreEqual(before[k].Float32Data, after[k].Float32Data, $"block weight {k}");
    }

    [TestMethod]
    public void NestedModel_FileLayouts_AreKerasOnes()
    {
        Backend.SetRandomSeed(1);
        var m = NestedModel();
        string k3 = TempPath("layout.weights.h5"), k2 = TempPath("layout.h5");
        try
        {
            m.SaveWeights(k3);
            m.SaveWeights(k2);
            var r3 = ResNetKeras.IO.Hdf5.H5File.Open(k3).Root;
            // Keras 3's _save_state: a nested model's group holds its own (empty) vars and its layers by class-name key.
            Assert.IsTrue(r3.Contains("layers/sequential/vars"));
            Assert.AreEqual(4, r3.Group("layers/sequential/layers/batch_normalization/vars").Keys.Count);
            Assert.IsTrue(r3.Contains("layers/sequential/layers/dense_1/vars/1"));
            Assert.IsTrue(r3.Contains("layers/functional/layers/input_layer/vars"));
            Assert.IsTrue(r3.Contains("layers/functional/layers/dense/vars/0"));
            var r2 = ResNetKeras.IO.Hdf5.H5File.Open(k2).Root;
            // tf.keras: the nested model is one layer group; its weights are all trainable ones, then the non-trainable.
            var names = r2.Group("block").Attributes["weight_names"].ReadStrings();
            var block = m.GetLayer("block");
            var bn = ((Model)block).Layers[1].Name;
            CollectionAssert.AreEqual(new[] { $"{bn}/moving_mean:0", $"{bn}/moving_variance:0" }, names[^2..]);
            Assert.AreEqual(8, names.Length);
        }
        finally { File.Delete(k3); File.Delete(k2); }
    }

    [TestMethod]
    public void SharedLayer_CalledOnTwoInputs_HasOneSetOfWeights_AndRoundTrips()
    {
        Backend.SetRandomSeed(8);
        var a = Layers.Input(shape: [4], name: "left");
        var b = Layers.Input(shape: [4], name: "right");
        var shared = new Dense(3, activation: "tanh", name: "shared");
        var d = Layers.Subtract(shared.Call(a), shared.Call(b));
        var outT = new Dense(1, activation: "sigmoid", name: "same").Call(d);
        var m = new Model([a, b], [outT]);
        Assert.AreEqual(15 + 4, m.CountParams());
        Assert.AreEqual(2, shared.InboundNodes.Count);
        var rng = new RandomState(2);
        var xa = ND.Zeros([32, 4]);
        var xb = ND.Zeros([32, 4]);
        var y = ND.Zeros([32, 1]);
        for (int i = 0; i < 32; i++)
        {
            for (int j = 0; j < 4; j++) { xa.SetDouble(rng.Uniform(-1, 1), i, j); xb.SetDouble(rng.Uniform(-1, 1), i, j); }
            y.SetDouble(i % 2, i, 0);
        }
        m.Compile(optimizer: "adam", loss: "binary_crossentropy");
        m.Fit([xa, xb], [y], batchSize: 8, epochs: 1, verbose: 0);
        // Swapping the inputs through the shared layer only flips the sign of the difference.
        var p = m.Predict([xa, xb]);
        Assert.AreEqual(1, p.Length);
        foreach (var ext in new[] { ".h5", ".keras" })
        {
            string path = TempPath("shared" + ext);
            try
            {
                m.Save(path);
                var loaded = Models.LoadModel(path);
                Assert.AreEqual(2, loaded.GetLayer("shared").InboundNodes.Count, ext);
                CollectionAssert.AreEqual(p[0].Float32Data, loaded.Predict([xa, xb])[0].Float32Data, ext);
            }
            finally { File.Delete(path); }
        }
    }

    [TestMethod]
    public void StepsPerEpoch_OverArrays_ContinuesAcrossEpochsAsKeras3()
    {
        // 10 samples, batch 2: 5 batches; steps_per_epoch=2 gives epochs of 2, 2, 1 (the data ran out), then a new pass.
        Backend.SetRandomSeed(1);
        var m = new Sequential([new InputLayer(shape: [1]), new Dense(1)]);
        m.Compile(optimizer: "sgd", loss: "mse");
        var x = ND.Of(Enumerable.Range(0, 10).Select(i => (float)i).ToArray(), 10, 1);
        var steps = new List<int>();
        int count = 0;
        var counter = new LambdaCallback(onTrainBatchEnd: (_, _) => count++, onEpochEnd: (_, _) => { steps.Add(count); count = 0; });
        var h = m.Fit(x, x, batchSize: 2, epochs: 5, verbose: 0, stepsPerEpoch: 2, callbacks: [counter], shuffle: false);
        CollectionAssert.AreEqual(new[] { 2, 2, 1, 2, 2 }, steps);
        Assert.AreEqual(5, h.HistoryData["loss"].Count);
        var bad = Assert.ThrowsExactly<ArgumentException>(() => m.Fit(x, x, stepsPerEpoch: 0, verbose: 0));
        StringAssert.Contains(bad.Message, "steps_per_epoch");
    }

    /// <summary>
    /// A model built and serialized by TensorFlow.js (an independent Keras port; tools/fixtures/make_tfjs_multiio.js):
    /// two inputs, a Dense shared by both, a nested Sequential, Multiply and Concatenate, two outputs. Its Keras JSON
    /// loads here with the same graph, and with tfjs's weights set layer by layer it predicts tfjs's numbers; it then
    /// survives this library's own save and load in both formats.
    /// </summary>
    [TestMethod]
    public void TfjsModel_WithSharedAndNestedLayers_LoadsAndPredictsLikeTfjs()
    {
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Tfjs", "multiio.json")));
        var root = doc.RootElement;
        var model = Models.ModelFromJson(root.GetProperty("model_json").GetRawText());
        CollectionAssert.AreEqual(new[] { "a", "b" }, model.InputNames.ToArray());
        CollectionAssert.AreEqual(new[] { "cls", "reg" }, model.OutputNames.ToArray());
        Assert.IsInstanceOfType<Sequential>(model.GetLayer("block"));
        Assert.AreEqual(2, model.GetLayer("shared").InboundNodes.Count, "the shared Dense is called on both inputs");
        foreach (var layer in root.GetProperty("weights").EnumerateObject())
        {
            var values = layer.Value.EnumerateArray().Select(w => ND.Of(
                w.GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray(),
                w.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray())).ToList();
            model.GetLayer(layer.Name).SetWeights(values);
        }
        var inputs = root.GetProperty("inputs");
        int rows = inputs.GetProperty("rows").GetInt32();
        NDArray Read(JsonElement e, int cols) => ND.Of(e.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray(), rows, cols);
        var xa = Read(inputs.GetProperty("a"), 6);
        var xb = Read(inputs.GetProperty("b"), 6);
        var expectedCls = root.GetProperty("outputs").GetProperty("cls").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var expectedReg = root.GetProperty("outputs").GetProperty("reg").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        void Check(Model m, string what)
        {
            var p = m.Predict([xa, xb]);
            var cls = p[0].Float32Data;
            var reg = p[1].Float32Data;
            Assert.AreEqual(expectedCls.Length, cls.Length, what);
            Assert.AreEqual(expectedReg.Length, reg.Length, what);
            for (int i = 0; i < cls.Length; i++) Assert.AreEqual(expectedCls[i], cls[i], 2e-6, $"{what}: cls[{i}]");
            for (int i = 0; i < reg.Length; i++) Assert.AreEqual(expectedReg[i], reg[i], 2e-5, $"{what}: reg[{i}]");
        }
        Check(model, "loaded from tfjs's JSON");
        foreach (var ext in new[] { ".h5", ".keras" })
        {
            string path = TempPath("tfjs" + ext);
            try
            {
                model.Save(path);
                Check(Models.LoadModel(path), ext);
            }
            finally { File.Delete(path); }
        }
    }
}
