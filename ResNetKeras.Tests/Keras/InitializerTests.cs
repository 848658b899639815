using ResNetKeras.Engine;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Keras;

[TestClass]
public sealed class InitializerTests
{
    [TestMethod]
    public void HeNormal_MeanStdAndTruncation()
    {
        // 3x3 conv 16 -> 16: fan_in 144, final std sqrt(2/144), draws within 2 sigma_before = ±0.26796.
        var t = Initializer.Get("he_normal").Call([3, 3, 16, 256], new RandomState(11));
        var a = t.ToNDArray();
        double std = Math.Sqrt(2.0 / 144);
        Assert.AreEqual(0, a.Mean().Item(), 4 * std / Math.Sqrt(t.Size));
        Assert.AreEqual(std, a.Std().Item(), std * 0.02);
        double bound = 2 * std / VarianceScaling.TruncationStd;
        Assert.IsTrue(a.Max().Item() <= bound && a.Min().Item() >= -bound);
        Assert.IsTrue(a.Max().Item() > 0.9 * bound, "the tails up to 2 sigma are reached");
    }

    [TestMethod]
    public void GlorotUniform_Limit()
    {
        var a = Initializer.Get("glorot_uniform").Call([64, 10], new RandomState(2)).ToNDArray();
        double limit = Math.Sqrt(6.0 / 74);
        Assert.IsTrue(a.Max().Item() <= limit && a.Min().Item() >= -limit);
        Assert.AreEqual(limit / Math.Sqrt(3), a.Std().Item(), 0.1 * limit);
    }

    [TestMethod]
    public void UnknownIdentifiers_AreRefused()
    {
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Initializer.Get("he_normall")).Message, "he_normall");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new Activation("relux")).Message, "relux");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new Conv2D(4, 3, padding: "full")).Message, "padding=full");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new Conv2D(0, 3)).Message, "filters=0");
    }

    [TestMethod]
    public void RandomNormalUniformTruncatedAndConstant_DrawAsKerasDescribes()
    {
        var n = Initializer.Get("random_normal").Call([200, 100], new RandomState(3)).ToArray();
        Assert.AreEqual(0, n.Average(), 4 * 0.05 / Math.Sqrt(n.Length));
        Assert.AreEqual(0.05, Std(n), 0.05 * 0.02);
        var u = new RandomUniform(minval: -0.2, maxval: 0.6).Call([200, 100], new RandomState(4)).ToArray();
        Assert.IsTrue(u.Min() >= -0.2f && u.Max() < 0.6f);
        Assert.AreEqual(0.2, u.Average(), 0.01);
        Assert.AreEqual(0.8 / Math.Sqrt(12), Std(u), 0.005);
        // Keras's TruncatedNormal redraws beyond 2σ and does not rescale: std = σ·0.8796 (VarianceScaling's constant).
        var t = new TruncatedNormal(mean: 1.0, stddev: 0.1).Call([200, 100], new RandomState(5)).ToArray();
        Assert.IsTrue(t.Min() >= 0.8f - 1e-6f && t.Max() <= 1.2f + 1e-6f);
        Assert.AreEqual(0.1 * VarianceScaling.TruncationStd, Std(t), 0.002);
        CollectionAssert.AreEqual(Enumerable.Repeat(0.25f, 6).ToArray(), new Constant(0.25).Call([2, 3], new RandomState(1)).ToArray());
        // A seeded initializer gives the same values on every call, whatever stream the layer hands it.
        var seeded = new RandomNormal(seed: 7);
        CollectionAssert.AreEqual(seeded.Call([4, 4], new RandomState(1)).ToArray(), seeded.Call([4, 4], new RandomState(2)).ToArray());
    }

    [TestMethod]
    public void InitializerConfigs_RoundTripThroughALayerConfig()
    {
        Initializer[] inits = [new RandomNormal(0.5, 0.2, seed: 3), new RandomUniform(-1, 2), new TruncatedNormal(stddev: 0.3), new Constant(0.7), new VarianceScaling(2.0, "fan_out", "uniform")];
        foreach (var init in inits)
        {
            var dense = new Dense(3, kernelInitializer: init);
            var json = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, object?> { ["class_name"] = "Dense", ["config"] = dense.GetConfig() });
            using var doc = System.Text.Json.JsonDocument.Parse(json);
            var back = (Dense)LayerFactory.Create("Dense", doc.RootElement.GetProperty("config"));
            Assert.AreEqual(init.GetType(), back.KernelInitializer.GetType(), init.ClassName);
            CollectionAssert.AreEqual(init.GetConfig().Select(kv => $"{kv.Key}={kv.Value}").ToArray(),
                back.KernelInitializer.GetConfig().Select(kv => $"{kv.Key}={kv.Value}").ToArray(), init.ClassName);
        }
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new RandomUniform(1, 0)).Message, "minval");
    }

    private static double Std(float[] v)
    {
        double m = v.Average(x => (double)x);
        return Math.Sqrt(v.Average(x => (x - m) * (x - m)));
    }
}
