using System.Globalization;
using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.preprocessing.image.ImageDataGenerator</c>: real-time data augmentation and normalization with every
/// argument of keras_preprocessing 1.1 (same names in camelCase, same defaults).
/// </summary>
/// <remarks>
/// <para><c>semantics</c> picks the Keras generation reproduced:</para>
/// <list type="bullet">
/// <item><c>"keras"</c> (default): the in-tree class of Keras 2.9–2.15, which Keras 3 keeps as its legacy class. The affine
/// transform pivots at (h/2 − 0.5, w/2 − 0.5) and its matrix is conjugated by the row/column swap (so <c>tx</c> moves
/// columns and <c>zx</c> scales columns), ZCA uses the thin SVD of Xᵀ (√N/(s + ε)), brightness keeps the value range,
/// and <c>Fit</c> applies <c>rescale</c> first.</item>
/// <item><c>"keras_preprocessing"</c>: keras_preprocessing 1.1 as used by TF 2.4–2.8 (the tutorial's era). The affine
/// transform pivots at (h/2 + 0.5, w/2 + 0.5) in (row, col), ZCA uses the SVD of XᵀX/N (1/√(λ + ε)), brightness maps the
/// image to 0–255, and <c>Fit</c> ignores <c>rescale</c>.</item>
/// </list>
/// <para>Random draws come from NumPy's legacy generator reproduced draw for draw (<see cref="RandomState"/>), in Keras's
/// order, and the resampling is SciPy's <c>affine_transform</c> reproduced operation for operation, so the same seed and
/// parameters give Keras's numbers. The generator is immutable after <see cref="Fit"/>, so <see cref="ApplyTransform"/>,
/// <see cref="Standardize"/> and the iterators of <see cref="Flow"/> may run on several threads at once.</para>
/// <para>Not supported: <c>flow_from_directory</c>, <c>flow_from_dataframe</c>, <c>save_to_dir</c>, spline orders 2–5,
/// and <c>dtype</c> other than float32.</para>
/// </remarks>
public sealed class ImageDataGenerator : IDisposable
{
    private const double StdEpsilon = 1e-6;

    private readonly bool keras29;
    private readonly int rowAxis, colAxis, channelAxis;
    private readonly int fillModeCode;
    private readonly double zoomLow, zoomHigh;
    private double[]? zcaMatrix;
    private int zcaSize;

