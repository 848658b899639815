using ResNetKeras.Engine;
using ResNetKeras.IO.Hdf5;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Keras;

/// <summary>keras.Sequential: built from an InputLayer or from the first batch, trained, summarized, saved and loaded.</summary>
[TestClass]
[DoNotParallelize]
public sealed class SequentialTests
{
    [TestInitialize]
    public void Reset() => Backend.ClearSession();

    /// <summary>Images whose class is the quadrant holding a bright square: learnable by a small convnet in a few epochs.</summary>
    private static (NDArray X, NDArray Y) Quadrants(int n, uint seed)
    {
        var rng = new RandomState(seed);
        var x = ND.Zeros([n, 28, 28, 1]);
        var y = ND.Zeros([n, 4]);
        for (int i = 0; i < n; i++)
        {
            int q = (int)rng.Interval(3);
            y.SetDouble(1, i, q);
            int r0 = (q / 2) * 14 + 3, c0 = (q % 2) * 14 + 3;
            for (int r = 0; r < 8; r++)
                for (int c = 0; c < 8; c++) x.SetDouble(1.0, i, r0 + r, c0 + c, 0);
            for (int p = 0; p < 40; p++) x.SetDouble(rng.NextDouble(), i, (int)rng.Interval(27), (int)rng.Interval(27), 0);
        }
        return (x, y);
    }

    [TestMethod]
    public void IssueSnippet_SimpleConvnet_Learns()
    {
        Backend.SetRandomSeed(1);
        var model = new Sequential([
            new InputLayer(shape: [28, 28, 1]),
            new Conv2D(8, kernelSize: 3, activation: "relu"),
            new MaxPooling2D(poolSize: 2),
            new Flatten(),
            new Dropout(0.5),
            new Dense(4, activation: "softmax"),
        ]);
        model.Compile(optimizer: "adam", loss: "categorical_crossentropy", metrics: ["accuracy"]);
        var (x, y) = Quadrants(240, 2);
        var history = model.Fit(x, y, batchSize: 32, epochs: 4, validationSplit: 0.1, verbose: 0, seed: 3);
        var loss = history.HistoryData["loss"];
        Assert.IsTrue(loss[^1] < 0.5 * loss[0], $"loss {string.Join(", ", loss)}");
        Assert.IsTrue(history.HistoryData["val_accuracy"][^1] > 0.6, $"val_accuracy {history.HistoryData["val_accuracy"][^1]} (chance 0.25)");
        Assert.AreEqual("sequential", model.Name);
        Assert.AreEqual(5, model.Layers.Count, "model.layers leaves out the InputLayer, as Keras");
    }

    [TestMethod]
    public void Summary_IsKerasSequentialTable_WithoutAnInputRow()
    {
        var model = new Sequential([new InputLayer(shape: [2]), new Dense(4, activation: "relu"), new Dense(1)]);
        var text = model.SummaryText();
        string expected =
            "Model: \"sequential\"\n" +
            "_________________________________________________________________\n" +
            "Layer (type)                 Output Shape              Param #   \n" +
            "=================================================================\n" +
            "dense (Dense)                (None, 4)                 12        \n" +
            "_________________________________________________________________\n" +
            "dense_1 (Dense)              (None, 1)                 5         \n" +
            "=================================================================\n" +
            "Total params: 17\n" +
            "Trainable params: 17\n" +
            "Non-trainable params: 0\n" +
            "_________________________________________________________________\n";
        Assert.AreEqual(expected, text);
    }

    [TestMethod]
    public void WithoutInputLayer_BuildsOnTheFirstBatch()
    {
        var model = new Sequential(name: "deferred");
        model.Add(new Dense(3, activation: "relu"));
        model.Add(new Dense(2, activation: "softmax"));
        Assert.IsFalse(model.Built);
        var e = Assert.ThrowsExactly<InvalidOperationException>(() => model.Summary());
        StringAssert.Contains(e.Message, "has not yet been built");
        var y = model.Predict(ND.Zeros([5, 7]));
        CollectionAssert.AreEqual(new[] { 5, 2 }, y.IntShape);
        Assert.IsTrue(model.Built);
        Assert.AreEqual(7 * 3 + 3 + 3 * 2 + 2, model.CountParams());
    }

    [TestMethod]
    public void Add_RejectsALateInputLayerAndDuplicateNames()
    {
        var model = new Sequential([new InputLayer(shape: [2]), new Dense(1, name: "d")]);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => model.Add(new InputLayer(shape: [2]))).Message, "can only be the first layer");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => model.Add(new Dense(1, name: "d"))).Message, "unique names");
        var popped = model.Pop();
        Assert.AreEqual("d", popped.Name);
        Assert.AreEqual(0, model.Layers.Count);
    }

    [TestMethod]
    public void SaveAndLoad_KeepsSequentialClassWeightsAndPredictions()
    {
        Backend.SetRandomSeed(5);
        var model = new Sequential([new InputLayer(shape: [3]), new Dense(4, activation: "tanh"), new Dense(2, activation: "softmax")]);
        model.Compile("sgd", "categorical_crossentropy");
        var x = ND.Zeros([4, 3]);
        for (int i = 0; i < x.Size; i++) x.SetFlat(i, Math.Cos(i));
        string path = Path.Combine(Path.GetTempPath(), $"seq_{Guid.NewGuid():N}.h5");
        try
        {
            model.Save(path);
            var f = H5File.Open(path);
            StringAssert.Contains(f.Root.Attributes["model_config"].ReadString(), "\"class_name\":\"Sequential\"");
            var names = f.Root.Group("model_weights").Attributes["layer_names"].ReadStrings();
            CollectionAssert.AreEqual(new[] { "dense", "dense_1" }, names, "tf.keras writes model.layers, without the InputLayer");
            Backend.ClearSession();
            var loaded = Models.LoadModel(path);
            Assert.IsInstanceOfType<Sequential>(loaded);
            CollectionAssert.AreEqual(model.Predict(x).Float32Data, loaded.Predict(x).Float32Data);
            Assert.AreEqual(model.ToJson(), loaded.ToJson());
        }
        finally { File.Delete(path); }
    }
}
