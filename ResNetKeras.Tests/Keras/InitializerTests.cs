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
}
