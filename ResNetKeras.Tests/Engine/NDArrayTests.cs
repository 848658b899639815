using ResNetKeras.Engine;

namespace ResNetKeras.Tests.Engine;

[TestClass]
public sealed class NDArrayTests
{
    private static NDArray Range(params int[] shape)
    {
        var a = NDArray.Zeros(shape);
        for (int i = 0; i < a.Size; i++) a.SetFlat(i, i);
        return a;
    }

    [TestMethod]
    public void Broadcasting_RowAndColumn()
    {
        var a = NDArray.FromArray(new float[] { 1, 2, 3 }, 1, 3);
        var b = NDArray.FromArray(new float[] { 10, 20 }, 2, 1);
        var c = a + b;
        CollectionAssert.AreEqual(new[] { 2, 3 }, c.Shape);
        CollectionAssert.AreEqual(new float[] { 11, 12, 13, 21, 22, 23 }, c.Float32Data);
        var d = b - a;
        CollectionAssert.AreEqual(new float[] { 9, 8, 7, 19, 18, 17 }, d.Float32Data);
    }

    [TestMethod]
    public void Broadcasting_PixelMeanSubtraction()
    {
        // x (2, 2, 1, 2) minus its mean over axis 0 (2, 1, 2), as the tutorial's subtract_pixel_mean.
        var x = Range(2, 2, 1, 2);
        var mean = x.Mean(0);
        CollectionAssert.AreEqual(new[] { 2, 1, 2 }, mean.Shape);
        CollectionAssert.AreEqual(new float[] { 2, 3, 4, 5 }, mean.Float32Data);
        var centred = x - mean;
        CollectionAssert.AreEqual(new float[] { -2, -2, -2, -2, 2, 2, 2, 2 }, centred.Float32Data);
    }

    [TestMethod]
    public void Broadcasting_IncompatibleShapes_NamesBothShapes()
    {
        var ex = Assert.ThrowsExactly<ArgumentException>(() => _ = Range(2, 3) + Range(2, 2));
        StringAssert.Contains(ex.Message, "(2, 3)");
        StringAssert.Contains(ex.Message, "(2, 2)");
    }

    [TestMethod]
    public void Reductions_OverAxes()
    {
        var x = Range(2, 3);  // [[0,1,2],[3,4,5]]
        CollectionAssert.AreEqual(new float[] { 1.5f, 2.5f, 3.5f }, x.Mean(0).Float32Data);
        CollectionAssert.AreEqual(new float[] { 1, 4 }, x.Mean(1).Float32Data);
        Assert.AreEqual(2.5, x.Mean().Item(), 1e-12);
        Assert.AreEqual(15.0, x.Sum().Item(), 1e-12);
        // population std of 0..5 = sqrt(35/12)
        Assert.AreEqual(Math.Sqrt(35.0 / 12.0), x.Std().Item(), 1e-6);
        CollectionAssert.AreEqual(new float[] { 1.5f, 1.5f, 1.5f }, x.Std(0).Float32Data);
        CollectionAssert.AreEqual(new[] { 1, 3 }, x.Mean([0], keepDims: true).Shape);
        Assert.AreEqual(5.0, x.Max().Item());
        Assert.AreEqual(0.0, x.Min().Item());
        var u8 = NDArray.FromArray(new byte[] { 1, 2 }, 2);
        Assert.AreEqual(DType.Float64, u8.Mean().DType, "NumPy gives float64 means of integer arrays");
    }

    [TestMethod]
    public void ArgMax_FirstIndexOnTies()
    {
        var x = NDArray.FromArray(new float[] { 1, 3, 3, 0, 5, 2 }, 2, 3);
        CollectionAssert.AreEqual(new long[] { 1, 1 }, x.ArgMax(1).Data<long>());
        CollectionAssert.AreEqual(new long[] { 0, 1, 0 }, x.ArgMax(0).Data<long>());
    }

    [TestMethod]
    public void SliceTakeConcatenate()
    {
        var x = Range(4, 2);
        CollectionAssert.AreEqual(new float[] { 2, 3, 4, 5 }, x.Slice(1, 3).Float32Data);
        CollectionAssert.AreEqual(new float[] { 6, 7 }, x.Slice(-1, 10).Float32Data);
        CollectionAssert.AreEqual(new float[] { 6, 7, 0, 1 }, x.Take([3, 0]).Float32Data);
        CollectionAssert.AreEqual(new float[] { 2, 3 }, x[1].Float32Data);
        var c = NDArray.Concatenate([x.Slice(0, 1), x.Slice(3, 4)], 0);
        CollectionAssert.AreEqual(new float[] { 0, 1, 6, 7 }, c.Float32Data);
        var c1 = NDArray.Concatenate([Range(2, 1), Range(2, 2)], 1);
        CollectionAssert.AreEqual(new float[] { 0, 0, 1, 1, 2, 3 }, c1.Float32Data);
        Assert.ThrowsExactly<ArgumentException>(() => x.Take([4]));
    }

    [TestMethod]
    public void TransposeAndReshape()
    {
        // CIFAR: (N, 3, 2, 2) planes to (N, 2, 2, 3) channels-last.
        var x = Range(1, 3, 2, 2);
        var t = x.Transpose(0, 2, 3, 1);
        CollectionAssert.AreEqual(new[] { 1, 2, 2, 3 }, t.Shape);
        CollectionAssert.AreEqual(new float[] { 0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11 }, t.Float32Data);
        Assert.AreEqual(12, x.Reshape(3, -1).Size);
        CollectionAssert.AreEqual(new[] { 3, 4 }, x.Reshape(3, -1).Shape);
        Assert.ThrowsExactly<ArgumentException>(() => x.Reshape(5, -1));
    }

    [TestMethod]
    public void AsType_TruncatesAndConverts()
    {
        var x = NDArray.FromArray(new float[] { 1.7f, -1.7f, 255f }, 3);
        CollectionAssert.AreEqual(new int[] { 1, -1, 255 }, x.AsType(DType.Int32).Data<int>());
        var u8 = NDArray.FromArray(new byte[] { 0, 128, 255 }, 3);
        CollectionAssert.AreEqual(new float[] { 0, 128, 255 }, u8.AsType(DType.Float32).Float32Data);
        CollectionAssert.AreEqual(new float[] { 0, 64, 127.5f }, (u8.AsType(DType.Float32) / 2).Float32Data);
    }
}
