using NumSharp;
using ResNetKeras.Keras;
using EngineRandomState = ResNetKeras.Engine.RandomState;

namespace ResNetKeras.Tests.Engine;

/// <summary>
/// What a user writes with <c>using ResNetKeras.Keras; using NumSharp;</c> (this file imports nothing else from the
/// library): data made and prepared with np. calls goes into Fit, Evaluate, Predict and ImageDataGenerator.Flow, and
/// NumSharp arrays come back.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class NumSharpInteropTests
{
    [TestInitialize]
    public void Reset() => Backend.ClearSession();

    [TestMethod]
    public void FitEvaluatePredict_TakeAndReturnNumSharpArrays()
    {
        ResNetKeras.Keras.Utils.SetRandomSeed(3);
        var rs = np.random.RandomState(7);
        var raw = rs.randint(0, 256, new Shape(64, 4, 4, 3), np.uint8);
        var x = raw.astype(np.float32) / 255;
        var mean = np.mean(x, axis: 0);
        np.subtract(x, mean, @out: x);
        // The label is whether the image's red channel is brighter than its mean over the dataset.
        var red = np.mean(x[":, :, :, 0"], axis: new[] { 1, 2 });
        var labels = (red > 0).astype(np.int32);
        var y = ResNetKeras.Keras.Utils.ToCategorical(labels, 2);
        Assert.AreEqual(np.float32, y.dtype);
        CollectionAssert.AreEqual(new long[] { 64, 2 }, y.shape);

        var inputs = Layers.Input(shape: [4, 4, 3]);
        var h = new Flatten().Call(inputs);
        var outputs = new Dense(2, activation: "softmax").Call(h);
        var model = new Model(inputs, outputs);
        model.Compile(new Adam(learningRate: 0.05), "categorical_crossentropy", ["accuracy"]);
        var history = model.Fit(x, y, batchSize: 16, epochs: 30, verbose: 0, validationData: (x["0:16"], y["0:16"]));
        Assert.IsTrue(history.HistoryData["accuracy"][^1] > 0.9, string.Join(", ", history.HistoryData["accuracy"]));

        var scores = model.Evaluate(x, y, verbose: 0);
        NDArray p = model.Predict(x, batchSize: 10);
        CollectionAssert.AreEqual(new long[] { 64, 2 }, p.shape);
        Assert.AreEqual(np.float32, p.dtype);
        // np.argmax of the predictions agrees with the accuracy Evaluate reports.
        var hits = (np.argmax(p, axis: 1) == np.argmax(y, axis: 1)).astype(np.float64);
        Assert.AreEqual(scores[1], (double)np.mean(hits), 1e-6);
        // Rows sum to one (softmax), computed with NumSharp.
        var sums = np.sum(p, axis: 1);
        Assert.IsTrue((bool)np.allclose(sums, np.ones(new Shape(64), np.float32), atol: 1e-5));
    }

    [TestMethod]
    public void Flow_AcceptsAndYieldsNumSharpArrays_AndFitDisposesItsBatches()
    {
        var x = np.arange(24 * 2 * 2 * 1).astype(np.float32).reshape(24, 2, 2, 1);
        var y = np.arange(24).astype(np.float32);
        var flow = new ImageDataGenerator().Flow(x, y, batchSize: 5, shuffle: false);
        Assert.IsTrue(flow.YieldsTemporaries);
        var (bx, by) = flow.GetItem(1);
        CollectionAssert.AreEqual(new long[] { 5, 2, 2, 1 }, bx.shape);
        Assert.AreEqual(np.float32, bx.dtype);
        // Batch 1 holds samples 5..9 unchanged (no augmentation): the same values as x[5:10].
        Assert.IsTrue((bool)np.array_equal(bx, x["5:10"]));
        Assert.IsTrue((bool)np.array_equal(by!, y["5:10"]));
        // The batches Flow hands to Fit are its own temporaries: Fit releases them after each step.
        var recording = new RecordingSequence(flow);
        var inputs = Layers.Input(shape: [2, 2, 1]);
        var model = new Model(inputs, new Dense(1).Call(new Flatten().Call(inputs)));
        model.Compile(new SGD(learningRate: 1e-4), "mse");
        model.Fit(recording, epochs: 1, verbose: 0, shuffle: false);
        Assert.AreEqual(5, recording.Handed.Count);
        Assert.IsTrue(recording.Handed.All(a => a.IsDisposed), "every batch Fit trained on was disposed");
        Assert.IsFalse(x.IsDisposed, "the user's array is never disposed");
    }

    [TestMethod]
    public void EngineRandomState_DrawsNumSharpsLegacyStream()
    {
        // NumSharp's np.random.RandomState is NumPy's legacy stream; the engine keeps its own MT19937 for scalar draws
        // (see README, "NumSharp"), and both must agree draw for draw.
        var ours = new EngineRandomState(1);
        var theirs = np.random.RandomState(1);
        var u = theirs.uniform(-1.0, 1.0, new Shape(50)).ToArray<double>();
        for (int i = 0; i < u.Length; i++) Assert.AreEqual(u[i], ours.Uniform(-1, 1), $"uniform {i}");
        var perm = theirs.permutation(100).ToArray<long>();
        CollectionAssert.AreEqual(perm, ours.Permutation(100).Select(v => (long)v).ToArray());
        var ints = theirs.randint(0, 7, new Shape(20)).ToArray<long>();
        for (int i = 0; i < ints.Length; i++) Assert.AreEqual(ints[i], ours.RandInt(0, 7), $"randint {i}");
        var normals = theirs.normal(0.0, 1.0, new Shape(11)).ToArray<double>();
        for (int i = 0; i < normals.Length; i++) Assert.AreEqual(normals[i], ours.Normal(0, 1), 1e-15, $"normal {i}");
    }

    private sealed class RecordingSequence(Sequence inner) : Sequence
    {
        public List<NDArray> Handed { get; } = [];

        public override int Count => inner.Count;

        public override bool YieldsTemporaries => inner.YieldsTemporaries;

        public override (NDArray X, NDArray? Y) GetItem(int index)
        {
            var (x, y) = inner.GetItem(index);
            Handed.Add(x);
            return (x, y);
        }
    }
}
