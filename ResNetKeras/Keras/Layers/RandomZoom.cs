using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.layers.RandomZoom(height_factor, width_factor=None, fill_mode="reflect", interpolation="bilinear", seed=None,
/// fill_value=0.0)</c>: in training, each image is scaled about its centre; the sampled zoom is 1 + u with u uniform in
/// the factor's range (a float f means [−f, f]; positive zooms out, as Keras), the width's equal to the height's when
/// width_factor is null; identity in inference.
/// </summary>
public sealed class RandomZoom : BaseImagePreprocessingLayer
{
    private readonly (double Lower, double Upper) h;
    private readonly (double Lower, double Upper)? w;

    /// <summary>Keras's signature with its defaults.</summary>
    public RandomZoom(FactorRange heightFactor, FactorRange? widthFactor = null, string fillMode = "reflect", string interpolation = "bilinear",
        uint? seed = null, double fillValue = 0.0, string? name = null) : base(seed, name)
    {
        h = CheckRange("height_factor", heightFactor, -1, double.PositiveInfinity);
        if (widthFactor is FactorRange wf) w = CheckRange("width_factor", wf, -1, double.PositiveInfinity);
        HeightFactor = heightFactor;
        WidthFactor = widthFactor;
        FillMode = CheckFillMode(fillMode);
        Interpolation = CheckInterpolation(interpolation);
        FillValue = fillValue;
    }

    /// <summary>Vertical zoom range.</summary>
    public FactorRange HeightFactor { get; }
    /// <summary>Horizontal zoom range (null: the vertical zoom is used).</summary>
    public FactorRange? WidthFactor { get; }
    /// <summary>"reflect", "wrap", "constant" or "nearest".</summary>
    public string FillMode { get; }
    /// <summary>"bilinear" or "nearest".</summary>
    public string Interpolation { get; }
    /// <summary>Value outside the image with fill mode "constant".</summary>
    public double FillValue { get; }

    /// <summary>Keras 3's zoom matrix about the image centre, as the 8 transform values.</summary>
    internal static float[] ZoomTransform(double zoomHeight, double zoomWidth, int height, int width) =>
        [(float)zoomWidth, 0, (float)((width - 1.0) / 2.0 * (1.0 - zoomWidth)), 0, (float)zoomHeight, (float)((height - 1.0) / 2.0 * (1.0 - zoomHeight)), 0, 0];

    /// <inheritdoc/>
    protected override Tensor Augment(Tensor images)
    {
        int n = images.Dim(0);
        var t = new float[n * 8];
        for (int b = 0; b < n; b++)
        {
            double zh = 1 + Uniform(h.Lower, h.Upper);
            double zw = w is { } r ? 1 + Uniform(r.Lower, r.Upper) : zh;
            ZoomTransform(zh, zw, images.Dim(1), images.Dim(2)).CopyTo(t, b * 8);
        }
        return Op.AffineTransform(images, Upload(images, t, n, 8), Interpolation, FillMode, (float)FillValue);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["height_factor"] = HeightFactor.ToConfig();
        c["width_factor"] = WidthFactor?.ToConfig();
        c["fill_mode"] = FillMode;
        c["interpolation"] = Interpolation;
        c["fill_value"] = FillValue;
        c["data_format"] = "channels_last";
        return c;
    }

    /// <summary>The layer from its Keras config.</summary>
    internal static RandomZoom FromConfig(LayerConfigReader c) =>
        new(FactorRange.FromConfig(c, "height_factor") ?? 0.0, FactorRange.FromConfig(c, "width_factor"), c.Str("fill_mode") ?? "reflect",
            c.Str("interpolation") ?? "bilinear", SeedFrom(c), c.Num("fill_value", 0), c.ChannelsLastName);
}
