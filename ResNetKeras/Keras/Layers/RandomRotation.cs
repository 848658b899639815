using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.layers.RandomRotation(factor, fill_mode="reflect", interpolation="bilinear", seed=None, fill_value=0.0)</c>:
/// in training, each image is rotated about its centre by a uniform fraction of 2π (a float f means [−f, f]);
/// identity in inference.
/// </summary>
public sealed class RandomRotation : BaseImagePreprocessingLayer
{
    private readonly (double Lower, double Upper) range;

    /// <summary>Keras's signature with its defaults.</summary>
    public RandomRotation(FactorRange factor, string fillMode = "reflect", string interpolation = "bilinear", uint? seed = null, double fillValue = 0.0, string? name = null)
        : base(seed, name)
    {
        range = CheckRange("factor", factor, double.NegativeInfinity, double.PositiveInfinity);
        Factor = factor;
        FillMode = CheckFillMode(fillMode);
        Interpolation = CheckInterpolation(interpolation);
        FillValue = fillValue;
    }

    /// <summary>Rotation range as a fraction of a full turn.</summary>
    public FactorRange Factor { get; }
    /// <summary>"reflect", "wrap", "constant" or "nearest".</summary>
    public string FillMode { get; }
    /// <summary>"bilinear" or "nearest".</summary>
    public string Interpolation { get; }
    /// <summary>Value outside the image with fill mode "constant".</summary>
    public double FillValue { get; }

    /// <summary>Keras 3's rotation matrix (counter-clockwise by <paramref name="angle"/> about the image centre), as the 8 transform values.</summary>
    internal static float[] RotationTransform(double angle, int height, int width)
    {
        double cos = Math.Cos(angle), sin = Math.Sin(angle);
        double xOffset = ((width - 1) - (cos * (width - 1) - sin * (height - 1))) / 2.0;
        double yOffset = ((height - 1) - (sin * (width - 1) + cos * (height - 1))) / 2.0;
        return [(float)cos, (float)-sin, (float)xOffset, (float)sin, (float)cos, (float)yOffset, 0, 0];
    }

    /// <inheritdoc/>
    protected override Tensor Augment(Tensor images)
    {
        int n = images.Dim(0);
        var t = new float[n * 8];
        for (int b = 0; b < n; b++)
            RotationTransform(Uniform(range.Lower, range.Upper) * 2 * Math.PI, images.Dim(1), images.Dim(2)).CopyTo(t, b * 8);
        return Op.AffineTransform(images, Upload(images, t, n, 8), Interpolation, FillMode, (float)FillValue);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["factor"] = Factor.ToConfig();
        c["data_format"] = "channels_last";
        c["fill_mode"] = FillMode;
        c["fill_value"] = FillValue;
        c["interpolation"] = Interpolation;
        return c;
    }

    /// <summary>The layer from its Keras config.</summary>
    internal static RandomRotation FromConfig(LayerConfigReader c) =>
        new(FactorRange.FromConfig(c, "factor") ?? 0.0, c.Str("fill_mode") ?? "reflect", c.Str("interpolation") ?? "bilinear", SeedFrom(c), c.Num("fill_value", 0), c.ChannelsLastName);
}
