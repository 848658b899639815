using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary>
/// Keras's <c>keras.losses.CategoricalCrossentropy(from_logits=False, reduction="sum_over_batch_size",
/// name="categorical_crossentropy")</c> for one-hot labels of the output's shape. On probabilities they are
/// renormalized and clipped to [ε, 1 − ε]; when the model ends in a softmax, the trainer hands the logits instead and
/// the loss is computed from them without clipping, as tf.keras does.
/// </summary>
[KerasIdentifiers("categorical_crossentropy")]
public class CategoricalCrossentropy : Loss
{
    /// <summary>Creates the loss; <paramref name="fromLogits"/> means y_pred holds logits.</summary>
    public CategoricalCrossentropy(bool fromLogits = false, string? reduction = "sum_over_batch_size", string name = "categorical_crossentropy", double labelSmoothing = 0.0)
        : base(name, reduction)
    {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1))
            throw new ArgumentException($"Invalid value for argument `label_smoothing`. Expected a float in [0, 1]. Received: label_smoothing={labelSmoothing}", nameof(labelSmoothing));
        FromLogits = fromLogits;
        LabelSmoothing = labelSmoothing;
    }

    /// <summary>Keras's <c>label_smoothing</c>: targets become y·(1 − s) + s/K over K classes.</summary>
    public double LabelSmoothing { get; }

    private Tensor Smooth(Tensor yTrue) => LabelSmoothing == 0 ? yTrue
        : Op.ScaleOffset(yTrue, (float)(1 - LabelSmoothing), (float)(LabelSmoothing / yTrue.Dim(-1)));

    /// <summary>Whether y_pred holds logits (<c>from_logits</c>).</summary>
    public bool FromLogits { get; }

    /// <inheritdoc/>
    public override Tensor Call(Tensor yTrue, Tensor yPred) =>
        FromLogits ? Op.SoftmaxCrossEntropyWithLogits(yPred, Smooth(yTrue)) : Op.CategoricalCrossentropy(yPred, Smooth(yTrue));

    internal override Tensor? CallOnLogits(Tensor yTrue, Tensor logits) =>
        FromLogits ? null : Op.SoftmaxCrossEntropyWithLogits(logits, Smooth(yTrue));

    internal override void CheckTargets(NDArray y, int[] outputShape, string param) => CheckOneHotTargets(y, outputShape, param);

    /// <summary>Keras's config: name, reduction, from_logits, label_smoothing (0) and axis (-1).</summary>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["from_logits"] = FromLogits;
        c["label_smoothing"] = LabelSmoothing;
        c["axis"] = -1;
        return c;
    }

    /// <summary><c>CategoricalCrossentropy.from_config(config)</c>.</summary>
    public static CategoricalCrossentropy FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        ConfigValues.ExpectDefault(config, "axis", -1.0, nameof(CategoricalCrossentropy));
        return new CategoricalCrossentropy(ConfigValues.Bool(config, "from_logits", false), ConfigValues.Reduction(config),
            ConfigValues.String(config, "name") ?? "categorical_crossentropy", ConfigValues.Double(config, "label_smoothing", 0.0));
    }
}
