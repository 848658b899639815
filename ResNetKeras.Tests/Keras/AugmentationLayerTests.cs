using System.Text.Json;
using ResNetKeras.Engine;
using ResNetKeras.Keras;
using ResNetKeras.Ops;

namespace ResNetKeras.Tests.Keras;

/// <summary>
/// Keras 3's augmentation layers: the ImageProjectiveTransformV3 sampler and fill modes on hand-computed images, the
/// layers' training-only behaviour and their configs.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class AugmentationLayerTests
{
    [TestInitialize]
    public void Setup() => Backend.ClearSession();

    private static Tensor Image(float[] values, int h, int w) => Tensor.FromNDArray(ND.Of(values, 1, h, w, 1));

    private static float[] Transform(Tensor x, float[] t, string interpolation, string fillMode, float fill = 0f) =>
        Op.AffineTransform(x, Tensor.FromNDArray(ND.Of(t, 1, 8)), interpolation, fillMode, fill).ToArray();

    private static float[] Shift(float dx) => [1, 0, -dx, 0, 1, 0, 0, 0];

    [TestMethod]
    public void FillModes_ExtendTheRowAsTensorFlowDocuments()
    {
        var row = Image([1, 2, 3, 4], 1, 4);
        // Shifting right by 2 exposes positions −2, −1 on the left.
        CollectionAssert.AreEqual(new float[] { 2, 1, 1, 2 }, Transform(row, Shift(2), "nearest", "reflect"), "d c b a | a b c d");
        CollectionAssert.AreEqual(new float[] { 3, 4, 1, 2 }, Transform(row, Shift(2), "nearest", "wrap"), "a b c d | a b c d");
        CollectionAssert.AreEqual(new float[] { 9, 9, 1, 2 }, Transform(row, Shift(2), "nearest", "constant", 9), "k k | a b");
        CollectionAssert.AreEqual(new float[] { 1, 1, 1, 2 }, Transform(row, Shift(2), "nearest", "nearest"), "a a | a b");
        // Half a pixel: bilinear averages neighbours; with "constant" the tap outside the image reads the fill value.
        CollectionAssert.AreEqual(new float[] { 0.5f, 1.5f, 2.5f, 3.5f }, Transform(row, Shift(0.5f), "bilinear", "constant"));
    }

    [TestMethod]
    public void Rotation_ByAQuarterTurn_IsRot90_AndZoomOut_SamplesEveryOtherPixel()
    {
        var x = Image([1, 2, 3, 4, 5, 6, 7, 8, 9], 3, 3);
        var y = Transform(x, RandomRotation.RotationTransform(Math.PI / 2, 3, 3), "bilinear", "constant");
        var expected = new float[] { 3, 6, 9, 2, 5, 8, 1, 4, 7 }; // np.rot90: counter-clockwise
        for (int i = 0; i < 9; i++) Assert.AreEqual(expected[i], y[i], 1e-5f, $"pixel {i}");
        var row = Image([1, 2, 3, 4, 5], 1, 5);
        CollectionAssert.AreEqual(new float[] { 0, 1, 3, 5, 0 }, Transform(row, RandomZoom.ZoomTransform(1, 2, 1, 5), "bilinear", "constant"));
    }

    [TestMethod]
    public void AdjustContrast_ScalesAboutTheChannelMean_ThenClips()
    {
        var x = Image([0, 2, 4, 6], 2, 2);
        var f = Tensor.FromNDArray(ND.Of([0.5f], 1));
        CollectionAssert.AreEqual(new float[] { 1.5f, 2.5f, 3.5f, 4.5f }, Op.AdjustContrast(x, f, 0, 255).ToArray());
        CollectionAssert.AreEqual(new float[] { 2f, 2.5f, 3.5f, 4f }, Op.AdjustContrast(x, f, 2, 4).ToArray());
    }

    private static Tensor Batch(int n, int h, int w, int c, uint seed)
    {
        var rng = new RandomState(seed);
        return Tensor.FromNDArray(ND.Of(Enumerable.Range(0, n * h * w * c).Select(_ => (float)rng.Uniform(0, 255)).ToArray(), n, h, w, c));
    }

    [TestMethod]
    public void Layers_AreIdentityInInference_AndChangeImagesInTraining()
    {
        var x = Batch(4, 6, 5, 3, 1);
        Layer[] layers = [new RandomFlip(seed: 1), new RandomTranslation(0.3, 0.3, seed: 2), new RandomRotation(0.2, seed: 3), new RandomZoom(0.3, seed: 4), new RandomContrast(0.5, seed: 5)];
        foreach (var layer in layers)
        {
            Assert.AreSame(x, layer.Forward([x], training: false), layer.Name);
            var y = layer.Forward([x], training: true);
            CollectionAssert.AreEqual(x.Shape, y.Shape);
            CollectionAssert.AreNotEqual(x.ToArray(), y.ToArray(), layer.Name);
        }
    }

    [TestMethod]
    public void RandomFlip_GivesOneOfTheFourFlipsPerImage_AndFlipsSome()
    {
        int n = 16, h = 3, w = 4;
        var x = Batch(n, h, w, 1, 2);
        var xs = x.ToArray();
        var y = new RandomFlip(seed: 9).Forward([x], training: true).ToArray();
        int flippedLr = 0, flippedUd = 0;
        for (int b = 0; b < n; b++)
        {
            bool found = false;
            foreach (var (lr, ud) in new[] { (false, false), (true, false), (false, true), (true, true) })
            {
                bool match = true;
                for (int i = 0; i < h && match; i++)
                    for (int j = 0; j < w && match; j++)
                        match = y[(b * h + i) * w + j] == xs[(b * h + (ud ? h - 1 - i : i)) * w + (lr ? w - 1 - j : j)];
                if (match) { found = true; flippedLr += lr ? 1 : 0; flippedUd += ud ? 1 : 0; break; }
            }
            Assert.IsTrue(found, $"image {b} is not a flip of its input");
        }
        Assert.IsTrue(flippedLr is > 2 and < 14 && flippedUd is > 2 and < 14, $"{flippedLr} left-right and {flippedUd} up-down flips of {n}");
        // "horizontal" never flips top-bottom: every image is its input or its left-right mirror, row by row.
        var horizontal = new RandomFlip("horizontal", seed: 9).Forward([x], training: true).ToArray();
        int mirrored = 0;
        for (int b = 0; b < n; b++)
        {
            bool same = true, mirror = true;
            for (int i = 0; i < h; i++)
                for (int j = 0; j < w; j++)
                {
                    same &= horizontal[(b * h + i) * w + j] == xs[(b * h + i) * w + j];
                    mirror &= horizontal[(b * h + i) * w + j] == xs[(b * h + i) * w + w - 1 - j];
                }
            Assert.IsTrue(same || mirror, $"image {b} is neither its input nor its mirror");
            if (mirror) mirrored++;
        }
        Assert.IsTrue(mirrored is > 2 and < 14, $"{mirrored} of {n} mirrored");
    }

    [TestMethod]
    public void RandomContrast_OneFactorPerImage_KeepsChannelMeans()
    {
        var x = Batch(3, 4, 4, 2, 3);
        var xs = x.ToArray();
        var y = new RandomContrast(0.3, valueRange: (-1000, 1000), seed: 4).Forward([x], training: true).ToArray();
        for (int b = 0; b < 3; b++)
        {
            double? factor = null;
            for (int ch = 0; ch < 2; ch++)
            {
                double mean = Enumerable.Range(0, 16).Average(s => xs[(b * 16 + s) * 2 + ch]);
                double meanY = Enumerable.Range(0, 16).Average(s => y[(b * 16 + s) * 2 + ch]);
                Assert.AreEqual(mean, meanY, 1e-3, "channel mean kept");
                int i = b * 32 + ch;
                double f = (y[i] - mean) / (xs[i] - mean);
                Assert.IsTrue(f >= 0.7 - 1e-4 && f <= 1.3 + 1e-4, $"factor {f} outside [0.7, 1.3]");
                if (factor is double prev) Assert.AreEqual(prev, f, 1e-3, "same factor for every channel of an image");
                factor = f;
            }
        }
    }

    [TestMethod]
    public void Configs_RoundTrip_AndBadFactorsFail()
    {
        Layer[] layers =
        [
            new RandomFlip("vertical", seed: 3, name: "f"),
            new RandomTranslation((-0.1, 0.2), 0.3, fillMode: "wrap", interpolation: "nearest", fillValue: 1.5, name: "t"),
            new RandomRotation(0.25, fillMode: "constant", seed: 8, name: "r"),
            new RandomZoom((-0.2, 0.1), widthFactor: 0.3, name: "z"),
            new RandomZoom(0.2, name: "z2"),
            new RandomContrast((0.1, 0.4), valueRange: (0, 1), name: "c"),
        ];
        foreach (var layer in layers)
        {
            string json = JsonSerializer.Serialize(layer.GetConfig());
            using var doc = JsonDocument.Parse(json);
            Assert.AreEqual(json, JsonSerializer.Serialize(LayerFactory.Create(layer.ClassName, doc.RootElement).GetConfig()), layer.ClassName);
        }
        Assert.AreEqual("[-0.1,0.2]", JsonSerializer.Serialize(layers[1].GetConfig()["height_factor"]));
        Assert.AreEqual(0.3, layers[1].GetConfig()["width_factor"]);
        Assert.AreEqual("reflect", new RandomZoom(0.1).GetConfig()["fill_mode"]);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new RandomTranslation(1.5, 0)).Message, "`height_factor` argument must have values between [-1, 1]");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new RandomTranslation((0.2, 0.1), 0)).Message, "cannot have upper bound less than lower bound");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new RandomContrast(-0.1)).Message, "`factor` argument cannot have negative values");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new RandomFlip("diagonal")).Message, "unknown mode argument diagonal");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new RandomRotation(0.1, fillMode: "mirror")).Message, "Unknown `fill_mode` mirror");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new RandomFlip().Call(Layers.Input([4, 4]))).Message, "found shape=(None, 4, 4)");
    }

    [TestMethod]
    public void Model_WithAugmentation_Fits_AndSavesAndLoads()
    {
        var input = Layers.Input([8, 8, 3]);
        var h = new RandomFlip(seed: 1).Call(input);
        h = new RandomTranslation(0.2, 0.2, seed: 2).Call(h);
        h = new RandomRotation(0.1, seed: 3).Call(h);
        h = new RandomZoom(0.2, seed: 4).Call(h);
        h = new RandomContrast(0.3, seed: 5).Call(h);
        h = new Conv2D(4, 3, activation: "relu").Call(h);
        var model = new Model(input, new Dense(2, activation: "softmax").Call(new GlobalAveragePooling2D().Call(h)));
        var x = Batch(8, 8, 8, 3, 6).ToNDArray();
        var y = ND.Of(Enumerable.Range(0, 16).Select(i => (float)((i / 2 + i) % 2)).ToArray(), 8, 2);
        model.Compile(optimizer: new Adam(learningRate: 1e-3), loss: "categorical_crossentropy");
        var history = model.Fit(x, y, batchSize: 4, epochs: 2, verbose: 0);
        Assert.IsTrue(history.HistoryData["loss"].All(double.IsFinite));
        var expected = model.Predict(x);
        string dir = Path.Combine(Path.GetTempPath(), $"augment_{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            string path = Path.Combine(dir, "m.h5");
            model.Save(path);
            Backend.ClearSession();
            var loaded = Models.LoadModel(path, compile: false);
            CollectionAssert.AreEqual(model.Layers.Select(l => l.ClassName).ToArray(), loaded.Layers.Select(l => l.ClassName).ToArray());
            CollectionAssert.AreEqual(expected.Float32Data, loaded.Predict(x).Float32Data, "augmentation is the identity in inference");
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
