using ResNetKeras.Kernels;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.losses.BinaryCrossentropy(from_logits=False, label_smoothing=0.0)</c>: mean over the last axis of
/// −(t·log(p + ε) + (1 − t)·log(1 − p + ε)) with p clipped to [ε, 1 − ε] (tf.keras's formula on probabilities), or the
/// sigmoid cross-entropy of logits; labels smoothed to t·(1 − s) + s/2.
/// </summary>
[KerasIdentifiers("binary_crossentropy")]
public sealed class BinaryCrossentropy : ElementwiseLoss
{
    /// <summary>Keras's signature with its defaults.</summary>
    public BinaryCrossentropy(bool fromLogits = false, double labelSmoothing = 0.0, string? reduction = "sum_over_batch_size", string name = "binary_crossentropy")
        : base(fromLogits ? ElementwiseLossKind.BinaryCrossentropyFromLogits : ElementwiseLossKind.BinaryCrossentropy, name, reduction, CheckSmoothing(labelSmoothing))
    {
        FromLogits = fromLogits;
    }

    /// <summary>Whether y_pred holds logits.</summary>
    public bool FromLogits { get; }

    /// <summary>The label smoothing s in [0, 1].</summary>
    public double LabelSmoothing => Parameter;

    private static float CheckSmoothing(double s) => s >= 0 && s <= 1
        ? (float)s
        : throw new ArgumentException($"Invalid value for argument `label_smoothing`. Expected a float in [0, 1]. Received: label_smoothing={s}", nameof(s));

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["from_logits"] = FromLogits;
        c["label_smoothing"] = LabelSmoothing;
        c["axis"] = -1;
        return c;
    }

    /// <summary><c>BinaryCrossentropy.from_config(config)</c>.</summary>
    public static BinaryCrossentropy FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        var (name, reduction) = NameAndReduction(config, "binary_crossentropy");
        ConfigValues.ExpectDefault(config, "axis", -1.0, nameof(BinaryCrossentropy));
        return new BinaryCrossentropy(ConfigValues.Bool(config, "from_logits", false), ConfigValues.Double(config, "label_smoothing", 0.0), reduction, name!);
    }
}