    /// <summary>
    /// Keras's constructor with its defaults. <paramref name="zoomRange"/> takes a float z ([1 − z, 1 + z]) or a
    /// list [lower, upper]; the shift ranges take a float, an int or a list (see <see cref="ShiftRange"/>).
    /// <paramref name="dataFormat"/> and <paramref name="dtype"/> default to "channels_last" and "float32" as in tf.keras.
    /// </summary>
    /// <exception cref="ArgumentException">An argument Keras would refuse, or a negative or non-finite range.</exception>
    public ImageDataGenerator(bool featurewiseCenter = false, bool samplewiseCenter = false,
        bool featurewiseStdNormalization = false, bool samplewiseStdNormalization = false,
        bool zcaWhitening = false, double zcaEpsilon = 1e-6, double rotationRange = 0,
        ShiftRange widthShiftRange = default, ShiftRange heightShiftRange = default,
        double[]? brightnessRange = null, double shearRange = 0, ZoomRange zoomRange = default,
        double channelShiftRange = 0, string fillMode = "nearest", double cval = 0,
        bool horizontalFlip = false, bool verticalFlip = false, double? rescale = null,
        Func<NDArray, NDArray>? preprocessingFunction = null, string? dataFormat = null,
        double validationSplit = 0, int interpolationOrder = 1, string? dtype = null, string semantics = "keras")
    {
        ArgumentNullException.ThrowIfNull(semantics);
        ArgumentNullException.ThrowIfNull(fillMode);
        keras29 = semantics switch
        {
            "keras" => true,
            "keras_preprocessing" => false,
            _ => throw new ArgumentException($"Invalid value for argument `semantics`. Expected \"keras\" (Keras 2.9-2.15 and Keras 3's legacy class) or \"keras_preprocessing\" (keras_preprocessing 1.1, TF 2.4-2.8). Received semantics={semantics}.", nameof(semantics)),
        };
        Semantics = semantics;
        DataFormat = dataFormat ?? "channels_last";
        if (DataFormat is not ("channels_last" or "channels_first"))
            throw new ArgumentException($"`data_format` should be `\"channels_last\"` (channel after row and column) or `\"channels_first\"` (channel before row and column). Received: {dataFormat}", nameof(dataFormat));
        (channelAxis, rowAxis, colAxis) = DataFormat == "channels_last" ? (3, 1, 2) : (1, 2, 3);
        if (validationSplit != 0 && !(validationSplit > 0 && validationSplit < 1))
            throw new ArgumentException($"`validation_split` must be strictly between 0 and 1.  Received: {Py(validationSplit)}", nameof(validationSplit));
        fillModeCode = AffineSampler.ModeCode(fillMode);
        if (interpolationOrder is not (0 or 1))
            throw new ArgumentException($"Invalid value for argument `interpolation_order`. Expected 0 (nearest) or 1 (bilinear); spline orders 2-5 are not supported. Received interpolation_order={interpolationOrder}.", nameof(interpolationOrder));
        CheckRange(rotationRange, "rotation_range", nameof(rotationRange));
        CheckRange(shearRange, "shear_range", nameof(shearRange));
        CheckRange(channelShiftRange, "channel_shift_range", nameof(channelShiftRange));
        CheckRange(zcaEpsilon, "zca_epsilon", nameof(zcaEpsilon));
        CheckShift(widthShiftRange, "width_shift_range", nameof(widthShiftRange));
        CheckShift(heightShiftRange, "height_shift_range", nameof(heightShiftRange));
        if (!double.IsFinite(cval))
            throw new ArgumentException($"Invalid value for argument `cval`. Expected a finite number. Received cval={Py(cval)}.", nameof(cval));
        if (zoomRange.IsList)
        {
            var z = zoomRange.List!;
            if (z.Length != 2 || !z.All(double.IsFinite))
                throw new ArgumentException($"`zoom_range` should be a float or a tuple or list of two floats. Received: {zoomRange}", nameof(zoomRange));
        }
        else CheckRange(zoomRange.Scalar, "zoom_range", nameof(zoomRange));
        (zoomLow, zoomHigh) = zoomRange.Bounds;
        if (brightnessRange is not null && (brightnessRange.Length != 2 || !brightnessRange.All(double.IsFinite)))
            throw new ArgumentException($"`brightness_range should be tuple or list of two floats. Received: [{string.Join(", ", brightnessRange.Select(Py))}]", nameof(brightnessRange));
        if (rescale is { } rs && !double.IsFinite(rs))
            throw new ArgumentException($"Invalid value for argument `rescale`. Expected a finite number or null. Received rescale={Py(rs)}.", nameof(rescale));
        Dtype = dtype ?? "float32";
        if (Dtype != "float32")
            throw new ArgumentException($"Invalid value for argument `dtype`. Only \"float32\" (Keras's default floatx) is supported. Received dtype={dtype}.", nameof(dtype));

        FeaturewiseCenter = featurewiseCenter;
        SamplewiseCenter = samplewiseCenter;
        FeaturewiseStdNormalization = featurewiseStdNormalization;
        SamplewiseStdNormalization = samplewiseStdNormalization;
        ZcaWhitening = zcaWhitening;
        ZcaEpsilon = zcaEpsilon;
        RotationRange = rotationRange;
        WidthShiftRange = widthShiftRange;
        HeightShiftRange = heightShiftRange;
        BrightnessRange = brightnessRange is null ? null : (double[])brightnessRange.Clone();
        ShearRange = shearRange;
        ZoomRange = zoomRange;
        ChannelShiftRange = channelShiftRange;
        FillMode = fillMode;
        Cval = cval;
        HorizontalFlip = horizontalFlip;
        VerticalFlip = verticalFlip;
        Rescale = rescale;
        PreprocessingFunction = preprocessingFunction;
        ValidationSplit = validationSplit;
        InterpolationOrder = interpolationOrder;
        // Keras's implied options, with its warnings.
        if (zcaWhitening)
        {
            if (!featurewiseCenter)
            {
                FeaturewiseCenter = true;
                Warn("This ImageDataGenerator specifies `zca_whitening`, which overrides setting of `featurewise_center`.");
            }
            if (featurewiseStdNormalization)
            {
                FeaturewiseStdNormalization = false;
                Warn("This ImageDataGenerator specifies `zca_whitening` which overrides setting of`featurewise_std_normalization`.");
            }
        }
        if (featurewiseStdNormalization && !featurewiseCenter)
        {
            FeaturewiseCenter = true;
            Warn("This ImageDataGenerator specifies `featurewise_std_normalization`, which overrides setting of `featurewise_center`.");
        }
        if (samplewiseStdNormalization && !samplewiseCenter)
        {
            SamplewiseCenter = true;
            Warn("This ImageDataGenerator specifies `samplewise_std_normalization`, which overrides setting of `samplewise_center`.");
        }
    }

    internal static string Py(double v) =>
        double.IsFinite(v) && v == Math.Floor(v) && Math.Abs(v) < 1e16 ? v.ToString("F1", CultureInfo.InvariantCulture) : v.ToString("R", CultureInfo.InvariantCulture);

    private static void Warn(string message) => Console.Error.WriteLine("UserWarning: " + message);

