using ResNetKeras.Engine;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Utils;

[TestClass]
public sealed class ToCategoricalTests
{
    [TestMethod]
    public void CifarLabels_N1_GiveN10_Float32()
    {
        var y = ND.Of(new byte[] { 6, 9, 9, 4, 1, 0 }, 6, 1);
        var c = ResNetKeras.Keras.Utils.ToCategorical(y, 10);
        CollectionAssert.AreEqual(new[] { 6, 10 }, c.IntShape);
        Assert.AreEqual(DType.Float32, c.DType);
        var d = c.Float32Data;
        for (int i = 0; i < 6; i++)
            for (int k = 0; k < 10; k++)
                Assert.AreEqual(k == y.ToArray<byte>()[i] ? 1f : 0f, d[i * 10 + k], $"[{i}, {k}]");
    }

    [TestMethod]
    public void NumClassesDefaultsToMaxPlusOne_AndShapesFollowKeras()
    {
        var y = ND.Of(new[] { 2, 0, 1 }, 3);
        var c = ResNetKeras.Keras.Utils.ToCategorical(y);
        CollectionAssert.AreEqual(new[] { 3, 3 }, c.IntShape);
        CollectionAssert.AreEqual(new float[] { 0, 0, 1, 1, 0, 0, 0, 1, 0 }, c.Float32Data);
        // Only a trailing axis of 1 is dropped, and only at rank > 1.
        CollectionAssert.AreEqual(new[] { 2, 3, 4 }, ResNetKeras.Keras.Utils.ToCategorical(ND.Of(new long[] { 0, 1, 2, 3, 0, 1 }, 2, 3)).IntShape);
        CollectionAssert.AreEqual(new[] { 2, 1, 5 }, ResNetKeras.Keras.Utils.ToCategorical(ND.Of(new long[] { 0, 4 }, 2, 1, 1)).IntShape);
        CollectionAssert.AreEqual(new[] { 1, 3 }, ResNetKeras.Keras.Utils.ToCategorical(ND.Of(new long[] { 2 }, 1), 3).IntShape);
        CollectionAssert.AreEqual(new[] { 0, 7 }, ResNetKeras.Keras.Utils.ToCategorical(ND.Zeros([0, 1]), 7).IntShape);
    }

    [TestMethod]
    public void FloatLabels_AreTruncatedAsNumpyIntCast()
    {
        var y = ND.Of(new[] { 2.9f, 0.2f, -0.5f }, 3);
        CollectionAssert.AreEqual(new float[] { 0, 0, 1, 1, 0, 0, 1, 0, 0 }, ResNetKeras.Keras.Utils.ToCategorical(y, 3).Float32Data);
    }

    [TestMethod]
    public void BadLabelsAndNumClasses_AreArgumentExceptions_NamingTheValue()
    {
        var y = ND.Of(new byte[] { 2, 0, 5 }, 3, 1);
        var ex = Assert.ThrowsExactly<ArgumentException>(() => ResNetKeras.Keras.Utils.ToCategorical(y, 3));
        StringAssert.Contains(ex.Message, "label 5 at index 2");
        StringAssert.Contains(ex.Message, "num_classes=3");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => ResNetKeras.Keras.Utils.ToCategorical(ND.Of(new[] { 1, -3 }, 2), 4)).Message, "label -3 at index 1");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => ResNetKeras.Keras.Utils.ToCategorical(ND.Of(new[] { float.NaN }, 1))).Message, "label NaN");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => ResNetKeras.Keras.Utils.ToCategorical(y, 0)).Message, "Received num_classes=0");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => ResNetKeras.Keras.Utils.ToCategorical(ND.Zeros([0]))).Message, "empty");
        Assert.ThrowsExactly<ArgumentNullException>(() => ResNetKeras.Keras.Utils.ToCategorical(null!));
    }
}
