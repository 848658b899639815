using System.Diagnostics;
using ResNetKeras.Engine;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Applications;

[TestClass]
[DoNotParallelize]
public sealed class ApplicationsTests
{
    [TestInitialize]
    public void Reset() => Backend.ClearSession();

    private static int Trainable(Model m) => m.TrainableWeights.Sum(w => w.Value.Size);

    [TestMethod]
    public void ImageNetResNets_ParamCountsEqualKeras()
    {
        var cases = new (Func<Model> Build, int Total)[]
        {
            (() => ResNetKeras.Keras.Applications.ResNet50(), 25_636_712),
            (() => ResNetKeras.Keras.Applications.ResNet101(), 44_707_176),
            (() => ResNetKeras.Keras.Applications.ResNet152(), 60_419_944),
            (() => ResNetKeras.Keras.Applications.ResNet50V2(), 25_613_800),
            (() => ResNetKeras.Keras.Applications.ResNet101V2(), 44_675_560),
            (() => ResNetKeras.Keras.Applications.ResNet152V2(), 60_380_648),
        };
        foreach (var (build, total) in cases)
        {
            Backend.ClearSession();
            var sw = Stopwatch.StartNew();
            var model = build();
            Assert.AreEqual(total, model.CountParams(), model.Name);
            StringAssert.Contains(model.SummaryText(), $"Total params: {total.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)}\n", model.Name);
            Console.WriteLine($"{model.Name}: built in {sw.Elapsed.TotalSeconds:F1} s");
        }
    }

    [TestMethod]
    public void ResNet18And34_MatchTheReferenceImplementations()
    {
        Assert.AreEqual(11_689_512, Trainable(ResNetKeras.Keras.Applications.ResNet18()));
        Backend.ClearSession();
        Assert.AreEqual(21_797_672, Trainable(ResNetKeras.Keras.Applications.ResNet34()));
        Backend.ClearSession();
        var plain = ResNetKeras.Keras.Applications.PlainNet(18);
        Assert.IsFalse(plain.Layers.Any(l => l is Add));
        Assert.IsTrue(Trainable(plain) < 11_689_512);
    }

    [TestMethod]
    public void ResNet18_OptionA_IdentityShortcutsAddNoParameters()
    {
        var a = ResNetKeras.Keras.Applications.ResNet18(shortcut: "identity", inputShape: [32, 32, 3], classes: 10);
        Backend.ClearSession();
        var b = ResNetKeras.Keras.Applications.ResNet18(inputShape: [32, 32, 3], classes: 10);
        // Option B adds three 1x1 projections with BN: 64·128 + 128·256 + 256·512 weights and 4·(128 + 256 + 512) BN values.
        Assert.AreEqual(b.CountParams() - (64 * 128 + 128 * 256 + 256 * 512) - 4 * (128 + 256 + 512), a.CountParams());
        var y = a.Predict(ND.Zeros([1, 32, 32, 3]));
        CollectionAssert.AreEqual(new[] { 1, 10 }, y.IntShape);
        // The shortcut keeps the input channels and zero-fills the new ones.
        var layer = new IdentityShortcut(4, 2);
        var x = new Tensor(Enumerable.Range(1, 2 * 2 * 2).Select(i => (float)i).ToArray(), 1, 2, 2, 2);
        CollectionAssert.AreEqual(new float[] { 1, 2, 0, 0 }, layer.Forward([x], false).ToArray());
        Backend.ClearSession();
        Assert.AreEqual(a.ToJson(), Models.ModelFromJson(a.ToJson()).ToJson());
    }

    [TestMethod]
    public void ResNet50_NoTop_AvgPooling_Gives2048Features_AndKerasNames()
    {
        var model = ResNetKeras.Keras.Applications.ResNet50(includeTop: false, pooling: "avg", inputShape: [32, 32, 3]);
        CollectionAssert.AreEqual(new[] { -1, 2048 }, model.Output.Shape);
        var names = model.Layers.Select(l => l.Name).ToList();
        CollectionAssert.IsSubsetOf(new[] { "conv1_pad", "conv1_conv", "conv1_bn", "pool1_pool", "conv2_block1_0_conv", "conv2_block1_1_conv", "conv5_block3_out", "avg_pool" }, names);
        var features = model.Predict(ND.Zeros([1, 32, 32, 3]));
        CollectionAssert.AreEqual(new[] { 1, 2048 }, features.IntShape);
    }