    private static void CheckRange(double v, string kerasName, string parameter)
    {
        if (!(v >= 0) || double.IsInfinity(v))
            throw new ArgumentException($"Invalid value for argument `{kerasName}`. Expected a non-negative finite number. Received {kerasName}={Py(v)}.", parameter);
    }

    private static void CheckShift(ShiftRange s, string kerasName, string parameter)
    {
        if (s.Choices is { } c)
        {
            if (!c.All(double.IsFinite))
                throw new ArgumentException($"Invalid value for argument `{kerasName}`. Expected finite numbers in the list. Received {kerasName}={s}.", parameter);
        }
        else if (!(s.Scalar >= 0) || double.IsInfinity(s.Scalar))
            throw new ArgumentException($"Invalid value for argument `{kerasName}`. Expected a non-negative finite number (a fraction of the size if < 1, else pixels), an int or a list. Received {kerasName}={s}.", parameter);
    }

    /// <summary>"keras" (Keras 2.9–2.15 / Keras 3 legacy) or "keras_preprocessing" (1.1).</summary>
    public string Semantics { get; }
    /// <summary><c>featurewise_center</c> (forced on by <c>zca_whitening</c> and <c>featurewise_std_normalization</c>).</summary>
    public bool FeaturewiseCenter { get; }
    /// <summary><c>samplewise_center</c> (forced on by <c>samplewise_std_normalization</c>).</summary>
    public bool SamplewiseCenter { get; }
    /// <summary><c>featurewise_std_normalization</c> (forced off by <c>zca_whitening</c>).</summary>
    public bool FeaturewiseStdNormalization { get; }
    /// <summary><c>samplewise_std_normalization</c>.</summary>
    public bool SamplewiseStdNormalization { get; }
    /// <summary><c>zca_whitening</c>.</summary>
    public bool ZcaWhitening { get; }
    /// <summary><c>zca_epsilon</c>.</summary>
    public double ZcaEpsilon { get; }
    /// <summary><c>rotation_range</c> in degrees.</summary>
    public double RotationRange { get; }
    /// <summary><c>width_shift_range</c>.</summary>
    public ShiftRange WidthShiftRange { get; }
    /// <summary><c>height_shift_range</c>.</summary>
    public ShiftRange HeightShiftRange { get; }
    /// <summary><c>brightness_range</c> [lower, upper], or null.</summary>
    public double[]? BrightnessRange { get; }
    /// <summary><c>shear_range</c> in degrees.</summary>
    public double ShearRange { get; }
    /// <summary><c>zoom_range</c> as given; <see cref="ZoomBounds"/> is Keras's <c>self.zoom_range</c>.</summary>
    public ZoomRange ZoomRange { get; }
    /// <summary>Keras's <c>self.zoom_range</c>: [lower, upper].</summary>
    public (double Lower, double Upper) ZoomBounds => (zoomLow, zoomHigh);
    /// <summary><c>channel_shift_range</c>.</summary>
    public double ChannelShiftRange { get; }
    /// <summary><c>fill_mode</c>.</summary>
    public string FillMode { get; }
    /// <summary><c>cval</c>.</summary>
    public double Cval { get; }
    /// <summary><c>horizontal_flip</c>.</summary>
    public bool HorizontalFlip { get; }
    /// <summary><c>vertical_flip</c>.</summary>
    public bool VerticalFlip { get; }
    /// <summary><c>rescale</c> (null or 0: off).</summary>
    public double? Rescale { get; }
    /// <summary><c>preprocessing_function</c>, run first in <see cref="Standardize"/>.</summary>
    public Func<NDArray, NDArray>? PreprocessingFunction { get; }
    /// <summary><c>data_format</c>: "channels_last" or "channels_first".</summary>
    public string DataFormat { get; }
    /// <summary><c>validation_split</c>.</summary>
    public double ValidationSplit { get; }
    /// <summary><c>interpolation_order</c>: 0 or 1.</summary>
    public int InterpolationOrder { get; }
    /// <summary><c>dtype</c>.</summary>
    public string Dtype { get; }

    /// <summary>Keras's <c>mean</c> after <see cref="Fit"/>: per-channel mean, shape (1, 1, C) or (C, 1, 1).</summary>
    public NDArray? Mean { get; private set; }
    /// <summary>Keras's <c>std</c> after <see cref="Fit"/>: per-channel population std, shape like <see cref="Mean"/>.</summary>
    public NDArray? Std { get; private set; }

    /// <summary>
    /// The ZCA matrix after <see cref="Fit"/>, (H·W·C, H·W·C), float64: keras_preprocessing's
    /// <c>principal_components</c>, Keras 2.9+'s <c>zca_whitening_matrix</c>.
    /// </summary>
    public NDArray? PrincipalComponents => zcaMatrix is null ? null : NDArrays.FromSpan<double>(zcaMatrix, zcaSize, zcaSize);

