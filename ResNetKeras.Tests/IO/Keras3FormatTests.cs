using System.IO.Compression;
using System.Text.Json;
using ResNetKeras.Engine;
using ResNetKeras.IO;
using ResNetKeras.IO.Hdf5;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.IO;

/// <summary>
/// Keras 3's files: <c>.keras</c> archives and <c>.weights.h5</c>, read (fixtures written with h5py in the layout of
/// real Keras 3.12/3.13 archives, outputs from an independent NumPy forward pass: tools/fixtures/make_keras3_fixtures.py)
/// and written (round trips, layout, damaged files, atomic saves).
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class Keras3FormatTests
{
    private static readonly string Fx = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Keras3");
    private string dir = "";

    [TestInitialize]
    public void Setup()
    {
        dir = Path.Combine(Path.GetTempPath(), $"keras3_{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        Backend.ClearSession();
    }

    [TestCleanup]
    public void Cleanup()
    {
        ResNetKeras.IO.AtomicFile.BeforeRename = null;
        Directory.Delete(dir, true);
    }

    private static void AssertClose(NDArray expected, NDArray got, double tol)
    {
        CollectionAssert.AreEqual(expected.IntShape, got.IntShape);
        var e = expected.Float32Data;
        var g = got.Float32Data;
        for (int i = 0; i < e.Length; i++) Assert.AreEqual(e[i], g[i], tol, $"element {i}");
    }

    [TestMethod]
    public void SequentialFixture_WithBatchNormAndAdamState_PredictsAsNumPy()
    {
        var model = Models.LoadModel(Path.Combine(Fx, "seq_bn.keras"));
        Assert.IsTrue(model.IsSequential);
        AssertClose(Npy.Load(Path.Combine(Fx, "seq_bn_y.npy")), model.Predict(Npy.Load(Path.Combine(Fx, "x8.npy"))), 1e-5);
        var adam = (Adam)model.Optimizer!;
        Assert.AreEqual("adam", adam.Name);
        Assert.AreEqual(7L, adam.Iterations);
        Assert.AreEqual((double)0.001f, adam.LearningRate);
        Assert.AreEqual("categorical_crossentropy", model.Loss);
        // Keras 3 order: momentum and velocity of conv2d/kernel, of conv2d/bias, ... Read them back by name here.
        using var zip = ZipFile.OpenRead(Path.Combine(Fx, "seq_bn.keras"));
        using var ms = new MemoryStream();
        using (var s = zip.GetEntry("model.weights.h5")!.Open()) s.CopyTo(ms);
        var h5 = H5File.Parse(ms.ToArray()).Root;
        var conv = model.TrainableWeights[0];
        var m = adam.SlotVariables.Single(v => v.Name == $"adam/{conv.Name[..^2]}/m:0");
        var v = adam.SlotVariables.Single(v => v.Name == $"adam/{conv.Name[..^2]}/v:0");
        CollectionAssert.AreEqual(h5.Dataset("optimizer/vars/2").Read().Float32Data, m.Numpy().Float32Data);
        CollectionAssert.AreEqual(h5.Dataset("optimizer/vars/3").Read().Float32Data, v.Numpy().Float32Data);
        var denseBias = model.TrainableWeights[^1];
        var vLast = adam.SlotVariables.Single(s => s.Name == $"adam/{denseBias.Name[..^2]}/v:0");
        CollectionAssert.AreEqual(h5.Dataset($"optimizer/vars/{2 + 2 * model.TrainableWeights.Count - 1}").Read().Float32Data, vLast.Numpy().Float32Data);
    }

    [TestMethod]
    public void FunctionalFixture_AndSeparateWeightsFile_PredictAsNumPy()
    {
        var x = Npy.Load(Path.Combine(Fx, "x6.npy"));
        var model = Models.LoadModel(Path.Combine(Fx, "func_add.keras"));
        Assert.IsFalse(model.IsSequential);
        Assert.IsNull(model.Optimizer, "no compile_config in the file");
        AssertClose(Npy.Load(Path.Combine(Fx, "func_add_y.npy")), model.Predict(x), 1e-5);
        model.LoadWeights(Path.Combine(Fx, "func_add.weights.h5"));
        AssertClose(Npy.Load(Path.Combine(Fx, "func_add_w_y.npy")), model.Predict(x), 1e-5);
        Assert.ThrowsExactly<ArgumentException>(() => model.LoadWeights(Path.Combine(Fx, "func_add.weights.h5"), byName: true));
    }

    private static (NDArray X, NDArray Y) Batch(int n, int seed)
    {
        var rng = new RandomState((uint)seed);
        var x = ND.Zeros([n, 32, 32, 3]);
        for (int i = 0; i < x.Size; i++) x.SetFlat(i, rng.Uniform(-1, 1));
        var y = ND.Zeros([n, 4]);
        for (int i = 0; i < n; i++) y.SetFlat(i * 4 + i % 4, 1);
        return (x, y);
    }

    [TestMethod]
    public void SaveKeras_LoadsBackWithIdenticalPredictions_AndResumesTrainingBitForBit()
    {
        Backend.SetRandomSeed(5);
        var model = ResNetCifar.ResNetV1([32, 32, 3], 8, numClasses: 4);
        model.Compile(new Adam(learningRate: 0.002), "categorical_crossentropy", ["accuracy"]);
        var (x, y) = Batch(4, 1);
        model.TrainOnBatch(x, y);
        model.TrainOnBatch(x, y);
        string path = Path.Combine(dir, "m.keras");
        model.Save(path);
        Assert.IsTrue(KerasArchive.IsZip(path));

        Backend.ClearSession();
        var loaded = Models.LoadModel(path);
        CollectionAssert.AreEqual(model.Predict(x).Float32Data, loaded.Predict(x).Float32Data);
        Assert.AreEqual(2L, loaded.Optimizer!.Iterations);
        Assert.AreEqual(model.Optimizer!.LearningRate, loaded.Optimizer.LearningRate);
        Assert.AreEqual(model.Layers.Count, loaded.Layers.Count);
        for (int i = 0; i < model.Layers.Count; i++) Assert.AreEqual(model.Layers[i].Name, loaded.Layers[i].Name);

        var (x2, y2) = Batch(4, 2);
        var lossA = model.TrainOnBatch(x2, y2);
        var lossB = loaded.TrainOnBatch(x2, y2);
        CollectionAssert.AreEqual(lossA, lossB);
        var a = model.GetWeights();
        var b = loaded.GetWeights();
        for (int i = 0; i < a.Count; i++) CollectionAssert.AreEqual(a[i].Float32Data, b[i].Float32Data, $"weight {i}");
        var sa = model.Optimizer.SlotVariables;
        var sb = loaded.Optimizer.SlotVariables;
        for (int i = 0; i < sa.Count; i++) CollectionAssert.AreEqual(sa[i].Numpy().Float32Data, sb[i].Numpy().Float32Data, sa[i].Name);
    }

    /// <summary>(path, shape, dtype) of every dataset and the name attribute of every vars group.</summary>
    private static SortedDictionary<string, string> Layout(H5Group g)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        void Walk(H5Group group)
        {
            foreach (var key in group.Keys)
            {
                if (group.IsGroupChild(key))
                {
                    var child = group.Group(key);
                    result[child.Path] = child.Attributes.TryGetValue("name", out var n) ? "group name=" + n.ReadString() : "group";
                    Walk(child);
                }
                else
                {
                    var d = group.Dataset(key);
                    result[d.Path] = $"{ShapeUtil.Format(d.Shape)} {d.TypeName}";
                }
            }
        }
        Walk(g);
        return result;
    }

    private static H5Group ArchiveWeights(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        using var ms = new MemoryStream();
        using (var s = zip.GetEntry("model.weights.h5")!.Open()) s.CopyTo(ms);
        return H5File.Parse(ms.ToArray(), path).Root;
    }

    [TestMethod]
    public void WrittenFiles_HaveKeras3Layout_PathsShapesDtypesAndNames()
    {
        foreach (var name in new[] { "seq_bn.keras", "func_add.keras" })
        {
            Backend.ClearSession();
            var src = Path.Combine(Fx, name);
            var model = Models.LoadModel(src);
            string ours = Path.Combine(dir, name);
            model.Save(ours);
            var expected = Layout(ArchiveWeights(src));
            var got = Layout(ArchiveWeights(ours));
            got.Remove("/vars");
            expected.Remove("/vars");
            CollectionAssert.AreEqual(expected.ToList(), got.ToList(), name);

            using var zip = ZipFile.OpenRead(ours);
            CollectionAssert.AreEqual(new[] { "metadata.json", "config.json", "model.weights.h5" }, zip.Entries.Select(e => e.FullName).ToArray());
            Assert.IsTrue(zip.Entries.All(e => e.CompressedLength == e.Length), "entries stored uncompressed, as Keras writes them");
            using var cfg = JsonDocument.Parse(zip.GetEntry("config.json")!.Open());
            using var srcZip = ZipFile.OpenRead(src);
            using var srcCfg = JsonDocument.Parse(srcZip.GetEntry("config.json")!.Open());
            CollectionAssert.AreEquivalent(srcCfg.RootElement.EnumerateObject().Select(p => p.Name).ToArray(), cfg.RootElement.EnumerateObject().Select(p => p.Name).ToArray());
            Assert.AreEqual(srcCfg.RootElement.GetProperty("class_name").GetString(), cfg.RootElement.GetProperty("class_name").GetString());
            var srcLayers = srcCfg.RootElement.GetProperty("config").GetProperty("layers").EnumerateArray().ToList();
            var ourLayers = cfg.RootElement.GetProperty("config").GetProperty("layers").EnumerateArray().ToList();
            Assert.AreEqual(srcLayers.Count, ourLayers.Count);
            foreach (var l in ourLayers)
            {
                Assert.AreEqual(JsonValueKind.String, l.GetProperty("module").ValueKind);
                Assert.IsTrue(l.TryGetProperty("registered_name", out _));
                var c = l.GetProperty("config");
                if (l.GetProperty("class_name").GetString() == "InputLayer") Assert.AreEqual(JsonValueKind.Array, c.GetProperty("batch_shape").ValueKind);
                else Assert.AreEqual("DTypePolicy", c.GetProperty("dtype").GetProperty("class_name").GetString());
                if (name.StartsWith("func") && l.GetProperty("class_name").GetString() != "InputLayer")
                    Assert.AreEqual("__keras_tensor__", l.GetProperty("inbound_nodes")[0].GetProperty("args").EnumerateArray().First() is var a && a.ValueKind == JsonValueKind.Array ? a[0].GetProperty("class_name").GetString() : a.GetProperty("class_name").GetString());
            }
            Assert.AreEqual(model.Name, ArchiveWeights(ours).Group("vars").Attributes["name"].ReadString());
        }
    }

    [TestMethod]
    public void WeightsH5_WritesKeras3Layout_H5KeepsTfKerasLayout_LoadsRecogniseContent()
    {
        Backend.SetRandomSeed(9);
        var model = ResNetCifar.ResNetV1([32, 32, 3], 8, numClasses: 4);
        string k3 = Path.Combine(dir, "w.weights.h5"), legacy = Path.Combine(dir, "w.h5");
        model.SaveWeights(k3);
        model.SaveWeights(legacy);
        var k3Root = H5File.Open(k3).Root;
        Assert.IsTrue(k3Root.Contains("layers/conv2d/vars/0") && k3Root.Contains("layers/batch_normalization_1/vars/3") && k3Root.Contains("layers/input_layer/vars"));
        Assert.IsFalse(k3Root.Contains("optimizer"), "not compiled: no optimizer group");
        Assert.IsTrue(H5File.Open(legacy).Root.Attributes.ContainsKey("layer_names"));

        var (x, _) = Batch(2, 3);
        // A copy saved under a misleading name still loads: the format comes from the content.
        string misnamed = Path.Combine(dir, "k3_content.h5");
        File.Copy(k3, misnamed);
        foreach (var path in new[] { k3, legacy, misnamed })
        {
            Backend.ClearSession();
            Backend.SetRandomSeed(10);
            var other = ResNetCifar.ResNetV1([32, 32, 3], 8, numClasses: 4);
            other.LoadWeights(path);
            CollectionAssert.AreEqual(model.Predict(x).Float32Data, other.Predict(x).Float32Data, path);
        }
        var ex = Assert.ThrowsExactly<InvalidDataException>(() => Models.LoadModel(k3));
        StringAssert.Contains(ex.Message, "Keras 3 weights file");
    }

    [TestMethod]
    public void Save_ExtensionDecidesFormat_AsKeras3()
    {
        var model = ResNetCifar.ResNetV1([32, 32, 3], 8, numClasses: 4);
        var ex = Assert.ThrowsExactly<ArgumentException>(() => model.Save(Path.Combine(dir, "m.tf")));
        StringAssert.StartsWith(ex.Message, "Invalid filepath extension for saving. Please add either a `.keras` extension");
        StringAssert.Contains(ex.Message, "Received: filepath=");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => model.SaveWeights(Path.Combine(dir, "w.keras"))).Message, "`.weights.h5`");
        model.Save(Path.Combine(dir, "m.hdf5"));
        Assert.IsFalse(KerasArchive.IsZip(Path.Combine(dir, "m.hdf5")));
        Assert.IsTrue(H5File.Open(Path.Combine(dir, "m.hdf5")).Root.Attributes.ContainsKey("model_config"));
        Assert.AreEqual(0, Directory.GetFiles(dir, "*.tmp*").Length);
    }

    [TestMethod]
    public void SequentialConfig_RoundTripsAsSequential_WithoutInputLayerEntry()
    {
        var model = Models.LoadModel(Path.Combine(Fx, "seq_bn.keras"));
        string path = Path.Combine(dir, "s.keras");
        model.Save(path);
        var root = ArchiveWeights(path);
        Assert.IsFalse(root.Contains("layers/input_layer"));
        Backend.ClearSession();
        var again = Models.LoadModel(path);
        Assert.IsTrue(again.IsSequential);
        var x = Npy.Load(Path.Combine(Fx, "x8.npy"));
        CollectionAssert.AreEqual(model.Predict(x).Float32Data, again.Predict(x).Float32Data);
        Assert.AreEqual(7L, again.Optimizer!.Iterations);
    }

    /// <summary>Rewrites an archive with one entry replaced (null: removed).</summary>
    private string Rewrite(string src, string entry, byte[]? content, string name)
    {
        string path = Path.Combine(dir, name);
        using var input = ZipFile.OpenRead(src);
        using var fs = File.Create(path);
        using var zip = new ZipArchive(fs, ZipArchiveMode.Create);
        foreach (var e in input.Entries)
        {
            byte[] bytes;
            if (e.FullName == entry)
            {
                if (content is null) continue;
                bytes = content;
            }
            else
            {
                using var ms = new MemoryStream();
                using (var s = e.Open()) s.CopyTo(ms);
                bytes = ms.ToArray();
            }
            using var o = zip.CreateEntry(e.FullName, CompressionLevel.NoCompression).Open();
            o.Write(bytes);
        }
        return path;
    }

    private static string ReadEntry(string path, string entry)
    {
        using var zip = ZipFile.OpenRead(path);
        using var r = new StreamReader(zip.GetEntry(entry)!.Open());
        return r.ReadToEnd();
    }

    [TestMethod]
    public void DamagedArchives_RaiseInvalidDataNamingTheProblem()
    {
        string good = Path.Combine(Fx, "seq_bn.keras");
        void Expect(string path, params string[] parts)
        {
            Backend.ClearSession();
            var ex = Assert.ThrowsExactly<InvalidDataException>(() => Models.LoadModel(path), path);
            foreach (var p in parts) StringAssert.Contains(ex.Message, p);
        }
        var bytes = File.ReadAllBytes(good);
        string truncated = Path.Combine(dir, "truncated.keras");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        Expect(truncated, "truncated.keras", "not a readable .keras archive");

        Expect(Rewrite(good, "config.json", null, "noconfig.keras"), "no 'config.json' entry");
        Expect(Rewrite(good, "model.weights.h5", null, "noweights.keras"), "no 'model.weights.h5' entry");
        Expect(Rewrite(good, "config.json", "{\"class_name\": \"Sequential\", "u8.ToArray(), "badjson.keras"), "config.json", "invalid JSON");
        Expect(Rewrite(good, "metadata.json", "{"u8.ToArray(), "badmeta.keras"), "metadata.json", "invalid JSON");

        string config = ReadEntry(good, "config.json");
        Expect(Rewrite(good, "config.json", System.Text.Encoding.UTF8.GetBytes(config.Replace("\"units\": 5", "\"units\": 7")), "shape.keras"),
            "layers/dense/vars/0", "shape (6, 5), expected (6, 7)");
        Expect(Rewrite(good, "config.json", System.Text.Encoding.UTF8.GetBytes(config.Replace("\"Dropout\"", "\"LSTM\"")), "unknown.keras"),
            "unknown layer class 'LSTM'");

        // Config names a layer whose weights the HDF5 file lacks: drop the dense layer's group from the weights.
        var model = Models.LoadModel(good);
        var w = new H5Writer();
        Keras3Weights.Write(model, w.Root);
        var writerLayers = w.Root.CreateGroup("layers");
        writerLayers.Children.Remove("dense");
        Expect(Rewrite(good, "model.weights.h5", w.ToBytes(), "missing.keras"), "layer 'dense'", "layers/dense/vars", "no such group");

        var empty = Path.Combine(dir, "empty.keras");
        File.WriteAllBytes(empty, []);
        Assert.ThrowsExactly<InvalidDataException>(() => Models.LoadModel(empty));
    }

    [TestMethod]
    public void FailedSave_LeavesPreviousArchiveAndNoTemporaryFile()
    {
        var model = Models.LoadModel(Path.Combine(Fx, "func_add.keras"));
        string path = Path.Combine(dir, "m.keras");
        model.Save(path);
        var before = File.ReadAllBytes(path);
        foreach (var v in model.TrainableWeights) v.Assign(ND.Zeros(v.Shape));
        ResNetKeras.IO.AtomicFile.BeforeRename = _ => throw new IOException("simulated crash before rename");
        Assert.ThrowsExactly<IOException>(() => model.Save(path));
        ResNetKeras.IO.AtomicFile.BeforeRename = null;
        CollectionAssert.AreEqual(before, File.ReadAllBytes(path));
        Assert.AreEqual(1, Directory.GetFiles(dir).Length, "no temporary file left");
    }

    [TestMethod]
    public void UnsupportedConfigValues_AreRefusedNotIgnored()
    {
        string good = Path.Combine(Fx, "seq_bn.keras");
        string config = ReadEntry(good, "config.json");
        var cases = new (string From, string To, string Message)[]
        {
            ("\"dilation_rate\": [1, 1]", "\"dilation_rate\": [2, 2]", "dilation_rate=(2, 2)"),
            ("\"loss_scale_factor\": null", "\"loss_scale_factor\": 128.0", "loss_scale_factor=128.0"),
            ("\"synchronized\": false", "\"synchronized\": true", "synchronized=true"),
        };
        foreach (var (from, to, message) in cases)
        {
            Assert.IsTrue(config.Contains(from), from);
            string path = Rewrite(good, "config.json", System.Text.Encoding.UTF8.GetBytes(config.Replace(from, to)), "case.keras");
            Backend.ClearSession();
            StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => Models.LoadModel(path)).Message, message);
            File.Delete(path);
        }
        // Clipping is implemented (issue 17), so it now loads and takes effect instead of being refused.
        Backend.ClearSession();
        string clipped = Rewrite(good, "config.json", System.Text.Encoding.UTF8.GetBytes(config.Replace("\"clipnorm\": null", "\"clipnorm\": 1.0")), "clipped.keras");
        Assert.AreEqual(1.0, Models.LoadModel(clipped).Optimizer!.Clipnorm);
        File.Delete(clipped);
        Backend.ClearSession();
        string nested = Rewrite(good, "config.json", System.Text.Encoding.UTF8.GetBytes(config.Replace("\"class_name\": \"Flatten\"", "\"class_name\": \"Sequential\"")), "nested.keras");
        // A nested model is rebuilt from its own config; a layer's config under a model class name is not one.
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => Models.LoadModel(nested)).Message, "the model config has no 'layers' list");
    }

    [TestMethod]
    public void Keras3LegacyH5ModelFile_LoadsWithItsOptimizerState()
    {
        var model = Models.LoadModel(Path.Combine(Fx, "func_add_legacy.h5"));
        AssertClose(Npy.Load(Path.Combine(Fx, "func_add_w_y.npy")), model.Predict(Npy.Load(Path.Combine(Fx, "x6.npy"))), 1e-5);
        var adam = (Adam)model.Optimizer!;
        Assert.AreEqual(4L, adam.Iterations);
        Assert.AreEqual((double)0.0005f, adam.LearningRate);
        var root = H5File.Open(Path.Combine(Fx, "func_add_legacy.h5")).Root.Group("optimizer_weights");
        var kernel = model.GetLayer("conv_b").Weights[0];
        CollectionAssert.AreEqual(root.Dataset("conv_b_kernel_velocity").Read().Float32Data,
            adam.SlotVariables.Single(v => v.Name == $"adam/{kernel.Name[..^2]}/v:0").Numpy().Float32Data);
    }

    [TestMethod]
    public void SnakeCase_IsKeras3s()
    {
        Assert.AreEqual("max_pooling2d", Keras3Config.SnakeCase("MaxPooling2D"));
        Assert.AreEqual("global_average_pooling2d", Keras3Config.SnakeCase("GlobalAveragePooling2D"));
        Assert.AreEqual("input_layer", Keras3Config.SnakeCase("InputLayer"));
        Assert.AreEqual("conv2d", Keras3Config.SnakeCase("Conv2D"));
        Assert.AreEqual("batch_normalization", Keras3Config.SnakeCase("BatchNormalization"));
        Assert.AreEqual("zero_padding2d", Keras3Config.SnakeCase("ZeroPadding2D"));
    }
}
