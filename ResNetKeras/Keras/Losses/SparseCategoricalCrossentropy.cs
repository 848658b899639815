using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary>
/// Keras's <c>keras.losses.SparseCategoricalCrossentropy(from_logits=False, reduction="sum_over_batch_size",
/// name="sparse_categorical_crossentropy")</c> for integer class indices of shape (N,) or (N, 1) (held as floats).
/// Probabilities are clipped to [ε, 1 − ε]; a softmax output's logits are used when the trainer has them.
/// </summary>
[KerasIdentifiers("sparse_categorical_crossentropy")]
public class SparseCategoricalCrossentropy : Loss
{
    /// <summary>Creates the loss; <paramref name="fromLogits"/> means y_pred holds logits.</summary>
    public SparseCategoricalCrossentropy(bool fromLogits = false, string? reduction = "sum_over_batch_size", string name = "sparse_categorical_crossentropy")
        : base(name, reduction)
    {
        FromLogits = fromLogits;
    }

    /// <summary>Whether y_pred holds logits (<c>from_logits</c>).</summary>
    public bool FromLogits { get; }

    /// <inheritdoc/>
    public override Tensor Call(Tensor yTrue, Tensor yPred) =>
        FromLogits ? Op.SparseSoftmaxCrossEntropyWithLogits(yPred, Indices(yTrue)) : Op.SparseCategoricalCrossentropy(yPred, Indices(yTrue));

    internal override Tensor? CallOnLogits(Tensor yTrue, Tensor logits) =>
        FromLogits ? null : Op.SparseSoftmaxCrossEntropyWithLogits(logits, Indices(yTrue));

    // Keras squeezes labels of shape (N, 1) to (N,).
    private static Tensor Indices(Tensor yTrue)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        return yTrue.Rank == 2 && yTrue.Dim(1) == 1 ? Op.Reshape(yTrue, yTrue.Dim(0)) : yTrue;
    }

    internal override void CheckTargets(NDArray y, int[] outputShape, string param)
    {
        if (!(y.Rank == 1 || (y.Rank == 2 && y.Shape[1] == 1)))
            throw new ArgumentException($"Invalid labels `{param}` of shape {ShapeUtil.Format(y.ShapeSpan)} for {Name}: expected integer class indices of shape (N,) or (N, 1) for outputs of shape {KerasTensor.FormatShape(outputShape)}.", param);
        int units = outputShape[^1];
        for (int i = 0; i < y.Size; i++)
        {
            double v = y.GetFlat(i);
            if (v < 0 || v >= units || v != Math.Floor(v))
                throw new ArgumentException($"Invalid labels `{param}`: label {v} at index {i} is not a class index in [0, {units}).", param);
        }
    }

    /// <summary>Keras's config: name, reduction, from_logits, ignore_class (null) and axis (-1).</summary>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["from_logits"] = FromLogits;
        c["ignore_class"] = null;
        c["axis"] = -1;
        return c;
    }

    /// <summary><c>SparseCategoricalCrossentropy.from_config(config)</c>.</summary>
    public static SparseCategoricalCrossentropy FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        ConfigValues.ExpectDefault(config, "ignore_class", null, nameof(SparseCategoricalCrossentropy));
        ConfigValues.ExpectDefault(config, "axis", -1.0, nameof(SparseCategoricalCrossentropy));
        return new SparseCategoricalCrossentropy(ConfigValues.Bool(config, "from_logits", false), ConfigValues.Reduction(config),
            ConfigValues.String(config, "name") ?? "sparse_categorical_crossentropy");
    }
}
