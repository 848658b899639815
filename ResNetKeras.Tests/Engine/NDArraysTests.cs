using ResNetKeras.Engine;

namespace ResNetKeras.Tests.Engine;

/// <summary>The bridge's row gather (Fit's batches): NumPy's <c>a[indices]</c> along axis 0 for every dtype it feeds.</summary>
[TestClass]
public sealed class NDArraysTests
{
    [TestMethod]
    public void TakeRows_GathersRowsLikeNumPy_ForEveryDType()
    {
        foreach (var dtype in new[] { DType.Float32, DType.Float64, DType.UInt8, DType.Int32, DType.Int64 })
        {
            var a = NDArrays.AsEngineType(ND.Of(Enumerable.Range(0, 12).Select(i => (float)i).ToArray(), 4, 3), dtype);
            using var taken = a.Take([2, -1, 0, 2]);
            CollectionAssert.AreEqual(new[] { 4, 3 }, taken.IntShape, dtype.ToString());
            Assert.AreEqual(a.EngineDType, taken.EngineDType);
            CollectionAssert.AreEqual(new float[] { 6, 7, 8, 9, 10, 11, 0, 1, 2, 6, 7, 8 }, taken.Float32Data, dtype.ToString());
            var bad = Assert.ThrowsExactly<ArgumentException>(() => a.Take([1, 4]));
            StringAssert.Contains(bad.Message, "index 4 is out of bounds for axis 0 with size 4");
        }
    }
}
