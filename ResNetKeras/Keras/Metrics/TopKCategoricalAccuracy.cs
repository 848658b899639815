using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary>
/// Keras's <c>keras.metrics.TopKCategoricalAccuracy(k=5, name="top_k_categorical_accuracy")</c>: how often the argmax of the one-hot y_true is among the k highest predictions (TensorFlow's <c>in_top_k</c>: ties at the boundary count).
/// </summary>
public class TopKCategoricalAccuracy : MeanMetricWrapper
{
    /// <summary>Creates the metric with zero state.</summary>
    public TopKCategoricalAccuracy(int k = 5, string name = "top_k_categorical_accuracy") : base(name)
    {
        if (k <= 0)
            throw new ArgumentException($"Invalid value for argument `k`. Expected a strictly positive integer. Received k={k}.", nameof(k));
        K = k;
    }

    /// <summary>How many top predictions count (<c>k</c>).</summary>
    public int K { get; }

    /// <inheritdoc/>
    protected override Tensor Values(Tensor yTrue, Tensor yPred) => Op.InTopK(yPred, Op.Argmax(yTrue), K);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["k"] = K;
        return c;
    }

    /// <summary><c>TopKCategoricalAccuracy.from_config(config)</c>.</summary>
    public static new TopKCategoricalAccuracy FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new TopKCategoricalAccuracy(ConfigValues.Int(config, "k", 5), ConfigValues.String(config, "name") ?? "top_k_categorical_accuracy");
    }
}
