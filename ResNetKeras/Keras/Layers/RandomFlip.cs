using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.layers.RandomFlip(mode="horizontal_and_vertical", seed=None)</c>: in training, each image is flipped
/// left-right and/or top-bottom, each with probability 1/2; identity in inference.
/// </summary>
public sealed class RandomFlip : BaseImagePreprocessingLayer
{
    /// <summary>Keras's signature with its defaults.</summary>
    public RandomFlip(string mode = "horizontal_and_vertical", uint? seed = null, string? name = null) : base(seed, name)
    {
        if (mode is not ("horizontal" or "vertical" or "horizontal_and_vertical"))
            throw new ArgumentException($"RandomFlip layer {Name} received an unknown mode argument {mode}", nameof(mode));
        Mode = mode;
    }

    /// <summary>"horizontal", "vertical" or "horizontal_and_vertical".</summary>
    public string Mode { get; }

    /// <inheritdoc/>
    protected override Tensor Augment(Tensor images)
    {
        int n = images.Dim(0), h = images.Dim(1), w = images.Dim(2);
        var t = new float[n * 8];
        for (int b = 0; b < n; b++)
        {
            bool lr = Mode != "vertical" && Uniform(0, 1) <= 0.5, ud = Mode != "horizontal" && Uniform(0, 1) <= 0.5;
            // x_in = (w − 1) − x flips left-right, y_in = (h − 1) − y top-bottom: exact integer taps.
            t[b * 8] = lr ? -1 : 1;
            t[b * 8 + 2] = lr ? w - 1 : 0;
            t[b * 8 + 4] = ud ? -1 : 1;
            t[b * 8 + 5] = ud ? h - 1 : 0;
        }
        return Op.AffineTransform(images, Upload(images, t, n, 8), "nearest", "constant");
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["mode"] = Mode;
        c["data_format"] = "channels_last";
        return c;
    }

    /// <summary>The layer from its Keras config.</summary>
    internal static RandomFlip FromConfig(LayerConfigReader c) => new(c.Str("mode") ?? "horizontal_and_vertical", SeedFrom(c), c.ChannelsLastName);
}
