using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.layers.Resizing(height, width, interpolation="bilinear", crop_to_aspect_ratio=False)</c>: resizes images
/// as Keras 3 on TensorFlow (<c>tf.image.resize</c>, half-pixel centers, no antialiasing); with
/// <c>cropToAspectRatio</c> the largest centred window of the target aspect ratio is cut out first. Active in
/// training and inference.
/// </summary>
public sealed class Resizing : Layer
{
    /// <summary>Keras's signature with its defaults.</summary>
    public Resizing(int height, int width, string interpolation = "bilinear", bool cropToAspectRatio = false, string? name = null) : base(name)
    {
        if (height <= 0 || width <= 0)
            throw new ArgumentException($"Invalid value for arguments `height` and `width`. Expected strictly positive values. Received height={height}, width={width}.", height <= 0 ? nameof(height) : nameof(width));
        if (interpolation is not ("bilinear" or "nearest"))
            throw new ArgumentException($"Invalid value for argument `interpolation`. Expected one of {{\"bilinear\", \"nearest\"}}. Received interpolation={interpolation}.", nameof(interpolation));
        Height = height;
        Width = width;
        Interpolation = interpolation;
        CropToAspectRatio = cropToAspectRatio;
    }

    /// <summary>Output height.</summary>
    public int Height { get; }
    /// <summary>Output width.</summary>
    public int Width { get; }
    /// <summary>"bilinear" or "nearest".</summary>
    public string Interpolation { get; }
    /// <summary>Whether a centred window of the target aspect ratio is cropped before resizing.</summary>
    public bool CropToAspectRatio { get; }

    /// <inheritdoc/>
    protected override int[] ComputeOutputShape(int[][] inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        var s = inputShapes[0];
        if (s.Length != 4) throw ShapeError("ndim=4 (batch, height, width, channels)", s);
        return [s[0], Height, Width, s[3]];
    }

    /// <summary>Keras 3's crop window (TensorFlow backend): int32 casts of float32 ratios, at least one pixel, centred.</summary>
    internal static (int Top, int Left, int Height, int Width) AspectCrop(int h, int w, int targetH, int targetW)
    {
        int ch = Math.Max(Math.Min(h, (int)((float)(w * targetH) / targetW)), 1);
        int cw = Math.Max(Math.Min(w, (int)((float)(h * targetW) / targetH)), 1);
        return ((int)((float)(h - ch) / 2), (int)((float)(w - cw) / 2), ch, cw);
    }

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training)
    {
        var x = inputs[0];
        if (x.Rank != 4) throw ShapeError("ndim=4 (batch, height, width, channels)", x.Shape);
        if (CropToAspectRatio)
        {
            int h = x.Dim(1), w = x.Dim(2);
            var (top, left, ch, cw) = AspectCrop(h, w, Height, Width);
            if (ch != h || cw != w) x = Op.Crop2D(x, top, h - ch - top, left, w - cw - left);
        }
        return Op.Resize(x, Height, Width, Interpolation);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["height"] = Height;
        c["width"] = Width;
        c["interpolation"] = Interpolation;
        c["crop_to_aspect_ratio"] = CropToAspectRatio;
        c["pad_to_aspect_ratio"] = false;
        c["fill_mode"] = "constant";
        c["fill_value"] = 0.0;
        c["data_format"] = "channels_last";
        return c;
    }

    /// <summary>The layer from its Keras config (<c>Resizing.from_config</c>).</summary>
    internal static Resizing FromConfig(LayerConfigReader c)
    {
        if (c.Bool("pad_to_aspect_ratio", false))
            throw new InvalidDataException("layer config: Resizing with pad_to_aspect_ratio=True is not supported.");
        return new Resizing(c.Int("height", 0), c.Int("width", 0), c.Str("interpolation") ?? "bilinear", c.Bool("crop_to_aspect_ratio", false), c.ChannelsLastName);
    }
}