    [TestMethod]
    public void InputShape_IsValidatedWithKerasMessages()
    {
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => ResNetKeras.Keras.Applications.ResNet50(inputShape: [31, 31, 3])).Message,
            "Input size must be at least 32x32; Received: input_shape=(31, 31, 3)");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => ResNetKeras.Keras.Applications.ResNet50(inputShape: [64, 64, 4])).Message,
            "The input must have 3 channels");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => ResNetKeras.Keras.Applications.ResNet50(weights: "imagenet")).Message, "path");
    }

    [TestMethod]
    public void Weights_LoadBackByNameAndByOrder_AndMissingLayerIsNamed()
    {
        string path = Path.Combine(Path.GetTempPath(), $"r50_{Guid.NewGuid():N}.h5");
        try
        {
            var a = ResNetKeras.Keras.Applications.ResNet50(includeTop: false, pooling: "avg", inputShape: [32, 32, 3]);
            a.SaveWeights(path);
            var x = ND.Zeros([1, 32, 32, 3]);
            for (int i = 0; i < x.Size; i++) x.SetFlat(i, (i % 255) - 127);
            var expected = a.Predict(x).Float32Data;
            Backend.ClearSession();
            var byOrder = ResNetKeras.Keras.Applications.ResNet50(includeTop: false, pooling: "avg", inputShape: [32, 32, 3]);
            byOrder.LoadWeights(path);
            CollectionAssert.AreEqual(expected, byOrder.Predict(x).Float32Data);
            var byName = ResNetKeras.Keras.Applications.ResNet50(includeTop: false, pooling: "avg", inputShape: [32, 32, 3], weights: path);
            CollectionAssert.AreEqual(expected, byName.Predict(x).Float32Data);

            var small = ResNetKeras.Keras.Applications.ResNet18(includeTop: false, pooling: "avg", inputShape: [32, 32, 3]);
            string p18 = path + ".18.h5";
            small.SaveWeights(p18);
            var v2 = ResNetKeras.Keras.Applications.ResNet34(includeTop: false, pooling: "avg", inputShape: [32, 32, 3]);
            var ex = Assert.ThrowsExactly<ArgumentException>(() => v2.LoadWeights(p18));
            StringAssert.Contains(ex.Message, "Layer count mismatch");
            File.Delete(p18);
        }
        finally { File.Delete(path); }
    }

    [TestMethod]
    public void PreprocessInput_CaffeAndTfStyles()
    {
        var x = ND.Of(new float[] { 10, 20, 30 }, 1, 1, 3);
        CollectionAssert.AreEqual(new float[] { (float)(30 - 103.939), (float)(20 - 116.779), (float)(10 - 123.68) }, ResNetKeras.Keras.Applications.PreprocessInput(x).Float32Data);
        CollectionAssert.AreEqual(new float[] { 10 / 127.5f - 1, 20 / 127.5f - 1, 30 / 127.5f - 1 }, ResNetKeras.Keras.Applications.PreprocessInputV2(x).Float32Data);
    }

    [TestMethod]
    public void PlainNetCifar_IsResNetV1WithoutShortcuts()
    {
        var plain = ResNetKeras.Keras.Applications.PlainNetCifar([32, 32, 3], 20);
        Backend.ClearSession();
        var res = ResNetCifar.ResNetV1([32, 32, 3], 20);
        Assert.IsFalse(plain.Layers.Any(l => l is Add));
        // Same layers minus the two 1x1 projection convolutions (16·32+32 and 32·64+64 parameters).
        Assert.AreEqual(res.CountParams() - (16 * 32 + 32) - (32 * 64 + 64), plain.CountParams());
    }
}
