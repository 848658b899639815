using System.Text.Json;
using ResNetKeras.Engine;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Preprocessing;

/// <summary>Hand-computed cases: where the two Keras generations differ, argument checks, and the draw distributions.</summary>
[TestClass]
public sealed class ImageDataGeneratorTests
{
    /// <summary>An h x w one-channel image with value 10·row + col.</summary>
    private static NDArray Ramp(int h, int w)
    {
        var img = ND.Zeros([h, w, 1]);
        for (int r = 0; r < h; r++)
            for (int c = 0; c < w; c++) img.SetDouble(10 * r + c, r, c, 0);
        return img;
    }

    private static void AssertImage(double[,] expected, NDArray actual, double tolerance, string context)
    {
        CollectionAssert.AreEqual(new[] { expected.GetLength(0), expected.GetLength(1), 1 }, actual.IntShape, context);
        for (int r = 0; r < expected.GetLength(0); r++)
            for (int c = 0; c < expected.GetLength(1); c++)
                Assert.AreEqual(expected[r, c], actual.GetDouble(r, c, 0), tolerance, $"{context} at ({r}, {c})");
    }

    private static readonly ImageDataGenerator Kp = new(semantics: "keras_preprocessing");
    private static readonly ImageDataGenerator K = new();

    [TestMethod]
    public void Shift_Tx_MovesRowsInKerasPreprocessing_ColumnsInKeras()
    {
        var img = Ramp(4, 6);
        // 1.1: out(r, c) = in(r + 1, c), the last row repeated (nearest). 2.9+: out(r, c) = in(r, c + 1).
        AssertImage(new double[,] { { 10, 11, 12, 13, 14, 15 }, { 20, 21, 22, 23, 24, 25 }, { 30, 31, 32, 33, 34, 35 }, { 30, 31, 32, 33, 34, 35 } },
            Kp.ApplyTransform(img, new TransformParameters { Tx = 1 }), 0, "keras_preprocessing");
        AssertImage(new double[,] { { 1, 2, 3, 4, 5, 5 }, { 11, 12, 13, 14, 15, 15 }, { 21, 22, 23, 24, 25, 25 }, { 31, 32, 33, 34, 35, 35 } },
            K.ApplyTransform(img, new TransformParameters { Tx = 1 }), 0, "keras");
        // Keras 2.9+'s (tx, ty) equals 1.1's (ty, tx) for a pure shift.
        var p = new TransformParameters { Tx = 0.7, Ty = -1.2 };
        CollectionAssert.AreEqual(Kp.ApplyTransform(img, p with { Tx = p.Ty, Ty = p.Tx }).Float32Data, K.ApplyTransform(img, p).Float32Data);
    }

    [TestMethod]
    public void Rotation180_PivotsOnePixelPastTheCentreInKerasPreprocessing_AtTheCentreInKerasForSquareImages()
    {
        var sq = Ramp(4, 4);
        // 1.1 pivots at (h/2 + 0.5, w/2 + 0.5) = (2.5, 2.5): out(r, c) = in(5 - r, 5 - c), clamped by nearest.
        AssertImage(new double[,] { { 33, 33, 33, 32 }, { 33, 33, 33, 32 }, { 33, 33, 33, 32 }, { 23, 23, 23, 22 } },
            Kp.ApplyTransform(sq, new TransformParameters { Theta = 180 }), 1e-4, "keras_preprocessing");
        // 2.9+ pivots at (1.5, 1.5), the true centre: an exact point reflection.
        AssertImage(new double[,] { { 33, 32, 31, 30 }, { 23, 22, 21, 20 }, { 13, 12, 11, 10 }, { 3, 2, 1, 0 } },
            K.ApplyTransform(sq, new TransformParameters { Theta = 180 }), 1e-4, "keras");
    }

