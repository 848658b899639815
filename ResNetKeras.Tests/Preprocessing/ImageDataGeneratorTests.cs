using System.Text.Json;
using ResNetKeras.Engine;
using ResNetKeras.IO;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Preprocessing;

[TestClass]
public sealed class ImageDataGeneratorTests
{
    private static string Fx(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "ImageDataGenerator", name);

    internal static Dictionary<string, object?> JsonObject(JsonElement e) =>
        e.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind switch
        {
            JsonValueKind.Number => (object?)p.Value.GetDouble(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String => p.Value.GetString(),
            JsonValueKind.Null => null,
            _ => p.Value.ToString(),
        });

    private static ImageDataGenerator FromConfig(Dictionary<string, object?> c, string semantics) => new(
        fillMode: c.TryGetValue("fill_mode", out var f) ? (string)f! : "nearest",
        cval: c.TryGetValue("cval", out var cv) ? (double)cv! : 0,
        interpolationOrder: c.TryGetValue("interpolation_order", out var o) ? (int)(double)o! : 1,
        semantics: semantics);

    private static double MaxAbsDiff(NDArray a, NDArray b)
    {
        CollectionAssert.AreEqual(a.Shape, b.Shape);
        double m = 0;
        for (int i = 0; i < a.Size; i++) m = Math.Max(m, Math.Abs(a.GetFlat(i) - b.GetFlat(i)));
        return m;
    }

