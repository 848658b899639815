using ResNetKeras.Engine;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Keras;

/// <summary>Fit / Evaluate / Predict semantics of Keras 2.6 (§8): hook order, batching, shuffling, logs, losses, modes.</summary>
[TestClass]
[DoNotParallelize]
public sealed class FitTests
{
    /// <summary>Records every hook call as text.</summary>
    private sealed class Recorder : Callback
    {
        public List<string> Calls { get; } = new();
        public IReadOnlyDictionary<string, object>? SeenParams;
        public override void SetParams(IReadOnlyDictionary<string, object> parameters) { SeenParams = parameters; base.SetParams(parameters); }
        public override void OnTrainBegin(Dictionary<string, double> logs) => Calls.Add("train_begin");
        public override void OnTrainEnd(Dictionary<string, double> logs) => Calls.Add("train_end " + string.Join(",", logs.Keys));
        public override void OnEpochBegin(int epoch, Dictionary<string, double> logs) => Calls.Add($"epoch_begin {epoch}");
        public override void OnEpochEnd(int epoch, Dictionary<string, double> logs) => Calls.Add($"epoch_end {epoch} " + string.Join(",", logs.Keys));
        public override void OnBatchBegin(int batch, Dictionary<string, double> logs) => Calls.Add($"batch_begin {batch}");
        public override void OnBatchEnd(int batch, Dictionary<string, double> logs) => Calls.Add($"batch_end {batch} " + string.Join(",", logs.Keys));
        public override void OnTestBegin(Dictionary<string, double> logs) => Calls.Add("test_begin");
        public override void OnTestBatchBegin(int batch, Dictionary<string, double> logs) => Calls.Add($"test_batch_begin {batch}");
        public override void OnTestBatchEnd(int batch, Dictionary<string, double> logs) => Calls.Add($"test_batch_end {batch} " + string.Join(",", logs.Keys));
        public override void OnTestEnd(Dictionary<string, double> logs) => Calls.Add("test_end " + string.Join(",", logs.Keys));
        public override void OnPredictBegin(Dictionary<string, double> logs) => Calls.Add("predict_begin");
        public override void OnPredictBatchEnd(int batch, Dictionary<string, double> logs) => Calls.Add($"predict_batch_end {batch}");
        public override void OnPredictEnd(Dictionary<string, double> logs) => Calls.Add("predict_end");
    }

    /// <summary>Two linearly separable classes in 2-D.</summary>
    private static (NDArray X, NDArray Y) Blobs(int n, uint seed)
    {
        var rng = new RandomState(seed);
        var x = ND.Zeros([n, 2]);
        var y = ND.Zeros([n, 2]);
        for (int i = 0; i < n; i++)
        {
            int c = i % 2;
            x.SetDouble(rng.Normal(c == 0 ? -1 : 1, 0.3), i, 0);
            x.SetDouble(rng.Normal(c == 0 ? 1 : -1, 0.3), i, 1);
            y.SetDouble(1, i, c);
        }
        return (x, y);
    }

    private static Model Mlp(string[]? metrics = null, Regularizer? reg = null)
    {
        var input = Layers.Input([2]);
        var h = new Dense(4, activation: "relu", kernelRegularizer: reg).Call(input);
        var model = new Model(input, new Dense(2, activation: "softmax").Call(h));
        model.Compile(new Adam(0.01), "categorical_crossentropy", metrics ?? ["accuracy"]);
        return model;
    }

    [TestInitialize]
    public void Reset()
    {
        Backend.ClearSession();
        Backend.SetRandomSeed(7);
    }

