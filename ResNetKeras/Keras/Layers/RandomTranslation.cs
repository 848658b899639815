using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.layers.RandomTranslation(height_factor, width_factor, fill_mode="reflect", interpolation="bilinear",
/// seed=None, fill_value=0.0)</c>: in training, each image is shifted by a uniform fraction of its height and width
/// (a float f means [−f, f]); identity in inference.
/// </summary>
public sealed class RandomTranslation : BaseImagePreprocessingLayer
{
    private readonly (double Lower, double Upper) h, w;

    /// <summary>Keras's signature with its defaults.</summary>
    public RandomTranslation(FactorRange heightFactor, FactorRange widthFactor, string fillMode = "reflect", string interpolation = "bilinear",
        uint? seed = null, double fillValue = 0.0, string? name = null) : base(seed, name)
    {
        h = CheckRange("height_factor", heightFactor, -1, 1);
        w = CheckRange("width_factor", widthFactor, -1, 1);
        HeightFactor = heightFactor;
        WidthFactor = widthFactor;
        FillMode = CheckFillMode(fillMode);
        Interpolation = CheckInterpolation(interpolation);
        FillValue = fillValue;
    }

    /// <summary>Vertical shift range as a fraction of the height.</summary>
    public FactorRange HeightFactor { get; }
    /// <summary>Horizontal shift range as a fraction of the width.</summary>
    public FactorRange WidthFactor { get; }
    /// <summary>"reflect", "wrap", "constant" or "nearest".</summary>
    public string FillMode { get; }
    /// <summary>"bilinear" or "nearest".</summary>
    public string Interpolation { get; }
    /// <summary>Value outside the image with fill mode "constant".</summary>
    public double FillValue { get; }

    /// <inheritdoc/>
    protected override Tensor Augment(Tensor images)
    {
        int n = images.Dim(0), height = images.Dim(1), width = images.Dim(2);
        var t = new float[n * 8];
        for (int b = 0; b < n; b++)
        {
            float dy = (float)(Uniform(h.Lower, h.Upper) * height), dx = (float)(Uniform(w.Lower, w.Upper) * width);
            t[b * 8] = 1; t[b * 8 + 2] = -dx; t[b * 8 + 4] = 1; t[b * 8 + 5] = -dy;
        }
        return Op.AffineTransform(images, Upload(images, t, n, 8), Interpolation, FillMode, (float)FillValue);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["height_factor"] = HeightFactor.ToConfig();
        c["width_factor"] = WidthFactor.ToConfig();
        c["fill_mode"] = FillMode;
        c["interpolation"] = Interpolation;
        c["fill_value"] = FillValue;
        c["data_format"] = "channels_last";
        return c;
    }

    /// <summary>The layer from its Keras config.</summary>
    internal static RandomTranslation FromConfig(LayerConfigReader c) =>
        new(FactorRange.FromConfig(c, "height_factor") ?? 0.0, FactorRange.FromConfig(c, "width_factor") ?? 0.0, c.Str("fill_mode") ?? "reflect",
            c.Str("interpolation") ?? "bilinear", SeedFrom(c), c.Num("fill_value", 0), c.ChannelsLastName);
}
