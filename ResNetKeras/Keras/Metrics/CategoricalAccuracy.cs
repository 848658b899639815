using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary>Keras's <c>keras.metrics.CategoricalAccuracy(name="categorical_accuracy")</c>: how often argmax(y_pred) equals argmax(y_true) (one-hot labels; first index on ties).</summary>
public class CategoricalAccuracy : MeanMetricWrapper
{
    /// <summary>Creates the metric with zero state.</summary>
    public CategoricalAccuracy(string name = "categorical_accuracy") : base(name) { }

    /// <inheritdoc/>
    protected override Tensor Values(Tensor yTrue, Tensor yPred)
    {
        return Op.ArgmaxMatches(yPred, yTrue);
    }

    /// <summary><c>CategoricalAccuracy.from_config(config)</c>.</summary>
    public static new CategoricalAccuracy FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new CategoricalAccuracy(ConfigValues.String(config, "name") ?? "categorical_accuracy");
    }
}