    [TestMethod]
    public void Rotation180_OnANonSquareImage_KerasPivotsAtTheSwappedCentre()
    {
        var img = Ramp(4, 6);
        // 1.1: pivot (2.5, 3.5) → out(r, c) = in(5 - r, 7 - c).
        AssertImage(new double[,] { { 35, 35, 35, 34, 33, 32 }, { 35, 35, 35, 34, 33, 32 }, { 35, 35, 35, 34, 33, 32 }, { 25, 25, 25, 24, 23, 22 } },
            Kp.ApplyTransform(img, new TransformParameters { Theta = 180 }), 1e-4, "keras_preprocessing");
        // 2.9+: the centre (h/2 - 0.5, w/2 - 0.5) = (1.5, 2.5) is swapped with the axes: pivot (row 2.5, col 1.5),
        // so out(r, c) = in(5 - r, 3 - c), not the true point reflection in(3 - r, 5 - c).
        AssertImage(new double[,] { { 33, 32, 31, 30, 30, 30 }, { 33, 32, 31, 30, 30, 30 }, { 33, 32, 31, 30, 30, 30 }, { 23, 22, 21, 20, 20, 20 } },
            K.ApplyTransform(img, new TransformParameters { Theta = 180 }), 1e-4, "keras");
    }

    [TestMethod]
    public void Zoom_Zx_ScalesRowsInKerasPreprocessing_ColumnsInKeras()
    {
        var img = Ramp(4, 6);
        // 1.1: row_in = 2·(r − 2.5) + 2.5 = 2r − 2.5 (clamped); 2.9+: col_in = 2·(c − 1.5) + 1.5 = 2c − 1.5 (pivot h/2 − 0.5 after the swap).
        AssertImage(new double[,] { { 0, 1, 2, 3, 4, 5 }, { 0, 1, 2, 3, 4, 5 }, { 15, 16, 17, 18, 19, 20 }, { 30, 31, 32, 33, 34, 35 } },
            Kp.ApplyTransform(img, new TransformParameters { Zx = 2 }), 1e-5, "keras_preprocessing");
        AssertImage(new double[,] { { 0, 0.5, 2.5, 4.5, 5, 5 }, { 10, 10.5, 12.5, 14.5, 15, 15 }, { 20, 20.5, 22.5, 24.5, 25, 25 }, { 30, 30.5, 32.5, 34.5, 35, 35 } },
            K.ApplyTransform(img, new TransformParameters { Zx = 2 }), 1e-5, "keras");
    }

    [TestMethod]
    public void Shear_SlidesRowsInKerasPreprocessing_ColumnsInKeras()
    {
        var img = Ramp(4, 6);
        double sin = 0.5, cos = Math.Sqrt(3) / 2;
        // 1.1 (pivot (2.5, 3.5)): row_in = r − sin·(c − 3.5), col_in = cos·(c − 3.5) + 3.5. At (0, 0): (1.75, 0.46891).
        Assert.AreEqual(10 * (0 + sin * 3.5) + (3.5 - cos * 3.5), Kp.ApplyTransform(img, new TransformParameters { Shear = 30 }).GetDouble(0, 0, 0), 1e-4);
        // 2.9+ (pivot (row 2.5, col 1.5)): col_in = c − sin·(r − 2.5), row_in = cos·(r − 2.5) + 2.5. At (0, 0): (0.33494, 1.25).
        Assert.AreEqual(10 * (2.5 - cos * 2.5) + (0 + sin * 2.5), K.ApplyTransform(img, new TransformParameters { Shear = 30 }).GetDouble(0, 0, 0), 1e-4);
    }

