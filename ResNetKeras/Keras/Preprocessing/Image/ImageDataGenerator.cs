using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.preprocessing.image.ImageDataGenerator</c>: real-time augmentation with every argument of
/// keras_preprocessing 1.1. The <c>semantics</c> argument picks the generation: <c>"keras"</c> (default; the
/// in-tree copy of Keras 2.9–2.15 that Keras 3 keeps as its legacy class) or <c>"keras_preprocessing"</c>
/// (1.1.x, used by TF 2.4–2.8, the tutorial's era). They differ in the affine centre and axes, ZCA, brightness
/// and whether <c>Fit</c> applies <c>rescale</c>.
/// </summary>
public sealed class ImageDataGenerator
{
    private readonly string semantics;
    private readonly int rowAxis, colAxis, channelAxis;

    /// <summary>Keras's signature with its defaults.</summary>
    public ImageDataGenerator(bool featurewiseCenter = false, bool samplewiseCenter = false,
        bool featurewiseStdNormalization = false, bool samplewiseStdNormalization = false,
        bool zcaWhitening = false, double zcaEpsilon = 1e-6, double rotationRange = 0,
        ShiftRange widthShiftRange = default, ShiftRange heightShiftRange = default,
        double[]? brightnessRange = null, double shearRange = 0, double[]? zoomRange = null, double zoom = 0,
        double channelShiftRange = 0, string fillMode = "nearest", double cval = 0,
        bool horizontalFlip = false, bool verticalFlip = false, double? rescale = null,
        Func<NDArray, NDArray>? preprocessingFunction = null, string? dataFormat = null,
        double validationSplit = 0, int interpolationOrder = 1, string? dtype = null, string semantics = "keras")
    {
        this.semantics = semantics switch
        {
            "keras" or "keras_preprocessing" => semantics,
            _ => throw new ArgumentException($"Invalid value for argument `semantics`. Expected \"keras\" or \"keras_preprocessing\". Received semantics={semantics}.", nameof(semantics)),
        };
        DataFormat = dataFormat ?? "channels_last";
        if (DataFormat is not ("channels_last" or "channels_first"))
            throw new ArgumentException($"`data_format` should be `\"channels_last\"` (channel after row and column) or `\"channels_first\"` (channel before row and column). Received: {dataFormat}", nameof(dataFormat));
        (channelAxis, rowAxis, colAxis) = DataFormat == "channels_last" ? (3, 1, 2) : (1, 2, 3);
        if (validationSplit != 0 && !(validationSplit > 0 && validationSplit < 1))
            throw new ArgumentException($"`validation_split` must be strictly between 0 and 1. Received: {validationSplit}", nameof(validationSplit));
        if (fillMode is not ("nearest" or "constant" or "reflect" or "wrap"))
            throw new ArgumentException($"Invalid value for argument `fill_mode`. Expected one of {{\"constant\", \"nearest\", \"reflect\", \"wrap\"}}. Received fill_mode={fillMode}.", nameof(fillMode));
        if (interpolationOrder is not (0 or 1))
            throw new ArgumentException($"Invalid value for argument `interpolation_order`. Expected 0 or 1. Received interpolation_order={interpolationOrder}.", nameof(interpolationOrder));
        CheckNonNegative(rotationRange, "rotation_range");
        CheckNonNegative(shearRange, "shear_range");
        CheckNonNegative(channelShiftRange, "channel_shift_range");
        CheckNonNegative(zcaEpsilon, "zca_epsilon");
        CheckShift(widthShiftRange, "width_shift_range");
        CheckShift(heightShiftRange, "height_shift_range");
        if (zoomRange is not null && zoom != 0)
            throw new ArgumentException("Pass either `zoom` (a float z, meaning [1 - z, 1 + z]) or `zoomRange` ([lo, hi]), not both.", nameof(zoomRange));
        if (zoomRange is null)
        {
            CheckNonNegative(zoom, "zoom_range");
            ZoomRange = [1 - zoom, 1 + zoom];
        }
        else if (zoomRange.Length == 2) ZoomRange = [zoomRange[0], zoomRange[1]];
        else throw new ArgumentException($"`zoom_range` should be a float or a tuple or list of two floats. Received: [{string.Join(", ", zoomRange)}]", nameof(zoomRange));
        if (brightnessRange is not null && brightnessRange.Length != 2)
            throw new ArgumentException($"`brightness_range should be tuple or list of two floats. Received: [{string.Join(", ", brightnessRange)}]", nameof(brightnessRange));
        Dtype = dtype ?? "float32";
        if (Dtype != "float32")
            throw new ArgumentException($"Invalid value for argument `dtype`. Only \"float32\" is supported. Received dtype={dtype}.", nameof(dtype));

        FeaturewiseCenter = featurewiseCenter;
        SamplewiseCenter = samplewiseCenter;
        FeaturewiseStdNormalization = featurewiseStdNormalization;
        SamplewiseStdNormalization = samplewiseStdNormalization;
        ZcaWhitening = zcaWhitening;
        ZcaEpsilon = zcaEpsilon;
        RotationRange = rotationRange;
        WidthShiftRange = widthShiftRange;
        HeightShiftRange = heightShiftRange;
        BrightnessRange = brightnessRange;
        ShearRange = shearRange;
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
            if (!FeaturewiseCenter) { FeaturewiseCenter = true; Warn("This ImageDataGenerator specifies `zca_whitening`, which overrides setting of `featurewise_center`."); }
            if (FeaturewiseStdNormalization) { FeaturewiseStdNormalization = false; Warn("This ImageDataGenerator specifies `zca_whitening` which overrides setting of`featurewise_std_normalization`."); }
        }
        if (FeaturewiseStdNormalization && !FeaturewiseCenter)
        {
            FeaturewiseCenter = true;
            Warn("This ImageDataGenerator specifies `featurewise_std_normalization`, which overrides setting of `featurewise_center`.");
        }
        if (SamplewiseStdNormalization && !SamplewiseCenter)
        {
            SamplewiseCenter = true;
            Warn("This ImageDataGenerator specifies `samplewise_std_normalization`, which overrides setting of `samplewise_center`.");
        }
    }

    private static void Warn(string message) => Console.Error.WriteLine("UserWarning: " + message);

    private static void CheckNonNegative(double v, string name)
    {
        if (!(v >= 0) || double.IsInfinity(v))
            throw new ArgumentException($"Invalid value for argument `{name}`. Expected a non-negative finite number. Received {name}={v}.", name);
    }

    private static void CheckShift(ShiftRange s, string name)
    {
        if (s.Choices is null && (!(s.Scalar >= 0) || double.IsInfinity(s.Scalar)))
            throw new ArgumentException($"Invalid value for argument `{name}`. Expected a non-negative number or a list. Received {name}={s}.", name);
        if (s.IsInt && s.Choices is null && s.Scalar < 0)
            throw new ArgumentException($"Invalid value for argument `{name}`. Received {name}={s}.", name);
    }

    /// <summary>Which Keras generation's maths is used.</summary>
    public string Semantics => semantics;
    /// <summary>Per-channel dataset mean subtraction.</summary>
    public bool FeaturewiseCenter { get; }
    /// <summary>Per-image mean subtraction.</summary>
    public bool SamplewiseCenter { get; }
    /// <summary>Per-channel dataset std division.</summary>
    public bool FeaturewiseStdNormalization { get; }
    /// <summary>Per-image std division.</summary>
    public bool SamplewiseStdNormalization { get; }
    /// <summary>ZCA whitening.</summary>
    public bool ZcaWhitening { get; }
    /// <summary>ZCA epsilon.</summary>
    public double ZcaEpsilon { get; }
    /// <summary>Rotation range in degrees.</summary>
    public double RotationRange { get; }
    /// <summary>Width shift.</summary>
    public ShiftRange WidthShiftRange { get; }
    /// <summary>Height shift.</summary>
    public ShiftRange HeightShiftRange { get; }
    /// <summary>Brightness [lo, hi], or none.</summary>
    public double[]? BrightnessRange { get; }
    /// <summary>Shear range in degrees.</summary>
    public double ShearRange { get; }
    /// <summary>Zoom [lo, hi].</summary>
    public double[] ZoomRange { get; }
    /// <summary>Channel shift range.</summary>
    public double ChannelShiftRange { get; }
    /// <summary>Boundary mode.</summary>
    public string FillMode { get; }
    /// <summary>Value outside the boundaries for "constant".</summary>
    public double Cval { get; }
    /// <summary>Random horizontal flips.</summary>
    public bool HorizontalFlip { get; }
    /// <summary>Random vertical flips.</summary>
    public bool VerticalFlip { get; }
    /// <summary>Multiplier applied in Standardize (null or 0: off).</summary>
    public double? Rescale { get; }
    /// <summary>Function applied first in Standardize.</summary>
    public Func<NDArray, NDArray>? PreprocessingFunction { get; }
    /// <summary>"channels_last" or "channels_first".</summary>
    public string DataFormat { get; }
    /// <summary>Fraction reserved for the validation subset.</summary>
    public double ValidationSplit { get; }
    /// <summary>Spline order of the affine resampling (0 or 1).</summary>
    public int InterpolationOrder { get; }
    /// <summary>Output dtype.</summary>
    public string Dtype { get; }

    /// <summary>Per-channel mean from <see cref="Fit"/>, shape (1, 1, C) (channels_last).</summary>
    public NDArray? Mean { get; private set; }
    /// <summary>Per-channel std from <see cref="Fit"/>.</summary>
    public NDArray? Std { get; private set; }
    /// <summary>ZCA matrix from <see cref="Fit"/>, (H·W·C, H·W·C).</summary>
    public double[]? PrincipalComponents { get; private set; }

    // ------------------------------------------------------------------ random transforms

    /// <summary>
    /// <c>get_random_transform(img_shape, seed)</c>: draws in Keras's order (rotation, height shift, width shift,
    /// shear, zoom x then y, horizontal flip, vertical flip, channel shift, brightness) from NumPy's generator.
    /// </summary>
    public TransformParameters GetRandomTransform(int[] imgShape, uint? seed = null) =>
        GetRandomTransform(imgShape, new RandomState(seed ?? Backend.NextSeed()));

    /// <summary>Draws from a given generator (what Flow uses, so one stream serves a whole batch).</summary>
    public TransformParameters GetRandomTransform(int[] imgShape, RandomState rng)
    {
        ArgumentNullException.ThrowIfNull(imgShape);
        if (imgShape.Length != 3)
            throw new ArgumentException($"GetRandomTransform: expected an image shape of rank 3; received {ShapeUtil.Format(imgShape)}.", nameof(imgShape));
        int rows = imgShape[rowAxis - 1], cols = imgShape[colAxis - 1];
        double theta = RotationRange != 0 ? rng.Uniform(-RotationRange, RotationRange) : 0;
        double tx = HeightShiftRange.Enabled ? DrawShift(HeightShiftRange, rows, rng) : 0;
        double ty = WidthShiftRange.Enabled ? DrawShift(WidthShiftRange, cols, rng) : 0;
        double shear = ShearRange != 0 ? rng.Uniform(-ShearRange, ShearRange) : 0;
        double zx = 1, zy = 1;
        if (!(ZoomRange[0] == 1 && ZoomRange[1] == 1))
        {
            zx = rng.Uniform(ZoomRange[0], ZoomRange[1]);
            zy = rng.Uniform(ZoomRange[0], ZoomRange[1]);
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

    private static double DrawShift(ShiftRange range, int size, RandomState rng)
    {
        double t;
        if (range.Choices is { } c)
        {
            t = c[rng.Choice(c.Length)];
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
    /// <c>apply_transform(x, transform_parameters)</c> on one image (rank 3): the affine transform about the centre
    /// (skipped when every factor is neutral), channel shift, horizontal then vertical flip, brightness.
    /// </summary>
    public NDArray ApplyTransform(NDArray x, TransformParameters p)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(p);
        if (x.Rank != 3)
            throw new ArgumentException($"ApplyTransform: expected one image of rank 3; received shape {ShapeUtil.Format(x.ShapeSpan)}.", nameof(x));
        var shape = x.Shape;
        int ra = rowAxis - 1, ca = colAxis - 1, ka = channelAxis - 1;
        int h = shape[ra], w = shape[ca], ch = shape[ka];
        var strides = ShapeUtil.Strides(shape);
        int Index(int r, int c, int k) => r * strides[ra] + c * strides[ca] + k * strides[ka];
        var source = x.DType == DType.Float32 ? x.Float32Data : x.AsType(DType.Float32).Float32Data;
        // The resampling writes a new buffer; without it the input is copied once so it is never modified.
        var m = AffineMatrix(p, h, w);
        var data = m is { } a
            ? AffineSampler.Apply(source, h, w, ch, strides[ra], strides[ca], strides[ka], a[0, 0], a[0, 1], a[1, 0], a[1, 1], a[0, 2], a[1, 2], InterpolationOrder, FillMode, Cval)
            : (float[])source.Clone();
        if (p.ChannelShiftIntensity is { } intensity)
        {
            float min = data.Min(), max = data.Max();
            for (int i = 0; i < data.Length; i++) data[i] = (float)Math.Clamp(data[i] + intensity, min, max);
        }
        if (p.FlipHorizontal) Flip(data, h, w, ch, Index, cols: true);
        if (p.FlipVertical) Flip(data, h, w, ch, Index, cols: false);
        if (p.Brightness is { } b) data = ApplyBrightness(data, h, w, ch, Index, b);
        return new NDArray(data, shape);
    }

    /// <summary>The 3x3 matrix (input coordinate = A·output) or null when every factor is neutral.</summary>
    internal double[,]? AffineMatrix(TransformParameters p, int h, int w)
    {
        double[,]? t = null;
        void Mul(double[,] f) => t = t is null ? f : Dot(t, f);
        if (p.Theta != 0)
        {
            double th = p.Theta * Math.PI / 180;
            Mul(new[,] { { Math.Cos(th), -Math.Sin(th), 0 }, { Math.Sin(th), Math.Cos(th), 0 }, { 0, 0, 1.0 } });
        }
        if (p.Tx != 0 || p.Ty != 0) Mul(new[,] { { 1, 0, p.Tx }, { 0, 1, p.Ty }, { 0, 0, 1.0 } });
        if (p.Shear != 0)
        {
            double s = p.Shear * Math.PI / 180;
            Mul(new[,] { { 1, -Math.Sin(s), 0 }, { 0, Math.Cos(s), 0 }, { 0, 0, 1.0 } });
        }
        if (p.Zx != 1 || p.Zy != 1) Mul(new[,] { { p.Zx, 0, 0 }, { 0, p.Zy, 0 }, { 0, 0, 1.0 } });
        if (t is null) return null;
        // 1.1.x centres one pixel past the true centre (h/2 + 0.5); 2.9+ uses h/2 - 0.5 and swaps the
        // row/column axes of the matrix, so its parameters act on (col, row).
        double shiftC = semantics == "keras_preprocessing" ? 0.5 : -0.5;
        double ox = h / 2.0 + shiftC, oy = w / 2.0 + shiftC;
        var a = Dot(Dot(new[,] { { 1, 0, ox }, { 0, 1, oy }, { 0, 0, 1.0 } }, t), new[,] { { 1, 0, -ox }, { 0, 1, -oy }, { 0, 0, 1.0 } });
        if (semantics == "keras")
        {
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
                for (int k = 0; k < 3; k++) r[i, j] += a[i, k] * b[k, j];
        return r;
    }

    /// <summary>Reverses columns (or rows) in place.</summary>
    private static void Flip(float[] data, int h, int w, int ch, Func<int, int, int, int> index, bool cols)
    {
        int outer = cols ? h : w, inner = cols ? w : h;
        for (int a = 0; a < outer; a++)
            for (int b = 0; b < inner / 2; b++)
                for (int k = 0; k < ch; k++)
                {
                    int i = cols ? index(a, b, k) : index(b, a, k);
                    int j = cols ? index(a, inner - 1 - b, k) : index(inner - 1 - b, a, k);
                    (data[i], data[j]) = (data[j], data[i]);
                }
    }

    /// <summary>
    /// PIL's ImageEnhance.Brightness through a uint8 image, as Keras does: 1.1.x rescales the image to 0..255 first
    /// (losing its range); 2.9+ rescales only when the image leaves [0, 255] and maps back afterwards.
    /// </summary>
    private float[] ApplyBrightness(float[] data, int h, int w, int ch, Func<int, int, int, int> index, double factor)
    {
        double min = data.Min(), max = data.Max();
        bool localScale = min < 0 || max > 255;
        bool scale = semantics == "keras_preprocessing" || localScale;
        var x = data.Select(v => (double)v).ToArray();
        if (scale)
        {
            double shift = Math.Max(-min, 0);
            for (int i = 0; i < x.Length; i++) x[i] += shift;
            double xMax = x.Max();
            if (xMax != 0) for (int i = 0; i < x.Length; i++) x[i] /= xMax;
            for (int i = 0; i < x.Length; i++) x[i] *= 255;
        }
        float alpha = (float)factor;
        var result = new float[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            byte u8 = unchecked((byte)(long)x[i]);
            // PIL's ImagingBlend with a black image: in float, truncated into 0..255.
            float temp = alpha * u8;
            result[i] = alpha is >= 0 and <= 1 ? (byte)temp : temp <= 0 ? 0 : temp >= 255 ? 255 : (byte)temp;
        }
        if (semantics == "keras" && localScale)
            for (int i = 0; i < result.Length; i++) result[i] = (float)(result[i] / 255.0 * (max - min) + min);
        return result;
    }

    /// <summary><c>random_transform(x, seed)</c>: draw parameters, then apply them.</summary>
    public NDArray RandomTransform(NDArray x, uint? seed = null) => ApplyTransform(x, GetRandomTransform(x.Shape, seed));

    // ------------------------------------------------------------------ standardization

    /// <summary>
    /// <c>standardize(x)</c>, in Keras's order: preprocessing function, rescale, samplewise centre and std,
    /// featurewise centre and std, ZCA. Works on a copy and returns it.
    /// </summary>
    public NDArray Standardize(NDArray x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var img = x.DType == DType.Float32 ? x.Copy() : x.AsType(DType.Float32);
        if (PreprocessingFunction is not null) img = PreprocessingFunction(img);
        if (Rescale is { } r && r != 0) img = img * r;
        if (SamplewiseCenter) img = img - img.Mean(keepDims: true);
        if (SamplewiseStdNormalization) img = img / (img.Std(keepDims: true) + 1e-6);
        if (FeaturewiseCenter)
        {
            if (Mean is not null) img = img - Mean;
            else Warn("This ImageDataGenerator specifies `featurewise_center`, but it hasn't been fit on any training data. Fit it first by calling `.Fit(numpy_data)`.");
        }
        if (FeaturewiseStdNormalization)
        {
            if (Std is not null) img = img / (Std + 1e-6);
            else Warn("This ImageDataGenerator specifies `featurewise_std_normalization`, but it hasn't been fit on any training data. Fit it first by calling `.Fit(numpy_data)`.");
        }
        if (ZcaWhitening)
        {
            if (PrincipalComponents is { } pc)
            {
                int d = img.Size;
                if (pc.Length != d * d)
                    throw new ArgumentException($"Standardize: the ZCA matrix was fitted on images of {Math.Sqrt(pc.Length)} values; this image has {d}.", nameof(x));
                var flat = img.Float32Data;
                var outp = new float[d];
                for (int j = 0; j < d; j++)
                {
                    double s = 0;
                    for (int i = 0; i < d; i++) s += flat[i] * pc[i * d + j];
                    outp[j] = (float)s;
                }
                img = new NDArray(outp, img.Shape);
            }
            else Warn("This ImageDataGenerator specifies `zca_whitening`, but it hasn't been fit on any training data. Fit it first by calling `.Fit(numpy_data)`.");
        }
        return img;
    }

    /// <summary>
    /// <c>fit(x, augment=False, rounds=1, seed=None)</c>: the featurewise mean/std and the ZCA matrix from a rank-4
    /// sample (with <paramref name="augment"/>, from <paramref name="rounds"/> randomly transformed copies).
    /// </summary>
    public void Fit(NDArray x, bool augment = false, int rounds = 1, uint? seed = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 4)
            throw new ArgumentException($"Input to `.fit()` should have rank 4. Got array with shape: {ShapeUtil.Format(x.ShapeSpan)}", nameof(x));
        if (rounds < 1)
            throw new ArgumentException($"Invalid value for argument `rounds`. Expected a value >= 1. Received rounds={rounds}.", nameof(rounds));
        var data = x.DType == DType.Float32 ? x.Copy() : x.AsType(DType.Float32);
        if (semantics == "keras" && Rescale is { } r && r != 0) data = data * r;
        if (augment)
        {
            var rng = new RandomState(seed ?? Backend.NextSeed());
            int n = data.Shape[0];
            var ax = NDArray.Zeros([rounds * n, .. data.Shape[1..]]);
            for (int round = 0; round < rounds; round++)
                for (int i = 0; i < n; i++)
                {
                    var img = data[i];
                    ax.SetRows(i + round * n, ApplyTransform(img, GetRandomTransform(img.Shape, rng)).Reshape([1, .. img.Shape]));
                }
            data = ax;
        }
        int[] keep = [1, 1, 1];
        keep[channelAxis - 1] = data.Shape[channelAxis];
        if (FeaturewiseCenter)
        {
            Mean = data.Mean([0, rowAxis, colAxis]).Reshape(keep);
            data = data - Mean;
        }
        if (FeaturewiseStdNormalization)
        {
            Std = data.Std([0, rowAxis, colAxis]).Reshape(keep);
            data = data / (Std + 1e-6);
        }
        if (ZcaWhitening)
        {
            int n = data.Shape[0], d = data.Size / n;
            var flat = data.Float32Data;
            var sigma = new double[d * d];
            for (int s = 0; s < n; s++)
                for (int i = 0; i < d; i++)
                {
                    double xi = flat[s * d + i];
                    if (xi == 0) continue;
                    for (int j = 0; j < d; j++) sigma[i * d + j] += xi * flat[s * d + j];
                }
            for (int i = 0; i < sigma.Length; i++) sigma[i] /= n;
            var (values, u) = SymmetricEigen.Decompose(sigma, d);
            // 1.1.x: SVD of Σ = XᵀX/N, all d components scaled by 1/√(λ + ε). 2.9+: thin SVD of Xᵀ, whose
            // singular values are √(N·λ), keeping only min(N, d) components scaled by √N/(s + ε).
            var scale = new double[d];
            int components = semantics == "keras_preprocessing" ? d : Math.Min(n, d);
            for (int k = 0; k < components; k++)
                scale[k] = semantics == "keras_preprocessing"
                    ? 1 / Math.Sqrt(values[k] + ZcaEpsilon)
                    : Math.Sqrt(n) / (Math.Sqrt(n * values[k]) + ZcaEpsilon);
            var pc = new double[d * d];
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++)
                {
                    double s = 0;
                    for (int k = 0; k < d; k++) s += u[i * d + k] * scale[k] * u[j * d + k];
                    pc[i * d + j] = s;
                }
            PrincipalComponents = pc;
        }
    }

    /// <summary>
    /// <c>flow(x, y, batch_size=32, shuffle=True, sample_weight=None, seed=None, subset=None)</c>: a
    /// <see cref="NumpyArrayIterator"/> that <c>Model.Fit</c> consumes.
    /// </summary>
    public NumpyArrayIterator Flow(NDArray x, NDArray? y = null, int batchSize = 32, bool shuffle = true, uint? seed = null, string? subset = null) =>
        new(x, y, this, batchSize, shuffle, seed, subset);

    internal int ChannelAxis => channelAxis;
}