    [TestMethod]
    public void HookOrder_IsKeras26()
    {
        var (x, y) = Blobs(6, 1);
        var model = Mlp();
        var rec = new Recorder();
        var history = model.Fit(x, y, batchSize: 4, epochs: 2, verbose: 0, callbacks: [rec], validationData: (x.Slice(0, 3), y.Slice(0, 3)), seed: 1);
        string[] epoch(int e) =>
        [
            $"epoch_begin {e}",
            "batch_begin 0", "batch_end 0 loss,accuracy",
            "batch_begin 1", "batch_end 1 loss,accuracy",
            "test_begin", "test_batch_begin 0", "test_batch_end 0 loss,accuracy", "test_end loss,accuracy",
            $"epoch_end {e} loss,accuracy,val_loss,val_accuracy",
        ];
        CollectionAssert.AreEqual(new[] { "train_begin" }.Concat(epoch(0)).Concat(epoch(1)).Append("train_end loss,accuracy,val_loss,val_accuracy").ToArray(), rec.Calls);
        Assert.AreEqual(0, rec.SeenParams!["verbose"]);
        Assert.AreEqual(2, rec.SeenParams["epochs"]);
        Assert.AreEqual(2, rec.SeenParams["steps"]);
        CollectionAssert.AreEqual(new[] { 0, 1 }, history.Epoch);
        Assert.AreSame(history, model.History);

        rec.Calls.Clear();
        model.Evaluate(x, y, batchSize: 4, verbose: 0, callbacks: [rec]);
        CollectionAssert.AreEqual(new[] { "test_begin", "test_batch_begin 0", "test_batch_end 0 loss,accuracy", "test_batch_begin 1", "test_batch_end 1 loss,accuracy", "test_end loss,accuracy" }, rec.Calls);
        rec.Calls.Clear();
        model.Predict(x, batchSize: 4, callbacks: [rec]);
        CollectionAssert.AreEqual(new[] { "predict_begin", "predict_batch_end 0", "predict_batch_end 1", "predict_end" }, rec.Calls);
    }

