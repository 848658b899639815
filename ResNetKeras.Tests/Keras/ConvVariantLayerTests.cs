using System.Text.Json;
using ResNetKeras.Engine;
using ResNetKeras.IO;
using ResNetKeras.Keras;
using ResNetKeras.Ops;

namespace ResNetKeras.Tests.Keras;

/// <summary>
/// The issue-17 convolution, resizing and normalization layers: Keras's weight layouts and output shapes, config
/// round-trips through LayerFactory, HDF5 save/load, training-only behaviour and a convolutional autoencoder that learns.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class ConvVariantLayerTests
{
    [TestInitialize]
    public void Setup()
    {
        Backend.ClearSession();
        Backend.SetRandomSeed(17);
    }

    private static string Json(Layer layer) => JsonSerializer.Serialize(layer.GetConfig());

    private static Layer RoundTrip(Layer layer)
    {
        using var doc = JsonDocument.Parse(Json(layer));
        var copy = LayerFactory.Create(layer.ClassName, doc.RootElement);
        Assert.AreEqual(layer.GetType(), copy.GetType());
        Assert.AreEqual(Json(layer), Json(copy), $"{layer.ClassName} config round-trip");
        return copy;
    }

    private static IEnumerable<(Layer Layer, int[] Input)> AllLayers() =>
    [
        (new Conv2D(6, (3, 2), padding: "same", activation: "relu", dilationRate: (2, 1), groups: 3, name: "c2"), [9, 9, 3]),
        (new Conv2DTranspose(4, 3, strides: 2, padding: "same", outputPadding: (1, 0), useBias: false, name: "ct"), [4, 5, 2]),
        (new DepthwiseConv2D(3, strides: 2, padding: "same", depthMultiplier: 2, activation: "tanh", name: "dw"), [8, 8, 3]),
        (new SeparableConv2D(5, 3, dilationRate: 2, depthMultiplier: 2, padding: "valid", name: "sep"), [9, 9, 2]),
        (new Conv1D(4, 3, padding: "causal", dilationRate: 2, groups: 2, name: "c1"), [10, 2]),
        (new UpSampling2D((2, 3), interpolation: "bilinear", name: "up"), [4, 4, 2]),
        (new Cropping2D((1, 2), (0, 3), name: "crop"), [8, 8, 2]),
        (new SpatialDropout2D(0.3, seed: 5, name: "sd"), [4, 4, 2]),
        (new LayerNormalization(axis: [-2, -1], epsilon: 1e-5, center: false, name: "ln"), [4, 3]),
        (new Resizing(5, 7, interpolation: "nearest", cropToAspectRatio: true, name: "rs"), [8, 6, 3]),
    ];

    [TestMethod]
    public void EveryLayer_ConfigRoundTripsThroughLayerFactory()
    {
        foreach (var (layer, input) in AllLayers())
        {
            layer.Call(Layers.Input(input));
            RoundTrip(layer);
        }
    }

    [TestMethod]
    public void PaddingAndCroppingConfigs_ReadKerasThreeForms()
    {
        foreach (var (cls, key) in new[] { ("ZeroPadding2D", "padding"), ("Cropping2D", "cropping") })
        {
            (int, int, int, int) Read(string value)
            {
                using var doc = JsonDocument.Parse($"{{\"name\": \"p\", \"{key}\": {value}}}");
                var layer = LayerFactory.Create(cls, doc.RootElement);
                return layer switch
                {
                    ZeroPadding2D z => (z.Rows.Top, z.Rows.Bottom, z.Cols.Left, z.Cols.Right),
                    Cropping2D c => (c.Rows.Top, c.Rows.Bottom, c.Cols.Left, c.Cols.Right),
                    _ => throw new AssertFailedException(layer.ClassName),
                };
            }
            Assert.AreEqual((1, 2, 0, 3), Read("[[1, 2], [0, 3]]"), cls);
            Assert.AreEqual((2, 2, 1, 1), Read("[2, 1]"), cls);
            Assert.AreEqual((3, 3, 3, 3), Read("3"), cls);
            StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => Read("[[1, 2], 3]")).Message, "((top, bottom), (left, right))");
            using var missing = JsonDocument.Parse("{\"name\": \"p\"}");
            StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => LayerFactory.Create(cls, missing.RootElement)).Message, $"`{key}` is missing");
            using var first = JsonDocument.Parse($"{{\"name\": \"p\", \"{key}\": 1, \"data_format\": \"channels_first\"}}");
            StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => LayerFactory.Create(cls, first.RootElement)).Message, "channels_first");
        }
    }

    [TestMethod]
    public void ChannelsFirstConfig_IsRefusedNotSilentlyReadAsChannelsLast()
    {
        using var doc = JsonDocument.Parse("{\"name\": \"up\", \"size\": [2, 2], \"data_format\": \"channels_first\"}");
        var ex = Assert.ThrowsExactly<InvalidDataException>(() => LayerFactory.Create("UpSampling2D", doc.RootElement));
        StringAssert.Contains(ex.Message, "channels_first");
        StringAssert.Contains(ex.Message, "channels_last");
    }

    [TestMethod]
    public void Shapes_And_WeightLayouts_AreKeras()
    {
        var layers = AllLayers().ToList();
        int[][] expected =
        [
            [-1, 9, 9, 6], [-1, 8, 9, 4], [-1, 4, 4, 6], [-1, 5, 5, 5], [-1, 10, 4],
            [-1, 8, 12, 2], [-1, 5, 5, 2], [-1, 4, 4, 2], [-1, 4, 3], [-1, 5, 7, 3],
        ];
        for (int i = 0; i < layers.Count; i++)
            CollectionAssert.AreEqual(expected[i], layers[i].Layer.Call(Layers.Input(layers[i].Input)).Shape, layers[i].Layer.Name);
        int[][] Shapes(int i) => layers[i].Layer.Weights.Select(w => w.Value.Shape).ToArray();
        void Same(int[][] want, int i) { Assert.AreEqual(want.Length, Shapes(i).Length, layers[i].Layer.Name); for (int k = 0; k < want.Length; k++) CollectionAssert.AreEqual(want[k], Shapes(i)[k], layers[i].Layer.Name); }
        Same([[3, 2, 1, 6], [6]], 0);               // grouped HWIO: in / groups
        Same([[3, 3, 4, 2]], 1);                    // Conv2DTranspose: (kh, kw, filters, in)
        Same([[3, 3, 3, 2], [6]], 2);               // depthwise (kh, kw, in, multiplier)
        Same([[3, 3, 2, 2], [1, 1, 4, 5], [5]], 3); // depthwise, pointwise, bias
        Same([[3, 1, 4], [4]], 4);                  // Conv1D (k, in / groups, filters)
        Same([[4, 3]], 8);                          // gamma only (center=False)
        StringAssert.EndsWith(layers[3].Layer.Weights[0].Name, "sep/depthwise_kernel:0");
        StringAssert.EndsWith(layers[3].Layer.Weights[1].Name, "sep/pointwise_kernel:0");
    }

    [TestMethod]
    public void ConfigKeys_AreKeras()
    {
        var c = new Conv2D(4, 3, dilationRate: 2, groups: 2).GetConfig();
        CollectionAssert.AreEqual(new object[] { 2, 2 }, (object[])c["dilation_rate"]!);
        Assert.AreEqual(2, c["groups"]);
        var t = new Conv2DTranspose(3, 2).GetConfig();
        Assert.IsNull(t["output_padding"]);
        Assert.IsFalse(t.ContainsKey("groups"));
        var d = new DepthwiseConv2D(3).GetConfig();
        Assert.AreEqual(1, d["depth_multiplier"]);
        Assert.IsTrue(d.ContainsKey("depthwise_initializer"));
        var l = new LayerNormalization().GetConfig();
        Assert.AreEqual(-1, l["axis"]);
        Assert.AreEqual(1e-3, l["epsilon"]);
        var u = new UpSampling2D().GetConfig();
        CollectionAssert.AreEqual(new object[] { 2, 2 }, (object[])u["size"]!);
        Assert.AreEqual("nearest", u["interpolation"]);
        var r = new Resizing(4, 5).GetConfig();
        Assert.AreEqual("bilinear", r["interpolation"]);
        Assert.AreEqual(false, r["crop_to_aspect_ratio"]);
        var k = new Cropping2D().GetConfig();
        Assert.AreEqual("[[0,0],[0,0]]", JsonSerializer.Serialize(k["cropping"]));
        var c1 = new Conv1D(2, 5).GetConfig();
        Assert.AreEqual("[5]", JsonSerializer.Serialize(c1["kernel_size"]));
    }

    [TestMethod]
    public void BadArguments_AndShapes_FailWithKerasMessages()
    {
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new Conv2D(5, 3, groups: 2)).Message,
            "The number of filters must be evenly divisible by the number of groups. Received: groups=2, filters=5");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new Conv2D(4, 3, groups: 2).Call(Layers.Input([5, 5, 3]))).Message,
            "The number of input channels must be evenly divisible by the number of groups");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new Conv2D(4, 3, strides: 2, dilationRate: 2)).Message,
            "`strides > 1` not supported in conjunction with `dilation_rate > 1`");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new Conv2DTranspose(4, 3, strides: 2, outputPadding: 2)).Message,
            "Strides must be greater than output padding");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new Cropping2D(2).Call(Layers.Input([4, 6, 1]))).Message,
            "Values in `cropping` argument should be smaller than the corresponding spatial dimension of the input");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new UpSampling2D(interpolation: "bicubic")).Message, "interpolation=bicubic");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new Resizing(0, 3)).Message, "height=0");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new SpatialDropout2D(1.0)).Message, "rate=1");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new Conv1D(2, 3, padding: "full")).Message, "padding=full");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new LayerNormalization(axis: 1).Call(Layers.Input([4, 3]))).Message, "trailing axes");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new DepthwiseConv2D(3).Call(Layers.Input([5, 5]))).Message, "found shape=(None, 5, 5)");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new DepthwiseConv2D(3, depthMultiplier: 0)).Message, "depth_multiplier=0");
    }

    [TestMethod]
    public void Model_WithEveryLayer_SavesAndLoadsWithSamePredictions()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"convvariants_{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var input = Layers.Input([8, 8, 4]);
            var h = new Conv2D(4, 3, padding: "same", dilationRate: 2, groups: 2).Call(input);
            h = new DepthwiseConv2D(3, padding: "same", depthMultiplier: 2).Call(h);
            h = new SeparableConv2D(4, 3, padding: "same").Call(h);
            h = new SpatialDropout2D(0.5).Call(h);
            h = new Conv2DTranspose(3, 3, strides: 2, padding: "same").Call(h);
            h = new Cropping2D((2, 2)).Call(h);
            h = new UpSampling2D(2, interpolation: "bilinear").Call(h);
            h = new LayerNormalization().Call(h);
            var model = new Model(input, new Resizing(6, 6).Call(h));
            var rng = new RandomState(3);
            var x = ND.Of(Enumerable.Range(0, 2 * 8 * 8 * 4).Select(_ => (float)rng.Uniform(-1, 1)).ToArray(), 2, 8, 8, 4);
            // Parameters: grouped conv 3·3·2·4 + 4, depthwise 3·3·4·2 + 8, separable 3·3·8 + 8·4 + 4, transposed 3·3·3·4 + 3, layer norm 3 + 3.
            Assert.AreEqual(76 + 80 + 108 + 111 + 6, model.CountParams());
            var summary = model.SummaryText();
            StringAssert.Contains(summary, "Total params: 381");
            // Keras's auto names, cut at column 29 as Keras 2.6 prints them.
            foreach (var row in new[] { "conv2d_transpose (Conv2DTran (None, 16, 16, 3)         111", "depthwise_conv2d (DepthwiseC (None, 8, 8, 8)           80",
                "separable_conv2d (SeparableC (None, 8, 8, 4)           108", "up_sampling2d (UpSampling2D) (None, 24, 24, 3)         0",
                "cropping2d (Cropping2D)      (None, 12, 12, 3)         0", "layer_normalization (LayerNo (None, 24, 24, 3)         6" })
                StringAssert.Contains(summary, row);
            var expected = model.Predict(x);
            CollectionAssert.AreEqual(new[] { 2, 6, 6, 3 }, expected.IntShape);
            string path = Path.Combine(dir, "m.h5");
            model.Save(path);
            Backend.ClearSession();
            var loaded = Models.LoadModel(path, compile: false);
            CollectionAssert.AreEqual(model.Layers.Select(l => l.ClassName).ToArray(), loaded.Layers.Select(l => l.ClassName).ToArray());
            CollectionAssert.AreEqual(expected.Float32Data, loaded.Predict(x).Float32Data);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [TestMethod]
    public void Conv1D_IsTheHeightOneConv2D_AndCausalSeesOnlyThePast()
    {
        var f = Npy.LoadNpz(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Conv", "conv1d_causal_dilated.npz"));
        var layer = new Conv1D(4, 3, padding: "causal", dilationRate: 2);
        layer.Call(Layers.Input([9, 3]));
        layer.Weights[0].Assign(f["w"]);
        layer.Weights[1].Assign(f["b"]);
        var y = layer.Forward([Tensor.FromNDArray(f["x"])], training: false).ToArray();
        var e = f["y"].Float32Data;
        for (int i = 0; i < e.Length; i++) Assert.AreEqual(e[i], y[i], 1e-5f, $"element {i}");
    }

    [TestMethod]
    public void SeparableConv2D_IsDepthwiseThenPointwise_AsTorch()
    {
        var f = Npy.LoadNpz(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Conv", "separable_same.npz"));
        var layer = new SeparableConv2D(5, 3, padding: "same", depthMultiplier: 2);
        layer.Call(Layers.Input([6, 6, 3]));
        layer.Weights[0].Assign(f["dw"]);
        layer.Weights[1].Assign(f["pw"]);
        layer.Weights[2].Assign(f["b"]);
        var y = layer.Forward([Tensor.FromNDArray(f["x"])], training: false).ToArray();
        var e = f["y"].Float32Data;
        for (int i = 0; i < e.Length; i++) Assert.AreEqual(e[i], y[i], 1e-5f, $"element {i}");
    }

    [TestMethod]
    public void SpatialDropout2D_DropsWholeFeatureMaps_OnlyInTraining()
    {
        var layer = new SpatialDropout2D(0.5, seed: 11);
        var x = Tensor.FromNDArray(ND.Of(Enumerable.Range(1, 4 * 3 * 3 * 8).Select(i => (float)i).ToArray(), 4, 3, 3, 8));
        Assert.AreSame(x, layer.Forward([x], training: false));
        var y = layer.Forward([x], training: true).ToArray();
        var xs = x.ToArray();
        int dropped = 0;
        for (int n = 0; n < 4; n++)
            for (int c = 0; c < 8; c++)
            {
                bool kept = y[(n * 9) * 8 + c] != 0;
                if (!kept) dropped++;
                for (int s = 0; s < 9; s++)
                {
                    int i = (n * 9 + s) * 8 + c;
                    Assert.AreEqual(kept ? xs[i] * 2 : 0f, y[i], 1e-4f, $"sample {n} channel {c} position {s}");
                }
            }
        Assert.IsTrue(dropped > 4 && dropped < 28, $"{dropped} of 32 maps dropped at rate 0.5");
    }

    [TestMethod]
    public void UpSampling2D_Nearest_RepeatsRowsAndColumns()
    {
        var x = Tensor.FromNDArray(ND.Of([1f, 2f, 3f, 4f], 1, 2, 2, 1));
        var y = new UpSampling2D((2, 3)).Forward([x], training: false);
        CollectionAssert.AreEqual(new[] { 1, 4, 6, 1 }, y.Shape);
        CollectionAssert.AreEqual(new float[] { 1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4 }, y.ToArray());
    }

    [TestMethod]
    public void Resizing_CropToAspectRatio_CutsTheCentredWindowFirst()
    {
        // 4×6 to 2×2: the centred 4×4 window (columns 1..4), then nearest rows/columns 1 and 3 of it.
        Assert.AreEqual((0, 1, 4, 4), Resizing.AspectCrop(4, 6, 2, 2));
        Assert.AreEqual((1, 0, 3, 6), Resizing.AspectCrop(5, 6, 1, 2));
        var x = Tensor.FromNDArray(ND.Of(Enumerable.Range(0, 24).Select(i => (float)i).ToArray(), 1, 4, 6, 1));
        var y = new Resizing(2, 2, interpolation: "nearest", cropToAspectRatio: true).Forward([x], training: false);
        CollectionAssert.AreEqual(new float[] { 8, 10, 20, 22 }, y.ToArray());
    }

    [TestMethod]
    [DataRow(true)]
    [DataRow(false)]
    public void ConvolutionalAutoencoder_Learns(bool transpose)
    {
        var input = Layers.Input([8, 8, 1]);
        var h = new Conv2D(8, 3, padding: "same", activation: "relu").Call(input);
        h = new MaxPooling2D(2).Call(h);
        h = transpose
            ? new Conv2DTranspose(8, 3, strides: 2, padding: "same", activation: "relu").Call(h)
            : new UpSampling2D(2).Call(h);
        var model = new Model(input, new Conv2D(1, 3, padding: "same").Call(h));
        // Smooth blobs at random places: reconstructable through the bottleneck, far from the initial output.
        var rng = new RandomState(5);
        var data = new float[16 * 64];
        for (int n = 0; n < 16; n++)
        {
            double cy = rng.Uniform(1, 6), cx = rng.Uniform(1, 6);
            for (int i = 0; i < 8; i++)
                for (int j = 0; j < 8; j++)
                    data[n * 64 + i * 8 + j] = (float)Math.Exp(-((i - cy) * (i - cy) + (j - cx) * (j - cx)) / 4.0);
        }
        var x = ND.Of(data, 16, 8, 8, 1);
        model.Compile(optimizer: new Adam(learningRate: 1e-2), loss: "mse");
        var losses = model.Fit(x, x, batchSize: 8, epochs: 30, verbose: 0).HistoryData["loss"];
        double first = losses[0], last = losses[^1];
        Assert.IsTrue(last < 0.3 * first, $"mse fell from {first} to only {last}");
    }

    [TestMethod]
    public void Sequential_ConvolutionalAutoencoder_WithUpSampling_Fits_SavesAndLoads()
    {
        var model = new Sequential([
            new InputLayer(shape: [8, 8, 1]),
            new Conv2D(8, 3, padding: "same", activation: "relu"),
            new MaxPooling2D(poolSize: 2),
            new UpSampling2D(size: 2, interpolation: "bilinear"),
            new Conv2DTranspose(1, 3, padding: "same"),
        ]);
        var rng = new RandomState(8);
        var data = new float[16 * 64];
        for (int n = 0; n < 16; n++)
        {
            double cy = rng.Uniform(1, 6), cx = rng.Uniform(1, 6);
            for (int i = 0; i < 8; i++)
                for (int j = 0; j < 8; j++)
                    data[n * 64 + i * 8 + j] = (float)Math.Exp(-((i - cy) * (i - cy) + (j - cx) * (j - cx)) / 4.0);
        }
        var x = ND.Of(data, 16, 8, 8, 1);
        model.Compile(optimizer: new Adam(learningRate: 1e-2), loss: "mse");
        var losses = model.Fit(x, x, batchSize: 8, epochs: 30, verbose: 0).HistoryData["loss"];
        Assert.IsTrue(losses[^1] < 0.3 * losses[0], $"mse fell from {losses[0]} to only {losses[^1]}");
        string dir = Path.Combine(Path.GetTempPath(), $"seq_ae_{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            string path = Path.Combine(dir, "ae.h5");
            model.Save(path);
            var loaded = Models.LoadModel(path, compile: false);
            CollectionAssert.AreEqual(model.Predict(x).Float32Data, loaded.Predict(x).Float32Data);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
