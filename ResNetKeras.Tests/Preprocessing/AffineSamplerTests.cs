using ResNetKeras.Engine;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Preprocessing;

/// <summary>
/// SciPy's boundary conventions at orders 0 and 1 (KERAS_SEMANTICS.md §12's table), by hand on a one-row image
/// a = [10, 20, 30, 40, 50]: under keras_preprocessing a pure shift ty reads out(0, c) = a(c + ty).
/// </summary>
[TestClass]
public sealed class AffineSamplerTests
{
    private static readonly NDArray Row = ND.Of(new float[] { 10, 20, 30, 40, 50 }, 1, 5, 1);

    private static float[] Shift(string mode, double ty, int order = 1, double cval = -1) =>
        new ImageDataGenerator(fillMode: mode, cval: cval, interpolationOrder: order, semantics: "keras_preprocessing")
            .ApplyTransform(Row, new TransformParameters { Ty = ty }).Float32Data;

    [TestMethod]
    public void Nearest_ClampsTheCoordinate()
    {
        CollectionAssert.AreEqual(new float[] { 10, 17.5f, 27.5f, 37.5f, 47.5f }, Shift("nearest", -0.25));
        CollectionAssert.AreEqual(new float[] { 40, 50, 50, 50, 50 }, Shift("nearest", 3));
        CollectionAssert.AreEqual(new float[] { 10, 10, 10, 10, 10 }, Shift("nearest", -40.5));
    }

    [TestMethod]
    public void Constant_GivesCvalAsSoonAsThePointLeavesTheImage_WithoutBlending()
    {
        CollectionAssert.AreEqual(new float[] { -1, 17.5f, 27.5f, 37.5f, 47.5f }, Shift("constant", -0.25));
        CollectionAssert.AreEqual(new float[] { 12.5f, 22.5f, 32.5f, 42.5f, -1 }, Shift("constant", 0.25));
        // 1e-14 outside is outside.
        CollectionAssert.AreEqual(new float[] { -1, 20, 30, 40, 50 }, Shift("constant", -1e-14));
        Assert.AreEqual(10f, Shift("constant", 0)[0]);
    }

    [TestMethod]
    public void Reflect_MirrorsHalfASampleOutside()
    {
        // (-1, 0) reads a0; -1.5 mirrors to 0.5; beyond the right edge (4, 5) reads a4 and 5.5 mirrors to 3.5.
        CollectionAssert.AreEqual(new float[] { 10, 15, 25, 35, 45 }, Shift("reflect", -0.5));
        CollectionAssert.AreEqual(new float[] { 15, 10, 15, 25, 35 }, Shift("reflect", -1.5));
        CollectionAssert.AreEqual(new float[] { 15, 25, 35, 45, 50 }, Shift("reflect", 0.5));
        CollectionAssert.AreEqual(new float[] { 25, 35, 45, 50, 45 }, Shift("reflect", 1.5));
        CollectionAssert.AreEqual(new float[] { 45, 35, 25, 15, 10 }, Shift("reflect", 5.5));
    }

    [TestMethod]
    public void Wrap_HasPeriodNMinusOne()
    {
        // -0.25 wraps to 3.75 (a point just below 0 reads near a4); 4.25 wraps to 0.25.
        CollectionAssert.AreEqual(new float[] { 47.5f, 17.5f, 27.5f, 37.5f, 47.5f }, Shift("wrap", -0.25));
        CollectionAssert.AreEqual(new float[] { 12.5f, 22.5f, 32.5f, 42.5f, 12.5f }, Shift("wrap", 0.25));
        // A shift by the period n − 1 = 4: 4 is inside (a4), 5..7 wrap to 1..3 and 8 to 0.
        CollectionAssert.AreEqual(new float[] { 50, 20, 30, 40, 10 }, Shift("wrap", 4));
    }

    [TestMethod]
    public void OrderZero_RoundsHalfUp_ThenAppliesTheMode()
    {
        CollectionAssert.AreEqual(new float[] { 20, 30, 40, 50, 50 }, Shift("nearest", 0.5, order: 0));
        CollectionAssert.AreEqual(new float[] { 10, 20, 30, 40, 50 }, Shift("nearest", 0.49, order: 0));
        // -0.6 wraps to 3.4, which rounds to 3.
        CollectionAssert.AreEqual(new float[] { 40, 10, 20, 30, 40 }, Shift("wrap", -0.6, order: 0));
    }

    [TestMethod]
    public void EveryChannelUsesTheSameCoordinates()
    {
        var img = ND.Zeros([3, 4, 2]);
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 4; c++)
            {
                img.SetDouble(10 * r + c, r, c, 0);
                img.SetDouble(1000 + 10 * r + c, r, c, 1);
            }
        var gen = new ImageDataGenerator(fillMode: "constant", cval: 0, semantics: "keras_preprocessing");
        var got = gen.ApplyTransform(img, new TransformParameters { Theta = 13, Tx = 0.3 });
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 4; c++)
            {
                double a = got.GetDouble(r, c, 0), b = got.GetDouble(r, c, 1);
                // A constant-filled pixel is 0 in both channels; an inside one interpolates the same weights (sum 1).
                Assert.IsTrue(a == 0 && b == 0 || Math.Abs(b - a - 1000) < 1e-3, $"({r}, {c}): {a} vs {b}");
            }
    }
}
