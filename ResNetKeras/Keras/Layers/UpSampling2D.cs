using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.layers.UpSampling2D(size=(2, 2), interpolation="nearest")</c>: repeats rows and columns ("nearest") or
/// resizes to (h·size_h, w·size_w) with <c>tf.image.resize</c>'s half-pixel bilinear interpolation ("bilinear"), as Keras 3.
/// </summary>
public sealed class UpSampling2D : Layer
{
    /// <summary>Keras's signature with its defaults.</summary>
    public UpSampling2D(IntPair? size = null, string interpolation = "nearest", string? name = null) : base(name)
    {
        Size = (size ?? 2).Positive(Name, "size");
        if (interpolation is not ("nearest" or "bilinear"))
            throw new ArgumentException($"Invalid value for argument `interpolation`. Expected one of {{\"nearest\", \"bilinear\"}}. Received interpolation={interpolation}.", nameof(interpolation));
        Interpolation = interpolation;
    }

    /// <summary>Upsampling factors (rows, columns).</summary>
    public IntPair Size { get; }
    /// <summary>"nearest" or "bilinear".</summary>
    public string Interpolation { get; }

    /// <inheritdoc/>
    protected override int[] ComputeOutputShape(int[][] inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        var s = inputShapes[0];
        if (s.Length != 4) throw ShapeError("ndim=4 (batch, height, width, channels)", s);
        return [s[0], s[1] < 0 ? -1 : s[1] * Size.First, s[2] < 0 ? -1 : s[2] * Size.Second, s[3]];
    }

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training)
    {
        var x = inputs[0];
        if (x.Rank != 4) throw ShapeError("ndim=4 (batch, height, width, channels)", x.Shape);
        // Nearest with an integer factor picks source index floor((i + 0.5)/s) = i div s: Keras's repeat.
        return Op.Resize(x, x.Dim(1) * Size.First, x.Dim(2) * Size.Second, Interpolation);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["size"] = Size.ToList();
        c["data_format"] = "channels_last";
        c["interpolation"] = Interpolation;
        return c;
    }

    /// <summary>The layer from its Keras config (<c>UpSampling2D.from_config</c>).</summary>
    internal static UpSampling2D FromConfig(LayerConfigReader c) => new(c.Pair("size", 2), c.Str("interpolation") ?? "nearest", c.ChannelsLastName);
}