    [TestMethod]
    public void ApplyTransform_EqualsKerasPreprocessing_EveryCase()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fx("cases.json")));
        var images = new Dictionary<string, NDArray> { ["a"] = Npy.Load(Fx("img_a.npy")), ["b"] = Npy.Load(Fx("img_b.npy")) };
        int count = 0;
        var failures = new List<string>();
        foreach (var c in doc.RootElement.EnumerateArray())
        {
            string name = c.GetProperty("name").GetString()!;
            var gen = FromConfig(JsonObject(c.GetProperty("config")), "keras_preprocessing");
            var p = TransformParameters.FromDictionary(JsonObject(c.GetProperty("params")));
            var got = gen.ApplyTransform(images[c.GetProperty("image").GetString()!], p);
            double diff = MaxAbsDiff(Npy.Load(Fx($"out_{name}.npy")), got);
            if (diff > 1e-5 * 255) failures.Add($"{name}: max abs diff {diff}");
            count++;
        }
        Assert.AreEqual(0, failures.Count, string.Join("\n", failures));
        Assert.IsTrue(count >= 25);
    }

    [TestMethod]
    public void GetRandomTransform_EqualsKerasPreprocessingDraws()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fx("random.json")));
        var all = new ImageDataGenerator(rotationRange: 30, widthShiftRange: 0.2, heightShiftRange: 3, shearRange: 10,
            zoomRange: [0.7, 1.2], channelShiftRange: 25, horizontalFlip: true, verticalFlip: true, brightnessRange: [0.5, 1.5],
            semantics: "keras_preprocessing");
        var list = new ImageDataGenerator(widthShiftRange: new[] { 1.0, 2.5, 4.0 }, heightShiftRange: 0.1, horizontalFlip: true, semantics: "keras_preprocessing");
        foreach (var r in doc.RootElement.EnumerateArray())
        {
            var gen = r.GetProperty("generator").GetString() == "all" ? all : list;
            uint seed = (uint)r.GetProperty("seed").GetInt32();
            var got = gen.GetRandomTransform([7, 9, 3], seed);
            var e = JsonObject(r.GetProperty("params"));
            string ctx = $"seed {seed} {r.GetProperty("generator").GetString()}";
            Assert.AreEqual((double)e["theta"]!, got.Theta, 1e-12, ctx);
            Assert.AreEqual((double)e["tx"]!, got.Tx, 1e-12, ctx);
            Assert.AreEqual((double)e["ty"]!, got.Ty, 1e-12, ctx);
            Assert.AreEqual((double)e["shear"]!, got.Shear, 1e-12, ctx);
            Assert.AreEqual((double)e["zx"]!, got.Zx, 1e-12, ctx);
            Assert.AreEqual((double)e["zy"]!, got.Zy, 1e-12, ctx);
            Assert.AreEqual((double)e["flip_horizontal"]! != 0, got.FlipHorizontal, ctx);
            Assert.AreEqual((double)e["flip_vertical"]! != 0, got.FlipVertical, ctx);
            Assert.AreEqual((double?)e["channel_shift_intensity"], got.ChannelShiftIntensity, ctx);
            Assert.AreEqual((double?)e["brightness"], got.Brightness, ctx);
        }
    }

    [TestMethod]
    public void FitAndStandardize_EqualKerasPreprocessing()
    {
        var fitX = Npy.Load(Fx("std_fit.npy"));
        var x = Npy.Load(Fx("std_x.npy"));
        var cases = new (string Name, ImageDataGenerator Gen)[]
        {
            ("featurewise", new ImageDataGenerator(featurewiseCenter: true, featurewiseStdNormalization: true, semantics: "keras_preprocessing")),
            ("samplewise", new ImageDataGenerator(samplewiseCenter: true, samplewiseStdNormalization: true, rescale: 0.5, semantics: "keras_preprocessing")),
            ("zca", new ImageDataGenerator(zcaWhitening: true, semantics: "keras_preprocessing")),
        };
        foreach (var (name, gen) in cases)
        {
            gen.Fit(fitX);
            double diff = MaxAbsDiff(Npy.Load(Fx($"std_out_{name}.npy")), gen.Standardize(x));
            Assert.IsTrue(diff <= (name == "zca" ? 2e-3 : 1e-5), $"{name}: max abs diff {diff}");
        }
    }

    [TestMethod]
    public void KerasSemantics_CentreAndAxesDiffer()
    {
        // A 4x6 ramp image: value = 10*row + col.
        var img = NDArray.Zeros([4, 6, 1]);
        for (int r = 0; r < 4; r++) for (int c = 0; c < 6; c++) img.SetValue(10 * r + c, r, c, 0);
        var kp = new ImageDataGenerator(semantics: "keras_preprocessing");
        var k = new ImageDataGenerator();
        // 1.1.x: tx moves rows: out(r, c) = in(r + 1, c). 2.9+: tx moves columns: out(r, c) = in(r, c + 1).
        var a = kp.ApplyTransform(img, new TransformParameters { Tx = 1 });
        var b = k.ApplyTransform(img, new TransformParameters { Tx = 1 });
        Assert.AreEqual(10.0, a.GetValue(0, 0, 0));
        Assert.AreEqual(1.0, b.GetValue(0, 0, 0));
        Assert.AreEqual(30.0, a.GetValue(3, 0, 0), "nearest fill repeats the last row");
        // Zoom about the centre: 2.9+ pivots at (h/2 - 0.5, w/2 - 0.5) after the axis swap → (w/2-0.5, h/2-0.5) in (row, col);
        // 1.1.x pivots at (h/2 + 0.5, w/2 + 0.5). With zx = zy = 2 a fixed point exists only there.
        var m1 = kp.AffineMatrix(new TransformParameters { Zx = 2, Zy = 2 }, 4, 6)!;
        Assert.AreEqual(-2.5, m1[0, 2], 1e-12);
        Assert.AreEqual(-3.5, m1[1, 2], 1e-12);
        var m2 = k.AffineMatrix(new TransformParameters { Zx = 2, Zy = 2 }, 4, 6)!;
        Assert.AreEqual(-2.5, m2[0, 2], 1e-12, "2.9+ row offset comes from the width centre w/2 - 0.5");
        Assert.AreEqual(-1.5, m2[1, 2], 1e-12, "2.9+ column offset comes from the height centre h/2 - 0.5");
    }

    [TestMethod]
    public void KerasSemantics_ZcaUsesThinSvdOfX()
    {
        // Two samples of 2 values, centred: Σ = XᵀX/N = [[1, 2], [2, 4]], λ = (5, 0), u = ((1, 2), (2, −1))/√5.
        // 1.1.x: U·diag(1/√(λ + ε))·Uᵀ. 2.9+: thin SVD of Xᵀ, s = √(N·λ), U·diag(√N/(s + ε))·Uᵀ.
        var x = NDArray.FromArray(new float[] { 1, 2, -1, -2 }, 2, 1, 1, 2);
        var k = new ImageDataGenerator(zcaWhitening: true);
        k.Fit(x);
        var kp = new ImageDataGenerator(zcaWhitening: true, semantics: "keras_preprocessing");
        kp.Fit(x);
        double eps = 1e-6;
        double expectedKp = 0.2 / Math.Sqrt(5 + eps) + 0.8 / Math.Sqrt(eps);
        double expectedK = 0.2 * Math.Sqrt(2) / (Math.Sqrt(10) + eps) + 0.8 * Math.Sqrt(2) / eps;
        Assert.AreEqual(expectedKp, kp.PrincipalComponents![0], expectedKp * 1e-6);
        Assert.AreEqual(expectedK, k.PrincipalComponents![0], expectedK * 1e-6);
        double offKp = 0.4 / Math.Sqrt(5 + eps) - 0.4 / Math.Sqrt(eps);
        Assert.AreEqual(offKp, kp.PrincipalComponents[1], Math.Abs(offKp) * 1e-6);
    }

    [TestMethod]
    public void InvalidArguments_AreRefusedWithKerasWords()
    {
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new ImageDataGenerator(fillMode: "mirror")).Message, "fill_mode=mirror");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new ImageDataGenerator(zoomRange: [0.5, 1, 2])).Message, "`zoom_range` should be a float or a tuple or list of two floats");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new ImageDataGenerator(validationSplit: 1.0)).Message, "strictly between 0 and 1");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new ImageDataGenerator(rotationRange: -5)).Message, "rotation_range=-5");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new ImageDataGenerator(widthShiftRange: -0.1)).Message, "width_shift_range");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new ImageDataGenerator(dataFormat: "nhwc")).Message, "data_format");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new ImageDataGenerator().Fit(NDArray.Zeros([2, 2, 2]))).Message, "rank 4");
    }

    [TestMethod]
    public void GetRandomTransform_RangesAndDistributions()
    {
        var gen = new ImageDataGenerator(rotationRange: 10, widthShiftRange: 0.1, heightShiftRange: 4, zoom: 0.2, horizontalFlip: true);
        var rng = new RandomState(42);
        int n = 4000, flips = 0;
        double thetaSum = 0, thetaSq = 0;
        var txSeen = new HashSet<double>();
        for (int i = 0; i < n; i++)
        {
            var p = gen.GetRandomTransform([32, 32, 3], rng);
            Assert.IsTrue(Math.Abs(p.Theta) <= 10);
            Assert.IsTrue(Math.Abs(p.Ty) <= 3.2, "width shift 0.1 of 32 columns");
            Assert.IsTrue(p.Zx >= 0.8 && p.Zx <= 1.2 && p.Zy >= 0.8 && p.Zy <= 1.2);
            Assert.IsFalse(p.FlipVertical);
            txSeen.Add(p.Tx);
            thetaSum += p.Theta;
            thetaSq += p.Theta * p.Theta;
            if (p.FlipHorizontal) flips++;
        }
        CollectionAssert.AreEquivalent(new double[] { -3, -2, -1, 0, 1, 2, 3 }, txSeen.ToArray(), "int 4: one of 0..3 pixels with a random sign");
        Assert.AreEqual(0, thetaSum / n, 0.5);
        Assert.AreEqual(100.0 / 3, thetaSq / n, 2.5, "variance of U(-10, 10)");
        Assert.AreEqual(0.5, (double)flips / n, 0.04);
    }
}