    /// <summary>Keras 2.9+'s name for <see cref="PrincipalComponents"/>.</summary>
    public NDArray? ZcaWhiteningMatrix => PrincipalComponents;

    internal int ChannelAxis => channelAxis;

    // ------------------------------------------------------------------ random transforms

    /// <summary>
    /// <c>get_random_transform(img_shape, seed=None)</c>: with a seed, the draws come from
    /// <c>np.random.seed(seed)</c>'s stream, so they equal Keras's for the same seed; without one, from a generator
    /// seeded by the session (<see cref="Backend.SetRandomSeed"/>).
    /// </summary>
    /// <param name="imgShape">The shape of one image: (rows, cols, channels) or, for channels_first, (channels, rows, cols).</param>
    /// <param name="seed">NumPy seed, or null.</param>
    public TransformParameters GetRandomTransform(int[] imgShape, uint? seed = null) =>
        GetRandomTransform(imgShape, new RandomState(seed ?? Backend.DerivedSeed("image.random_transform", counted: true)));

    /// <summary>
    /// Draws one transform from <paramref name="rng"/> in Keras's order: rotation, height shift (<c>tx</c>), width shift
    /// (<c>ty</c>), shear, zoom x then y, horizontal flip, vertical flip (both flip draws always happen), channel shift,
    /// brightness; a draw is skipped when its option is off.
    /// </summary>
    public TransformParameters GetRandomTransform(int[] imgShape, RandomState rng)
    {
        ArgumentNullException.ThrowIfNull(imgShape);
        ArgumentNullException.ThrowIfNull(rng);
        if (imgShape.Length != 3 || imgShape[0] <= 0 || imgShape[1] <= 0 || imgShape[2] <= 0)
            throw new ArgumentException($"GetRandomTransform: expected the shape of one image, (rows, cols, channels) or (channels, rows, cols) with positive sizes; received {ShapeUtil.Format(imgShape)}.", nameof(imgShape));
        int rows = imgShape[rowAxis - 1], cols = imgShape[colAxis - 1];
        double theta = RotationRange != 0 ? rng.Uniform(-RotationRange, RotationRange) : 0;
        double tx = HeightShiftRange.Enabled ? DrawShift(HeightShiftRange, rows, rng) : 0;
        double ty = WidthShiftRange.Enabled ? DrawShift(WidthShiftRange, cols, rng) : 0;
        double shear = ShearRange != 0 ? rng.Uniform(-ShearRange, ShearRange) : 0;
        double zx = 1, zy = 1;
        if (!(zoomLow == 1 && zoomHigh == 1))
        {
            zx = rng.Uniform(zoomLow, zoomHigh);
            zy = rng.Uniform(zoomLow, zoomHigh);
        }
        bool flipH = rng.NextDouble() < 0.5 && HorizontalFlip;
        bool flipV = rng.NextDouble() < 0.5 && VerticalFlip;
        double? channelShift = ChannelShiftRange != 0 ? rng.Uniform(-ChannelShiftRange, ChannelShiftRange) : null;
        double? brightness = BrightnessRange is { } br ? rng.Uniform(br[0], br[1]) : null;
        return new TransformParameters
        {
            Theta = theta, Tx = tx, Ty = ty, Shear = shear, Zx = zx, Zy = zy,
            FlipHorizontal = flipH, FlipVertical = flipV, ChannelShiftIntensity = channelShift, Brightness = brightness,
        };
    }

    /// <summary>
    /// Keras's shift draw: an int or a list goes through <c>np.random.choice(value) * np.random.choice([-1, 1])</c>
    /// (NumPy raises for a float there and Keras falls back to <c>uniform(-r, r)</c>); then a value whose max is below 1
    /// is a fraction of the size.
    /// </summary>
    private static double DrawShift(ShiftRange range, int size, RandomState rng)
    {
        double t;
        var choices = range.ChoiceSpan;
        if (!choices.IsEmpty)
        {
            t = choices[rng.Choice(choices.Length)];
            t *= rng.Choice(2) == 0 ? -1 : 1;
        }
        else if (range.IsInt)
        {
            t = rng.Choice((int)range.Scalar);
            t *= rng.Choice(2) == 0 ? -1 : 1;
        }
        else t = rng.Uniform(-range.Scalar, range.Scalar);
        if (range.Max < 1) t *= size;
        return t;
    }