    [TestMethod]
    public void Brightness_KerasPreprocessingMapsTo0To255_KerasKeepsTheRange()
    {
        var unit = ND.Of(new float[] { 0, 0.5f, 1 }, 1, 3, 1);
        var p = new TransformParameters { Brightness = 1.0 };
        // 1.1: x / max · 255 through uint8. 2.9+: inside [0, 255] nothing is rescaled, so uint8 truncation leaves 0, 0, 1.
        CollectionAssert.AreEqual(new float[] { 0, 127, 255 }, Kp.ApplyTransform(unit, p).Float32Data);
        CollectionAssert.AreEqual(new float[] { 0, 0, 1 }, K.ApplyTransform(unit, p).Float32Data);
        // Outside [0, 255] 2.9+ scales (x − min)/(max − min)·255, applies PIL, and maps back: 127/255·2 − 1.
        var signed = ND.Of(new float[] { -1, 0, 1 }, 1, 3, 1);
        CollectionAssert.AreEqual(new float[] { 0, 127, 255 }, Kp.ApplyTransform(signed, p).Float32Data);
        CollectionAssert.AreEqual(new float[] { -1, 127f / 255f * 2f - 1f, 1 }, K.ApplyTransform(signed, p).Float32Data);
        // PIL truncates alpha·v: 0.5 · 255 = 127.5 → 127; above 1 it clips at 255.
        CollectionAssert.AreEqual(new float[] { 0, 63, 127 }, Kp.ApplyTransform(unit, new TransformParameters { Brightness = 0.5 }).Float32Data);
        CollectionAssert.AreEqual(new float[] { 0, 254, 255 }, Kp.ApplyTransform(unit, new TransformParameters { Brightness = 2.0 }).Float32Data);
        var twoChannels = ND.Zeros([2, 2, 2]);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => K.ApplyTransform(twoChannels, p)).Message, "Unsupported channel number: 2");
    }

    [TestMethod]
    public void ChannelShift_OneIntensityForAllChannels_ClippedToTheImageRange()
    {
        var img = ND.Of(new float[] { 0.1f, 0.5f, 0.9f, 0.2f, 0.3f, 0.4f }, 1, 2, 3);
        var got = K.ApplyTransform(img, new TransformParameters { ChannelShiftIntensity = 0.25 });
        CollectionAssert.AreEqual(new float[] { 0.1f + 0.25f, 0.5f + 0.25f, 0.9f, 0.2f + 0.25f, 0.3f + 0.25f, 0.4f + 0.25f }, got.Float32Data);
        var down = K.ApplyTransform(img, new TransformParameters { ChannelShiftIntensity = -0.25 });
        Assert.AreEqual(0.1f, down.Float32Data[0], "clipped at the minimum over all channels");
    }

    [TestMethod]
    public void NeutralParameters_DoNotResample_AndFlipsReverseColumnsOrRows()
    {
        var img = Ramp(3, 4);
        var same = K.ApplyTransform(img, new TransformParameters());
        CollectionAssert.AreEqual(img.Float32Data, same.Float32Data);
        Assert.AreNotSame(img.Float32Data, same.Float32Data, "a new array");
        AssertImage(new double[,] { { 3, 2, 1, 0 }, { 13, 12, 11, 10 }, { 23, 22, 21, 20 } }, K.ApplyTransform(img, new TransformParameters { FlipHorizontal = true }), 0, "horizontal");
        AssertImage(new double[,] { { 20, 21, 22, 23 }, { 10, 11, 12, 13 }, { 0, 1, 2, 3 } }, Kp.ApplyTransform(img, new TransformParameters { FlipVertical = true }), 0, "vertical");
    }

    [TestMethod]
    [DataRow("keras")]
    [DataRow("keras_preprocessing")]
    public void ChannelsFirst_EqualsChannelsLastTransposed(string semantics)
    {
        var rng = new RandomState(3);
        var img = ND.Zeros([5, 7, 3]);
        for (int i = 0; i < img.Size; i++) img.SetFlat(i, rng.NextDouble());
        var last = new ImageDataGenerator(fillMode: "reflect", semantics: semantics);
        var first = new ImageDataGenerator(fillMode: "reflect", dataFormat: "channels_first", semantics: semantics);
        var p = new TransformParameters { Theta = 21, Tx = 0.6, Ty = -1.1, Shear = 7, Zx = 0.9, Zy = 1.2, FlipHorizontal = true, FlipVertical = true, ChannelShiftIntensity = 0.1 };
        var expected = last.ApplyTransform(img, p).Transpose(2, 0, 1);
        CollectionAssert.AreEqual(expected.Float32Data, first.ApplyTransform(img.Transpose(2, 0, 1).Copy(), p).Float32Data);
        // Shapes of channels_first images: rows and columns are axes 1 and 2.
        var draws = first.GetRandomTransform([3, 5, 7], 1u);
        Assert.IsNotNull(draws);
    }

    [TestMethod]
    public void Fit_AppliesRescaleInKerasOnly()
    {
        var x = ND.Full([4, 2, 2, 1], 4.0);
        x.SetFlat(0, 8);
        var kp = new ImageDataGenerator(featurewiseCenter: true, rescale: 0.5, semantics: "keras_preprocessing");
        var k = new ImageDataGenerator(featurewiseCenter: true, rescale: 0.5);
        kp.Fit(x);
        k.Fit(x);
        // Mean of 15 fours and one eight = 4.25; 2.9+ rescales first: 2.125.
        Assert.AreEqual(4.25, kp.Mean!.Item(), 1e-6);
        Assert.AreEqual(2.125, k.Mean!.Item(), 1e-6);
        CollectionAssert.AreEqual(new[] { 1, 1, 1 }, k.Mean!.IntShape);
        // Standardize always rescales: (4·0.5) − mean.
        Assert.AreEqual(2 - 4.25, kp.Standardize(x[1]).GetFlat(0), 1e-6);
        Assert.AreEqual(2 - 2.125, k.Standardize(x[1]).GetFlat(0), 1e-6);
    }

    [TestMethod]
    public void Zca_KerasPreprocessingUsesSvdOfCovariance_KerasUsesThinSvdOfX()
    {
        // Two centred samples of 2 values: Σ = XᵀX/N = [[1, 2], [2, 4]], λ = (5, 0), u = ((1, 2), (2, −1))/√5.
        // 1.1: U·diag(1/√(λ + ε))·Uᵀ. 2.9+: the singular values of X are s = √(N·λ): U·diag(√N/(s + ε))·Uᵀ.
        var x = ND.Of(new float[] { 1, 2, -1, -2 }, 2, 1, 1, 2);
        var k = new ImageDataGenerator(zcaWhitening: true);
        var kp = new ImageDataGenerator(zcaWhitening: true, semantics: "keras_preprocessing");
        k.Fit(x);
        kp.Fit(x);
        double eps = 1e-6;
        double kp00 = 0.2 / Math.Sqrt(5 + eps) + 0.8 / Math.Sqrt(eps);
        double kp01 = 0.4 / Math.Sqrt(5 + eps) - 0.4 / Math.Sqrt(eps);
        double k00 = 0.2 * Math.Sqrt(2) / (Math.Sqrt(10) + eps) + 0.8 * Math.Sqrt(2) / eps;
        Assert.AreEqual(kp00, kp.PrincipalComponents!.GetDouble(0, 0), kp00 * 1e-6);
        Assert.AreEqual(kp01, kp.PrincipalComponents.GetDouble(0, 1), Math.Abs(kp01) * 1e-6);
        Assert.AreEqual(k00, k.ZcaWhiteningMatrix!.GetDouble(0, 0), k00 * 1e-6);
        CollectionAssert.AreEqual(new[] { 2, 2 }, k.PrincipalComponents!.IntShape);
    }

    [TestMethod]
    public void Zca_KerasKeepsOnlyMinNdComponents()
    {
        // Three samples of 4 values: 2.9+'s thin SVD has 3 components, so a direction orthogonal to every sample
        // and to the fourth eigenvector gets weight 0; 1.1 keeps all 4 (each 1/√(0 + ε) on the null space).
        var x = ND.Of(new float[] { 1, 0, 0, 0, 0, 2, 0, 0, -1, -2, 0, 0 }, 3, 1, 1, 4);
        var k = new ImageDataGenerator(zcaWhitening: true);
        var kp = new ImageDataGenerator(zcaWhitening: true, semantics: "keras_preprocessing");
        k.Fit(x);
        kp.Fit(x);
        // Centred per channel: channels 2 and 3 are always 0, so e3 and e4 span the null space with e.g. the centred
        // data's own null direction. 1.1 gives each null direction 1/√ε = 1000.
        Assert.AreEqual(1000, kp.PrincipalComponents!.GetDouble(3, 3), 1e-3);
        Assert.AreEqual(1000, kp.PrincipalComponents.GetDouble(2, 2), 1e-3);
        // 2.9+: rank-2 data, 3 components kept: one null direction of the 2 (e3 or e4 mix) gets √3/ε, the other 0.
        double trace = k.PrincipalComponents!.GetDouble(2, 2) + k.PrincipalComponents.GetDouble(3, 3);
        Assert.AreEqual(Math.Sqrt(3) / 1e-6, trace, 1);
    }

    [TestMethod]
    public void Standardize_KerasOrder_OnImagesAndBatches()
    {
        var gen = new ImageDataGenerator(samplewiseCenter: true, samplewiseStdNormalization: true, rescale: 2, preprocessingFunction: a => a + 1.0);
        var img = ND.Of(new float[] { 0, 1, 2, 3 }, 2, 2, 1);
        // ((x + 1)·2 − mean) / (std + 1e-6): values 2, 4, 6, 8 → mean 5, std √5.
        var got = gen.Standardize(img);
        double std = Math.Sqrt(5);
        var expected = new[] { -3 / (std + 1e-6), -1 / (std + 1e-6), 1 / (std + 1e-6), 3 / (std + 1e-6) };
        for (int i = 0; i < 4; i++) Assert.AreEqual(expected[i], got.Float32Data[i], 1e-6);
        CollectionAssert.AreEqual(new float[] { 0, 1, 2, 3 }, img.Float32Data, "the input is not modified");
        var fw = new ImageDataGenerator(featurewiseCenter: true, featurewiseStdNormalization: true);
        var batch = ND.Of(Enumerable.Range(0, 24).Select(i => (float)(i * i % 7)).ToArray(), 2, 2, 2, 3);
        fw.Fit(batch);
        var whole = fw.Standardize(batch);
        for (int i = 0; i < 2; i++)
            CollectionAssert.AreEqual(fw.Standardize(batch[i]).Float32Data, whole[i].Float32Data, "a batch standardizes like its images");
    }

    [TestMethod]
    public void InvalidArguments_AreRefusedInKerasWords()
    {
        static string Message(Action a) => Assert.ThrowsExactly<ArgumentException>(a).Message;
        StringAssert.Contains(Message(() => new ImageDataGenerator(fillMode: "mirror")), "Received fill_mode=mirror");
        StringAssert.Contains(Message(() => new ImageDataGenerator(zoomRange: new[] { 0.5, 1, 2 })), "`zoom_range` should be a float or a tuple or list of two floats. Received: [0.5, 1.0, 2.0]");
        StringAssert.Contains(Message(() => new ImageDataGenerator(zoomRange: -0.2)), "zoom_range=-0.2");
        StringAssert.Contains(Message(() => new ImageDataGenerator(validationSplit: 1.0)), "`validation_split` must be strictly between 0 and 1.  Received: 1.0");
        StringAssert.Contains(Message(() => new ImageDataGenerator(validationSplit: -0.1)), "Received: -0.1");
        StringAssert.Contains(Message(() => new ImageDataGenerator(rotationRange: -5)), "Received rotation_range=-5.0");
        StringAssert.Contains(Message(() => new ImageDataGenerator(shearRange: double.NaN)), "shear_range=NaN");
        StringAssert.Contains(Message(() => new ImageDataGenerator(channelShiftRange: -1)), "channel_shift_range");
        StringAssert.Contains(Message(() => new ImageDataGenerator(widthShiftRange: -0.1)), "Received width_shift_range=-0.1");
        StringAssert.Contains(Message(() => new ImageDataGenerator(heightShiftRange: -3)), "Received height_shift_range=-3");
        StringAssert.Contains(Message(() => new ImageDataGenerator(brightnessRange: [0.5])), "`brightness_range should be tuple or list of two floats. Received: [0.5]");
        StringAssert.Contains(Message(() => new ImageDataGenerator(dataFormat: "nhwc")), "Received: nhwc");
        StringAssert.Contains(Message(() => new ImageDataGenerator(interpolationOrder: 3)), "interpolation_order=3");
        StringAssert.Contains(Message(() => new ImageDataGenerator(dtype: "float16")), "dtype=float16");
        StringAssert.Contains(Message(() => new ImageDataGenerator(semantics: "tf")), "semantics=tf");
        StringAssert.Contains(Message(() => new ImageDataGenerator(cval: double.PositiveInfinity)), "cval");
        StringAssert.Contains(Message(() => new ImageDataGenerator().Fit(ND.Zeros([2, 2, 2]))), "Input to `.fit()` should have rank 4. Got array with shape: (2, 2, 2)");
        StringAssert.Contains(Message(() => new ImageDataGenerator().Fit(ND.Zeros([2, 2, 2, 1]), rounds: 0)), "rounds=0");
        StringAssert.Contains(Message(() => new ImageDataGenerator().ApplyTransform(ND.Zeros([2, 2]), new TransformParameters())), "rank 3");
        StringAssert.Contains(Message(() => new ImageDataGenerator().ApplyTransform(ND.Zeros([2, 2, 1]), new TransformParameters { Theta = double.NaN })), "theta=NaN");
        StringAssert.Contains(Message(() => new ImageDataGenerator().GetRandomTransform([2, 2], 1u)), "(2, 2)");
    }

    [TestMethod]
    public void ImpliedOptions_AsKeras()
    {
        var zca = new ImageDataGenerator(zcaWhitening: true, featurewiseStdNormalization: true);
        Assert.IsTrue(zca.FeaturewiseCenter);
        Assert.IsFalse(zca.FeaturewiseStdNormalization);
        Assert.IsTrue(new ImageDataGenerator(featurewiseStdNormalization: true).FeaturewiseCenter);
        Assert.IsTrue(new ImageDataGenerator(samplewiseStdNormalization: true).SamplewiseCenter);
        Assert.AreEqual((0.8, 1.2), new ImageDataGenerator(zoomRange: 0.2).ZoomBounds);
        Assert.AreEqual((0.5, 1.5), new ImageDataGenerator(zoomRange: (0.5, 1.5)).ZoomBounds);
        Assert.AreEqual((1.0, 1.0), new ImageDataGenerator().ZoomBounds);
        Assert.AreEqual("channels_last", new ImageDataGenerator().DataFormat);
        Assert.AreEqual("float32", new ImageDataGenerator().Dtype);
        Assert.AreEqual("keras", new ImageDataGenerator().Semantics);
        Assert.AreEqual("0.1", ((ShiftRange)0.1).ToString());
        Assert.AreEqual("4", ((ShiftRange)4).ToString());
        Assert.AreEqual("[1, 2]", ((ShiftRange)new[] { 1, 2 }).ToString());
        Assert.AreEqual("[0.8, 1.1]", ((ZoomRange)new[] { 0.8, 1.1 }).ToString());
    }

    [TestMethod]
    public void TransformParameters_FromKerasDictionary()
    {
        using var doc = JsonDocument.Parse("""{"theta": 3, "tx": -1.5, "flip_horizontal": true, "flip_vertical": 0, "channel_shift_intensity": null, "brightness": 0.7}""");
        var fromJson = TransformParameters.FromDictionary(doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone()));
        Assert.AreEqual(new TransformParameters { Theta = 3, Tx = -1.5, FlipHorizontal = true, Brightness = 0.7 }, fromJson);
        var fromObjects = TransformParameters.FromDictionary(new Dictionary<string, object?> { ["zx"] = 2, ["zy"] = 0.5f, ["shear"] = 10L });
        Assert.AreEqual(new TransformParameters { Zx = 2, Zy = 0.5, Shear = 10 }, fromObjects);
        Assert.AreEqual(new TransformParameters(), TransformParameters.FromDictionary(new Dictionary<string, object?>()), "missing keys mean no change");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => TransformParameters.FromDictionary(new Dictionary<string, object?> { ["rotation"] = 1.0 })).Message, "Unknown transform parameter `rotation`");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => TransformParameters.FromDictionary(new Dictionary<string, object?> { ["tx"] = "1" })).Message, "`tx`");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => TransformParameters.FromDictionary(new Dictionary<string, object?> { ["theta"] = null })).Message, "theta=None");
        var round = TransformParameters.FromDictionary(fromJson.ToDictionary());
        Assert.AreEqual(fromJson, round);
    }

    [TestMethod]
    public void GetRandomTransform_DefaultsDrawOnlyTheTwoFlips()
    {
        var rng = new RandomState(17);
        var p = new ImageDataGenerator().GetRandomTransform([5, 5, 3], rng);
        Assert.AreEqual(new TransformParameters(), p);
        var reference = new RandomState(17);
        reference.NextDouble();
        reference.NextDouble();
        Assert.AreEqual(reference.NextUInt32(), rng.NextUInt32(), "exactly two random() draws");
    }

    [TestMethod]
    public void GetRandomTransform_DrawsWithinKerasRangesAndDistributions()
    {
        var gen = new ImageDataGenerator(rotationRange: 10, widthShiftRange: 0.1, heightShiftRange: 4, shearRange: 5, zoomRange: (0.8, 1.25),
            channelShiftRange: 0.3, brightnessRange: [0.5, 1.5], horizontalFlip: true);
        var rng = new RandomState(42);
        const int n = 20000;
        var theta = new double[n];
        var ty = new double[n];
        var zx = new double[n];
        var zy = new double[n];
        var txCounts = new Dictionary<double, int>();
        int flips = 0;
        for (int i = 0; i < n; i++)
        {
            var p = gen.GetRandomTransform([32, 32, 3], rng);
            Assert.IsTrue(Math.Abs(p.Theta) <= 10 && Math.Abs(p.Shear) <= 5, "rotation and shear within ±range");
            Assert.IsTrue(Math.Abs(p.Ty) <= 3.2, "width shift 0.1 of 32 columns");
            Assert.IsTrue(p.Zx >= 0.8 && p.Zx < 1.25 && p.Zy >= 0.8 && p.Zy < 1.25);
            Assert.IsTrue(Math.Abs(p.ChannelShiftIntensity!.Value) <= 0.3 && p.Brightness!.Value is >= 0.5 and < 1.5);
            Assert.IsFalse(p.FlipVertical, "vertical_flip is off");
            theta[i] = p.Theta;
            ty[i] = p.Ty;
            zx[i] = p.Zx;
            zy[i] = p.Zy;
            txCounts[p.Tx] = txCounts.GetValueOrDefault(p.Tx) + 1;
            if (p.FlipHorizontal) flips++;
        }
        // Uniform draws: chi-square over 20 equal bins (19 degrees of freedom; 43.8 is the 0.1% critical value).
        Assert.IsLessThan(43.8, ChiSquareUniform(theta, -10, 10, 20), "theta ~ U(-10, 10)");
        Assert.IsLessThan(43.8, ChiSquareUniform(ty, -3.2, 3.2, 20), "ty ~ U(-0.1, 0.1)·32");
        Assert.IsLessThan(43.8, ChiSquareUniform(zx, 0.8, 1.25, 20), "zx ~ U(0.8, 1.25)");
        Assert.IsLessThan(0.03, Math.Abs(Correlation(zx, zy)), "zx and zy are independent draws");
        // int 4: choice(4) · choice([-1, 1]): 0 with probability 1/4, ±1, ±2, ±3 with 1/8 each.
        CollectionAssert.AreEquivalent(new double[] { -3, -2, -1, 0, 1, 2, 3 }, txCounts.Keys.ToArray());
        double chi = txCounts.Sum(kv => Math.Pow(kv.Value - n * (kv.Key == 0 ? 0.25 : 0.125), 2) / (n * (kv.Key == 0 ? 0.25 : 0.125)));
        Assert.IsLessThan(22.5, chi, "tx distribution (6 degrees of freedom)");
        // Flips: Binomial(n, 1/2); 4 standard deviations.
        Assert.AreEqual(n / 2.0, flips, 4 * Math.Sqrt(n / 4.0));
    }

    private static double ChiSquareUniform(double[] values, double lo, double hi, int bins)
    {
        var counts = new int[bins];
        foreach (double v in values) counts[Math.Min(bins - 1, (int)((v - lo) / (hi - lo) * bins))]++;
        double expected = values.Length / (double)bins;
        return counts.Sum(c => (c - expected) * (c - expected) / expected);
    }

    private static double Correlation(double[] a, double[] b)
    {
        double ma = a.Average(), mb = b.Average();
        double cov = a.Zip(b).Sum(p => (p.First - ma) * (p.Second - mb));
        return cov / Math.Sqrt(a.Sum(v => (v - ma) * (v - ma)) * b.Sum(v => (v - mb) * (v - mb)));
    }
}