    /// <summary>An identity layer that records the first feature of every row it sees in training.</summary>
    private sealed class Probe : Layer
    {
        public List<float[]> Batches { get; } = new();
        protected override int[] ComputeOutputShape(int[][] inputShapes) => inputShapes[0];
        public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training)
        {
            var x = inputs[0];
            if (training)
            {
                var values = x.ToArray();
                Batches.Add(Enumerable.Range(0, x.Dim(0)).Select(r => values[r * x.Dim(1)]).ToArray());
            }
            return x;
        }
    }

    private static (Model, Probe) ProbedMlp()
    {
        var input = Layers.Input([2]);
        var probe = new Probe();
        var model = new Model(input, new Dense(2, activation: "softmax").Call(probe.Call(input)));
        model.Compile("sgd", "categorical_crossentropy", ["accuracy"]);
        return (model, probe);
    }

    [TestMethod]
    public void Batches_AreConsecutiveSlicesOfOnePermutation_LastPartialKept()
    {
        var x = ND.Zeros([10, 2]);
        var y = ND.Zeros([10, 2]);
        for (int i = 0; i < 10; i++) { x.SetDouble(i, i, 0); y.SetDouble(1, i, i % 2); }
        var (model, probe) = ProbedMlp();
        model.Fit(x, y, batchSize: 4, epochs: 2, verbose: 0, seed: 3);
        CollectionAssert.AreEqual(new[] { 4, 4, 2, 4, 4, 2 }, probe.Batches.Select(b => b.Length).ToArray());
        var epoch0 = probe.Batches.Take(3).SelectMany(b => b).ToArray();
        var epoch1 = probe.Batches.Skip(3).SelectMany(b => b).ToArray();
        CollectionAssert.AreEquivalent(Enumerable.Range(0, 10).Select(i => (float)i).ToArray(), epoch0, "each sample once per epoch");
        CollectionAssert.AreEquivalent(epoch0, epoch1);
        CollectionAssert.AreNotEqual(epoch0, epoch1, "a fresh permutation each epoch");
        CollectionAssert.AreNotEqual(Enumerable.Range(0, 10).Select(i => (float)i).ToArray(), epoch0, "shuffled");

        var (model2, probe2) = ProbedMlp();
        model2.Fit(x, y, batchSize: 4, epochs: 1, verbose: 0, shuffle: false);
        CollectionAssert.AreEqual(Enumerable.Range(0, 10).Select(i => (float)i).ToArray(), probe2.Batches.SelectMany(b => b).ToArray());
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => model2.Fit(x, y, batchSize: -3, verbose: 0)).Message, "batchSize=-3");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => model2.Evaluate(x, y, batchSize: 0, verbose: 0)).Message, "batchSize=0");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => model2.Predict(x, batchSize: 0)).Message, "batchSize=0");
    }

    [TestMethod]
    public void SameSeeds_SameWeights_OtherShuffleSeed_OtherWeights()
    {
        var (x, y) = Blobs(40, 2);
        List<NDArray> Train(uint fitSeed)
        {
            Backend.ClearSession();
            Backend.SetRandomSeed(11);
            var m = Mlp();
            m.Fit(x, y, batchSize: 8, epochs: 2, verbose: 0, seed: fitSeed);
            return m.GetWeights();
        }
        var a = Train(1);
        var b = Train(1);
        var c = Train(2);
        for (int i = 0; i < a.Count; i++) CollectionAssert.AreEqual(a[i].Float32Data, b[i].Float32Data);
        Assert.IsTrue(Enumerable.Range(0, a.Count).Any(i => !a[i].Float32Data.SequenceEqual(c[i].Float32Data)));
    }

    private static bool IsFloat32(double v) => BitConverter.DoubleToInt64Bits((float)v) == BitConverter.DoubleToInt64Bits(v);

    [TestMethod]
    public void Logs_AreFloat32RunningMeans_WithKerasKeys_AndRegularizationInTheLoss()
    {
        var (x, y) = Blobs(12, 4);
        var model = Mlp(["acc"], reg: new L2(0.01));
        var history = model.Fit(x, y, batchSize: 5, epochs: 2, verbose: 0, validationSplit: 0.25, seed: 1);
        CollectionAssert.AreEqual(new[] { "loss", "acc", "val_loss", "val_acc" }, history.HistoryData.Keys.ToArray());
        foreach (var (k, vs) in history.HistoryData)
            foreach (var v in vs) Assert.IsTrue(IsFloat32(v), $"{k} = {v:R} is a float32 value");

        // Evaluate = mean per-sample CE (from the logits: the output is a softmax) + 0.01·Σw² of the hidden kernel.
        var eval = model.Evaluate(x, y, batchSize: 12, verbose: 0);
        var p = model.Predict(x);
        double ce = 0;
        for (int i = 0; i < 12; i++) ce -= Math.Log(p.GetDouble(i, i % 2));
        ce /= 12;
        var kernel = model.Layers[1].Weights[0].Numpy();
        double penalty = 0;
        foreach (float w in kernel.Float32Data) penalty += 0.01 * w * w;
        Assert.AreEqual(ce + penalty, eval[0], 1e-5);
        double correct = Enumerable.Range(0, 12).Count(i => (p.GetDouble(i, 1) > p.GetDouble(i, 0) ? 1 : 0) == i % 2);
        Assert.AreEqual(correct / 12, eval[1], 1e-7);
    }

    [TestMethod]
    public void ValidationSplit_TakesTheLastRowsBeforeShuffling()
    {
        var (x, y) = Blobs(8, 5);
        var model = Mlp();
        var h = model.Fit(x, y, batchSize: 8, epochs: 1, verbose: 0, validationSplit: 0.25, seed: 1);
        // Validation runs after the epoch's updates on the last 2 rows: what Evaluate on those rows sees now.
        var eval = model.Evaluate(x.Slice(6, 8), y.Slice(6, 8), verbose: 0);
        Assert.AreEqual(eval[0], h.HistoryData["val_loss"][0], 1e-6);
        Assert.AreEqual(eval[1], h.HistoryData["val_accuracy"][0], 1e-7);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => model.Fit(x, y, verbose: 0, validationSplit: 1.0)).Message, "validation_split=1");
    }

    [TestMethod]
    public void ValidationFreq_AndValidationBatchSize()
    {
        var (x, y) = Blobs(8, 12);
        var model = Mlp();
        var rec = new Recorder();
        var h = model.Fit(x, y, batchSize: 8, epochs: 4, verbose: 0, validationData: (x, y), validationFreq: 2, validationBatchSize: 3, callbacks: [rec], seed: 1);
        Assert.AreEqual(2, h.HistoryData["val_loss"].Count, "validation after epochs 2 and 4 only");
        Assert.AreEqual(2 * 3, rec.Calls.Count(c => c.StartsWith("test_batch_end", StringComparison.Ordinal)), "8 rows in batches of 3");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => model.Fit(x, y, verbose: 0, validationFreq: 0)).Message, "validation_freq=0");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => model.Fit(x.Slice(0, 0), y.Slice(0, 0), verbose: 0)).Message, "non-empty");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => model.Evaluate(x.Slice(0, 0), y.Slice(0, 0), verbose: 0)).Message, "non-empty");
    }

    [TestMethod]
    public void InitialEpoch_RunsTheRemainingEpochs()
    {
        var (x, y) = Blobs(8, 6);
        var model = Mlp();
        var h = model.Fit(x, y, batchSize: 4, epochs: 4, initialEpoch: 2, verbose: 0, seed: 1);
        CollectionAssert.AreEqual(new[] { 2, 3 }, h.Epoch);
        Assert.AreEqual(2, h.HistoryData["loss"].Count);
    }

    [TestMethod]
    public void SoftmaxOutput_LossComesFromTheLogits_OtherOutputsAreRenormalizedAndClipped()
    {
        // Saturated softmax: logits (100, -100) for a sample of class 1. From the logits the loss is 200;
        // from clipped probabilities it would be -log(1e-7) = 16.1.
        var input = Layers.Input([1]);
        var dense = new Dense(2, activation: "softmax");
        var model = new Model(input, dense.Call(input));
        model.Compile("sgd", "categorical_crossentropy");
        dense.Weights[0].Assign(ND.Of(new float[] { 100, -100 }, 1, 2));
        var x = ND.Of(new float[] { 1 }, 1, 1);
        var y = ND.Of(new float[] { 0, 1 }, 1, 2);
        Assert.AreEqual(200.0, model.Evaluate(x, y, verbose: 0)[0], 1e-3);

        // Linear outputs (0.2, 0.6): probabilities renormalized to (0.25, 0.75), so the loss of class 0 is -log 0.25.
        Backend.ClearSession();
        var input2 = Layers.Input([1]);
        var linear = new Dense(2, useBias: false);
        var model2 = new Model(input2, linear.Call(input2));
        model2.Compile("sgd", "categorical_crossentropy");
        linear.Weights[0].Assign(ND.Of(new float[] { 0.2f, 0.6f }, 1, 2));
        Assert.AreEqual(-Math.Log(0.25), model2.Evaluate(x, ND.Of(new float[] { 1, 0 }, 1, 2), verbose: 0)[0], 1e-6);
        // ... and clipped to 1e-7 where a probability is 0.
        linear.Weights[0].Assign(ND.Of(new float[] { 0f, 0.6f }, 1, 2));
        Assert.AreEqual(-Math.Log(1e-7), model2.Evaluate(x, ND.Of(new float[] { 1, 0 }, 1, 2), verbose: 0)[0], 1e-4);
    }

    [TestMethod]
    public void SparseLabels_GiveTheSameLossAndAccuracyAsOneHot()
    {
        var (x, y) = Blobs(10, 7);
        var model = Mlp();
        var dense = model.Evaluate(x, y, verbose: 0);
        model.Compile(model.Optimizer!, "sparse_categorical_crossentropy", ["accuracy"]);
        var labels = ND.Zeros([10, 1]);
        for (int i = 0; i < 10; i++) labels.SetFlat(i, i % 2);
        var sparse = model.Evaluate(x, labels, verbose: 0);
        Assert.AreEqual(dense[0], sparse[0], 1e-6);
        Assert.AreEqual(dense[1], sparse[1]);
        var flat = labels.Reshape(10);
        CollectionAssert.AreEqual(sparse, model.Evaluate(x, flat, verbose: 0));
        var bad = ND.Of(new float[] { 0, 1, 2, 0, 1, 0, 1, 0, 1, 0 }, 10);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => model.Evaluate(x, bad, verbose: 0)).Message, "[0, 2)");
    }

    [TestMethod]
    public void BatchNorm_TrainingStepUpdatesMovingStatistics_WithBesselFor4D()
    {
        var input = Layers.Input([2, 2, 1]);
        var bn = new BatchNormalization();
        var model = new Model(input, new Dense(2, activation: "softmax").Call(new Flatten().Call(bn.Call(input))));
        model.Compile(new SGD(0.0), "categorical_crossentropy");
        var x = ND.Of(new float[] { 1, 2, 3, 4, 5, 6, 7, 8 }, 2, 2, 2, 1);
        var y = ND.Of(new float[] { 1, 0, 0, 1 }, 2, 2);
        model.TrainOnBatch(x, y);
        // m = 8 values, mean 4.5, biased variance 5.25, Bessel-corrected 6.
        Assert.AreEqual(0.01 * 4.5, bn.Weights[2].Numpy().GetFlat(0), 1e-6);
        Assert.AreEqual(0.99 + 0.01 * 6.0, bn.Weights[3].Numpy().GetFlat(0), 1e-6);
        // Evaluate and Predict run in inference mode: the moving statistics do not move.
        model.Evaluate(x, y, verbose: 0);
        model.Predict(x);
        Assert.AreEqual(0.01 * 4.5, bn.Weights[2].Numpy().GetFlat(0), 1e-6);
    }

    [TestMethod]
    public void Predict_InBatches_EqualsOneBatch_AndIgnoresDropout()
    {
        var input = Layers.Input([3]);
        var h = new Dropout(0.5).Call(new Dense(8, activation: "relu").Call(input));
        var model = new Model(input, new Dense(3, activation: "softmax").Call(h));
        var x = ND.Zeros([7, 3]);
        for (int i = 0; i < x.Size; i++) x.SetFlat(i, Math.Sin(i));
        var a = model.Predict(x, batchSize: 2);
        var b = model.Predict(x, batchSize: 7);
        CollectionAssert.AreEqual(b.Float32Data, a.Float32Data);
        CollectionAssert.AreEqual(model.Call(Tensor.FromNDArray(x), training: false).ToArray(), a.Float32Data);
    }

    [TestMethod]
    public void FrozenLayer_KeepsItsWeights()
    {
        var (x, y) = Blobs(8, 8);
        var model = Mlp();
        var hidden = model.Layers[1];
        hidden.Trainable = false;
        var before = hidden.Weights.Select(w => w.Numpy().Float32Data.ToArray()).ToList();
        var outBefore = model.Layers[2].Weights[0].Numpy().Float32Data.ToArray();
        model.Fit(x, y, batchSize: 4, epochs: 1, verbose: 0, seed: 1);
        for (int i = 0; i < before.Count; i++) CollectionAssert.AreEqual(before[i], hidden.Weights[i].Numpy().Float32Data);
        CollectionAssert.AreNotEqual(outBefore, model.Layers[2].Weights[0].Numpy().Float32Data);
        Assert.AreEqual(2, hidden.NonTrainableWeights.Count);
        Assert.AreEqual(0, hidden.TrainableWeights.Count);
    }

    /// <summary>Batch i is (x[i], y[i]) of a fixed set; counts requests and epoch ends.</summary>
    private sealed class Batches((NDArray X, NDArray Y)[] batches) : Sequence
    {
        public int EpochEnds;
        public override int Count => batches.Length;
        public override (NDArray X, NDArray? Y) GetItem(int index)
        {
            Thread.Sleep(index % 3); // finish out of order on several workers
            return batches[index];
        }
        public override void OnEpochEnd() => EpochEnds++;
    }

    [TestMethod]
    public void FitOverSequence_WorkersDoNotChangeTheResult_StepsPerEpochCycles()
    {
        var (x, y) = Blobs(24, 9);
        var parts = Enumerable.Range(0, 6).Select(i => (x.Slice(i * 4, i * 4 + 4), y.Slice(i * 4, i * 4 + 4))).ToArray();
        List<NDArray> Train(int workers, out Batches seq, out History h)
        {
            Backend.ClearSession();
            Backend.SetRandomSeed(5);
            var m = Mlp();
            seq = new Batches(parts);
            h = m.Fit(seq, epochs: 2, verbose: 0, workers: workers, stepsPerEpoch: 8, seed: 4);
            return m.GetWeights();
        }
        var one = Train(1, out var s1, out var h1);
        var four = Train(4, out var s4, out _);
        for (int i = 0; i < one.Count; i++) CollectionAssert.AreEqual(one[i].Float32Data, four[i].Float32Data);
        Assert.AreEqual(2, s1.EpochEnds);
        Assert.AreEqual(2, s4.EpochEnds);
        Assert.AreEqual(2, h1.HistoryData["loss"].Count);
    }

    [TestMethod]
    public void TerminateOnNaN_StopsAfterTheBatch()
    {
        var (x, y) = Blobs(8, 10);
        x.SetDouble(double.NaN, 0, 0);
        var model = Mlp();
        var rec = new Recorder();
        var output = new StringWriter();
        var h = model.Fit(x, y, batchSize: 2, epochs: 3, verbose: 0, shuffle: false, callbacks: [new TerminateOnNaN(output), rec]);
        Assert.AreEqual("Batch 0: Invalid loss, terminating training\n", output.ToString().Replace("\r\n", "\n"));
        CollectionAssert.AreEqual(new[] { "train_begin", "epoch_begin 0", "batch_begin 0", "batch_end 0 loss,accuracy", "epoch_end 0 loss,accuracy", "train_end loss,accuracy" }, rec.Calls);
        Assert.IsTrue(double.IsNaN(h.HistoryData["loss"][0]));
    }

    [TestMethod]
    public void Verbose1_PrintsEpochLinesAndBars_Verbose2_OneLinePerEpoch()
    {
        var (x, y) = Blobs(6, 11);
        var model = Mlp();
        var sw = new StringWriter();
        double t = 0;
        var logger = new ProgbarLogger(sw, dynamicDisplay: false) { Clock = () => t += 1 };
        var batchLogs = new List<Dictionary<string, double>>();
        var keep = new KeepLogs(batchLogs);
        var h = model.Fit(x, y, batchSize: 4, epochs: 2, verbose: 1, callbacks: [logger, keep], validationData: (x, y), seed: 2);
        static string F(double v) => Progbar.FormatValue(v, absolute: true);
        // Clock: bar created at 1, batch 1 at 2, batch 2 at 3, final at 4 (epoch 1); 5..8 (epoch 2).
        string expected = "";
        for (int e = 0; e < 2; e++)
        {
            var b1 = batchLogs[e * 2];
            expected += $"Epoch {e + 1}/2\n" +
                $"\n1/2 [==============>...............] - ETA: 1s - loss: {F(b1["loss"])} - accuracy: {F(b1["accuracy"])}" +
                $"\n2/2 [==============================] - ETA: 0s - loss: {F(batchLogs[e * 2 + 1]["loss"])} - accuracy: {F(batchLogs[e * 2 + 1]["accuracy"])}" +
                $"\n2/2 [==============================] - 3s 2s/step - loss: {F(h.HistoryData["loss"][e])} - accuracy: {F(h.HistoryData["accuracy"][e])}" +
                $" - val_loss: {F(h.HistoryData["val_loss"][e])} - val_accuracy: {F(h.HistoryData["val_accuracy"][e])}\n";
        }
        Assert.AreEqual(expected, sw.ToString().Replace("\r\n", "\n"));

        var sw2 = new StringWriter();
        t = 0;
        var h2 = model.Fit(x, y, batchSize: 4, epochs: 1, verbose: 2, callbacks: [new ProgbarLogger(sw2) { Clock = () => t += 1 }], seed: 2);
        // verbose 2: the bar made at t=1 is only updated at the epoch's end, t=2.
        static string F2(double v) => Progbar.FormatValue(v, absolute: false);
        Assert.AreEqual($"2/2 - 1s - loss: {F2(h2.HistoryData["loss"][0])} - accuracy: {F2(h2.HistoryData["accuracy"][0])}\n", sw2.ToString());
    }

    private sealed class KeepLogs(List<Dictionary<string, double>> store) : Callback
    {
        public override void OnTrainBatchEnd(int batch, Dictionary<string, double> logs) => store.Add(new Dictionary<string, double>(logs));
    }
}