    /// <summary>
    /// <c>apply_transform(x, transform_parameters)</c> on one image (rank 3, in <see cref="DataFormat"/>): the affine
    /// transform about the centre (skipped entirely when every factor is neutral), then the channel shift, horizontal
    /// flip, vertical flip and brightness. Returns a new float32 array; <paramref name="x"/> is not modified.
    /// </summary>
    public NDArray ApplyTransform(NDArray x, TransformParameters transformParameters)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(transformParameters);
        if (x.Rank != 3)
            throw new ArgumentException($"ApplyTransform: expected one image of rank 3 ({(DataFormat == "channels_last" ? "rows, cols, channels" : "channels, rows, cols")}); received shape {ShapeUtil.Format(x.ShapeSpan)}.", nameof(x));
        var shape = x.IntShape;
        var dst = np.empty(new NumSharp.Shape(shape), np.float32);
        if (x.DType == DType.Float32) ApplyTransformInto(x.ReadSpan<float>(), shape, transformParameters, dst.WriteSpan<float>());
        else
        {
            var src = new float[x.Size];
            x.CopyToFloat32(src);
            ApplyTransformInto(src, shape, transformParameters, dst.WriteSpan<float>());
        }
        return dst;
    }

    /// <summary>The work of <see cref="ApplyTransform"/> from one buffer into another (no allocation for shifts, flips, zooms).</summary>
    internal void ApplyTransformInto(ReadOnlySpan<float> src, int[] imgShape, TransformParameters p, Span<float> dst)
    {
        p.Validate();
        int h = imgShape[rowAxis - 1], w = imgShape[colAxis - 1], ch = imgShape[channelAxis - 1];
        var (rs, cs, ks) = Strides(h, w, ch);
        if (AffineMatrix(p, h, w) is { } a)
            AffineSampler.Apply(src, dst, h, w, ch, rs, cs, ks, a[0, 0], a[0, 1], a[1, 0], a[1, 1], a[0, 2], a[1, 2], InterpolationOrder, fillModeCode, Cval);
        else src.CopyTo(dst);
        if (p.ChannelShiftIntensity is { } intensity) ChannelShift(dst, (float)intensity);
        if (p.FlipHorizontal) Flip(dst, h, w, ch, rs, cs, ks, columns: true);
        if (p.FlipVertical) Flip(dst, h, w, ch, rs, cs, ks, columns: false);
        if (p.Brightness is { } b) PilBrightness.Apply(dst, ch, ks, b, keras29);
    }

    /// <summary>Element strides of rows, columns and channels of one image in this data format.</summary>
    private (int Row, int Col, int Channel) Strides(int h, int w, int ch) =>
        DataFormat == "channels_last" ? (w * ch, ch, 1) : (w, 1, h * w);

    /// <summary>
    /// The 3x3 matrix mapping output to input coordinates, as Keras builds it (rotation · shift · shear · zoom, a factor
    /// left out when neutral, conjugated by the offset to the centre; 2.9+ also swaps rows and columns), or null when
    /// every factor is neutral and Keras does not resample.
    /// </summary>
    internal double[,]? AffineMatrix(TransformParameters p, int h, int w)
    {
        double[,]? t = null;
        void Mul(double[,] f) => t = t is null ? f : Dot(t, f);
        if (p.Theta != 0)
        {
            // np.deg2rad multiplies by π/180.
            double th = p.Theta * (Math.PI / 180.0);
            Mul(new[,] { { Math.Cos(th), -Math.Sin(th), 0 }, { Math.Sin(th), Math.Cos(th), 0 }, { 0, 0, 1.0 } });
        }
        if (p.Tx != 0 || p.Ty != 0) Mul(new[,] { { 1, 0, p.Tx }, { 0, 1, p.Ty }, { 0, 0, 1.0 } });
        if (p.Shear != 0)
        {
            double s = p.Shear * (Math.PI / 180.0);
            Mul(new[,] { { 1, -Math.Sin(s), 0 }, { 0, Math.Cos(s), 0 }, { 0, 0, 1.0 } });
        }
        if (p.Zx != 1 || p.Zy != 1) Mul(new[,] { { p.Zx, 0, 0 }, { 0, p.Zy, 0 }, { 0, 0, 1.0 } });
        if (t is null) return null;
        // 1.1.x centres at h/2 + 0.5 (one pixel past the true centre); 2.9+ at h/2 - 0.5.
        double half = keras29 ? -0.5 : 0.5;
        double ox = h / 2.0 + half, oy = w / 2.0 + half;
        var a = Dot(Dot(new[,] { { 1, 0, ox }, { 0, 1, oy }, { 0, 0, 1.0 } }, t), new[,] { { 1, 0, -ox }, { 0, 1, -oy }, { 0, 0, 1.0 } });
        if (keras29)
        {
            // M' = P·M·P with P the row/column swap: Keras 2.9+ builds the matrix in (x, y) = (col, row) order.
            var s = new double[3, 3];
            int[] perm = [1, 0, 2];
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 3; j++) s[i, j] = a[perm[i], perm[j]];
            a = s;
        }
        return a;
    }

    private static double[,] Dot(double[,] a, double[,] b)
    {
        var r = new double[3, 3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
                r[i, j] = a[i, 0] * b[0, j] + a[i, 1] * b[1, j] + a[i, 2] * b[2, j];
        return r;
    }

    /// <summary>
    /// <c>apply_channel_shift</c>: every channel gets the same intensity (added in float32, as NumPy adds a Python float
    /// to a float32 array), clipped to the image's minimum and maximum over all channels.
    /// </summary>
    private static void ChannelShift(Span<float> x, float intensity)
    {
        if (x.IsEmpty) return;
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (float v in x)
        {
            if (v < min) min = v;
            if (v > max) max = v;
        }
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i] + intensity;
            x[i] = v < min ? min : v > max ? max : v;
        }
    }

    /// <summary>Reverses the columns (or rows) in place.</summary>
    private static void Flip(Span<float> x, int h, int w, int ch, int rs, int cs, int ks, bool columns)
    {
        int outer = columns ? h : w, inner = columns ? w : h;
        int outerStride = columns ? rs : cs, innerStride = columns ? cs : rs;
        for (int a = 0; a < outer; a++)
            for (int b = 0; b < inner / 2; b++)
            {
                int i = a * outerStride + b * innerStride, j = a * outerStride + (inner - 1 - b) * innerStride;
                for (int k = 0; k < ch; k++) (x[i + k * ks], x[j + k * ks]) = (x[j + k * ks], x[i + k * ks]);
            }
    }

    /// <summary><c>random_transform(x, seed=None)</c>: <see cref="GetRandomTransform(int[], uint?)"/> then <see cref="ApplyTransform"/>.</summary>
    public NDArray RandomTransform(NDArray x, uint? seed = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        return ApplyTransform(x, GetRandomTransform(x.IntShape, seed));
    }

    // ------------------------------------------------------------------ standardization

    /// <summary>Whether <see cref="Standardize"/> changes anything (else it is a copy).</summary>
    internal bool StandardizeIsIdentity =>
        PreprocessingFunction is null && !(Rescale is { } r && r != 0) && !SamplewiseCenter && !SamplewiseStdNormalization
        && !FeaturewiseCenter && !FeaturewiseStdNormalization && !ZcaWhitening;

    /// <summary>
    /// <c>standardize(x)</c> in Keras's order: preprocessing function, ×rescale, samplewise centre (x − mean(x)),
    /// samplewise std (÷(std(x) + 1e-6)), featurewise centre and std (from <see cref="Fit"/>), ZCA (flatten each image to
    /// H·W·C values and multiply by the ZCA matrix). Takes one image or a batch (statistics of "samplewise" are then over
    /// the whole array, as in Keras). Keras works in place; this returns a new float32 array.
    /// </summary>
    public NDArray Standardize(NDArray x)
    {
        ArgumentNullException.ThrowIfNull(x);
        // One float32 copy, then Keras's in-place steps on it (x *= rescale, x -= mean, ...); the scope reclaims every
        // other array made here (statistics, scalars) as NumSharp's disposal guidelines recommend.
        using var scope = NumSharp.NDScope.Open();
        var img = x.astype(np.float32);
        if (PreprocessingFunction is not null)
        {
            var processed = PreprocessingFunction(img) ?? throw new InvalidOperationException("`preprocessing_function` returned null; it must return an image of the same shape.");
            if (!ReferenceEquals(processed, img)) img.Dispose();
            img = processed;
            if (img.DType != DType.Float32)
            {
                var f = img.astype(np.float32);
                img.Dispose();
                img = f;
            }
        }
        if (Rescale is { } r && r != 0) np.multiply(img, (NDArray)(float)r, @out: img);
        if (SamplewiseCenter) np.subtract(img, np.mean(img, keepdims: true), @out: img);
        if (SamplewiseStdNormalization) np.divide(img, np.std(img, keepdims: true) + (float)StdEpsilon, @out: img);
        if (FeaturewiseCenter)
        {
            if (Mean is not null) np.subtract(img, Mean, @out: img);
            else Warn("This ImageDataGenerator specifies `featurewise_center`, but it hasn't been fit on any training data. Fit it first by calling `.fit(numpy_data)`.");
        }
        if (FeaturewiseStdNormalization)
        {
            if (Std is not null) np.divide(img, Std + (float)StdEpsilon, @out: img);
            else Warn("This ImageDataGenerator specifies `featurewise_std_normalization`, but it hasn't been fit on any training data. Fit it first by calling `.fit(numpy_data)`.");
        }
        if (ZcaWhitening)
        {
            if (zcaMatrix is { } pc)
            {
                var whitened = Whiten(img, pc, zcaSize);
                img.Dispose();
                img = whitened;
            }
            else Warn("This ImageDataGenerator specifies `zca_whitening`, but it hasn't been fit on any training data. Fit it first by calling `.fit(numpy_data)`.");
        }
        return scope.Returns(img);
    }

    private static NDArray Whiten(NDArray img, double[] pc, int d)
    {
        var shape = img.IntShape;
        if (img.Rank < 3 || shape[^3] * shape[^2] * shape[^1] != d)
            throw new ArgumentException($"Standardize: the ZCA matrix was fitted on images of {d} values; received shape {ShapeUtil.Format(shape)}.", "x");
        var flat = img.ReadSpan<float>();
        var resultArray = np.empty(new NumSharp.Shape(shape), np.float32);
        var result = resultArray.WriteSpan<float>();
        var acc = new double[d];
        for (int row = 0; row < flat.Length / d; row++)
        {
            Array.Clear(acc);
            for (int i = 0; i < d; i++)
            {
                double xi = flat[row * d + i];
                if (xi == 0) continue;
                var pcRow = pc.AsSpan(i * d, d);
                for (int j = 0; j < d; j++) acc[j] += xi * pcRow[j];
            }
            for (int j = 0; j < d; j++) result[row * d + j] = (float)acc[j];
        }
        return resultArray;
    }

    /// <summary>
    /// <c>fit(x, augment=False, rounds=1, seed=None)</c>: computes <see cref="Mean"/>, <see cref="Std"/> and the ZCA matrix
    /// from a rank-4 sample (only those the options need). Keras 2.9+ multiplies by <c>rescale</c> first. With
    /// <paramref name="augment"/>, the statistics come from <paramref name="rounds"/>·N randomly transformed copies
    /// (round-major), drawn from <c>np.random.seed(seed)</c>'s stream.
    /// </summary>
    public void Fit(NDArray x, bool augment = false, int rounds = 1, uint? seed = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 4)
            throw new ArgumentException($"Input to `.fit()` should have rank 4. Got array with shape: {ShapeUtil.Format(x.ShapeSpan)}", nameof(x));
        if (rounds < 1)
            throw new ArgumentException($"Invalid value for argument `rounds`. Expected an integer >= 1. Received rounds={rounds}.", nameof(rounds));
        if (x.IntShape[0] == 0)
            throw new ArgumentException($"Input to `.fit()` has no samples (shape {ShapeUtil.Format(x.ShapeSpan)}).", nameof(x));
        int channels = x.IntShape[channelAxis];
        if (channels is not (1 or 3 or 4))
            Warn($"Expected input to be images (as Numpy array) following the data format convention \"{DataFormat}\" (channels on axis {channelAxis}), i.e. expected either 1, 3 or 4 channels on axis {channelAxis}. However, it was passed an array with shape {ShapeUtil.Format(x.ShapeSpan)} ({channels} channels).");
        // With every featurewise option off Keras computes nothing: its copy (and augmented copies) are discarded.
        if (!FeaturewiseCenter && !FeaturewiseStdNormalization && !ZcaWhitening) return;
        var rng = new RandomState(seed ?? Backend.DerivedSeed("image.fit", counted: true));
        var imgShape = x.IntShape[1..];
        int n = x.IntShape[0], size = x.Size / n;
        // Read-only until a step needs its own copy (Keras copies up front; big datasets are spared two extra copies here).
        // Keras copies x (np.copy) before any step; the copy is a managed float32 array the steps below write into.
        var data = new float[x.Size];
        x.CopyToFloat32(data);
        bool owned = true;
        if (keras29 && Rescale is { } r && r != 0)
        {
            float scale = (float)r;
            var scaled = new float[data.Length];
            for (int i = 0; i < data.Length; i++) scaled[i] = data[i] * scale;
            data = scaled;
            owned = true;
        }
        if (augment)
        {
            var augmented = new float[(long)rounds * data.Length > Array.MaxLength
                ? throw new ArgumentException($"Fit: {rounds} rounds of {ShapeUtil.Format(x.ShapeSpan)} exceed the largest array.", nameof(rounds))
                : rounds * data.Length];
            for (int round = 0; round < rounds; round++)
                for (int i = 0; i < n; i++)
                    ApplyTransformInto(data.AsSpan(i * size, size), imgShape, GetRandomTransform(imgShape, rng), augmented.AsSpan((round * n + i) * size, size));
            data = augmented;
            n *= rounds;
            owned = true;
        }
        int channelStride = DataFormat == "channels_last" ? 1 : size / channels;
        int[] keep = [1, 1, 1];
        keep[channelAxis - 1] = channels;
        // Per-channel moments accumulated in double; the centring itself is float32 as in Keras (x -= mean).
        var mean = new float[channels];
        var count = new long[channels];
        var sum = new double[channels];
        for (int i = 0; i < data.Length; i++)
        {
            int c = i / channelStride % channels;
            sum[c] += data[i];
            count[c]++;
        }
        for (int c = 0; c < channels; c++) mean[c] = (float)(sum[c] / count[c]);
        if (FeaturewiseCenter)
        {
            Mean?.Dispose();
            Mean = NDArrays.FromSpan<float>(mean, keep);
        }
        if (FeaturewiseStdNormalization)
        {
            // np.std of the centred data: sqrt(mean((c − mean(c))²)).
            var centredSum = new double[channels];
            for (int i = 0; i < data.Length; i++) centredSum[i / channelStride % channels] += data[i] - mean[i / channelStride % channels];
            var square = new double[channels];
            for (int i = 0; i < data.Length; i++)
            {
                int c = i / channelStride % channels;
                double v = (float)(data[i] - mean[c]) - centredSum[c] / count[c];
                square[c] += v * v;
            }
            Std?.Dispose();
            Std = NDArrays.FromSpan<float>(Enumerable.Range(0, channels).Select(c => (float)Math.Sqrt(square[c] / count[c])).ToArray(), keep);
        }
        if (ZcaWhitening)
        {
            // ZCA forces featurewise_center on and featurewise_std_normalization off, so X is the centred data.
            var centred = owned ? data : new float[data.Length];
            for (int i = 0; i < data.Length; i++) centred[i] = data[i] - mean[i / channelStride % channels];
            FitZca(centred, n, size);
        }
    }

    /// <summary>
    /// ZCA from the centred sample X (N × d): Σ = XᵀX/N (float32, as Keras), eigen-decomposed in double. keras_preprocessing
    /// takes the SVD of Σ: U·diag(1/√(λ + ε))·Uᵀ over all d components. Keras 2.9+ takes the thin SVD of Xᵀ, whose singular
    /// values are √(N·λ): U·diag(√N/(√(N·λ) + ε))·Uᵀ over the min(N, d) largest.
    /// </summary>
    private void FitZca(float[] x, int n, int d)
    {
        var sigma32 = new float[(long)d * d > int.MaxValue ? throw new ArgumentException($"Fit: a ZCA matrix of {d}x{d} values is too large.", "x") : d * d];
        ResNetKeras.Devices.Cpu.CpuDevice.Instance.Kernels.Gemm(true, false, d, d, n, x, x, sigma32);
        var sigma = new double[sigma32.Length];
        float fn = n;
        for (int i = 0; i < sigma.Length; i++) sigma[i] = sigma32[i] / fn;
        var (values, u) = SymmetricEigen.Decompose(sigma, d);
        // SVD returns |λ|; a covariance's negative eigenvalues are rounding noise.
        var order = Enumerable.Range(0, d).OrderByDescending(k => Math.Abs(values[k])).ToArray();
        int components = keras29 ? Math.Min(n, d) : d;
        var scale = new double[components];
        var basis = new double[components * d];
        for (int c = 0; c < components; c++)
        {
            int k = order[c];
            double lambda = Math.Abs(values[k]);
            scale[c] = keras29 ? Math.Sqrt(n) / (Math.Sqrt(n * lambda) + ZcaEpsilon) : 1 / Math.Sqrt(lambda + ZcaEpsilon);
            for (int i = 0; i < d; i++) basis[c * d + i] = u[i * d + k];
        }
        // Σ_c scale_c·u_c·u_cᵀ as rank-one updates of the upper triangle (contiguous rows), mirrored at the end.
        var pc = new double[d * d];
        for (int c = 0; c < components; c++)
        {
            var uc = basis.AsSpan(c * d, d);
            for (int i = 0; i < d; i++)
            {
                double a = uc[i] * scale[c];
                if (a == 0) continue;
                var row = pc.AsSpan(i * d, d);
                for (int j = i; j < d; j++) row[j] += a * uc[j];
            }
        }
        for (int i = 0; i < d; i++)
            for (int j = 0; j < i; j++) pc[i * d + j] = pc[j * d + i];
        zcaMatrix = pc;
        zcaSize = d;
    }

    // ------------------------------------------------------------------ flow

    /// <summary>
    /// <c>flow(x, y=None, batch_size=32, shuffle=True, sample_weight=None, seed=None, subset=None)</c> (plus Keras 2.9+'s
    /// <c>ignore_class_split</c>): a <see cref="NumpyArrayIterator"/> of ⌈n/batchSize⌉ augmented, standardized batches,
    /// which <c>Model.Fit</c> consumes. See <see cref="NumpyArrayIterator"/> for ordering and seeding.
    /// </summary>
    public NumpyArrayIterator Flow(NDArray x, NDArray? y = null, int batchSize = 32, bool shuffle = true, NDArray? sampleWeight = null,
        uint? seed = null, string? subset = null, bool ignoreClassSplit = false) =>
        new(x, y, this, batchSize, shuffle, sampleWeight, seed, subset, ignoreClassSplit);

    /// <summary>Frees the statistics <see cref="Fit"/> computed (<see cref="Mean"/>, <see cref="Std"/>), which live in unmanaged memory.</summary>
    public void Dispose()
    {
        Mean?.Dispose();
        Std?.Dispose();
        Mean = Std = null;
    }
}
