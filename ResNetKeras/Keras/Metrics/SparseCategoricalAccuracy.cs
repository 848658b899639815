using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary>Keras's <c>keras.metrics.SparseCategoricalAccuracy(name="sparse_categorical_accuracy")</c>: how often argmax(y_pred) equals the class index in y_true ((N,) or (N, 1)).</summary>
public class SparseCategoricalAccuracy : MeanMetricWrapper
{
    /// <summary>Creates the metric with zero state.</summary>
    public SparseCategoricalAccuracy(string name = "sparse_categorical_accuracy") : base(name) { }

    /// <inheritdoc/>
    protected override Tensor Values(Tensor yTrue, Tensor yPred)
    {
        return Op.SparseArgmaxMatches(yPred, yTrue);
    }

    /// <summary><c>SparseCategoricalAccuracy.from_config(config)</c>.</summary>
    public static new SparseCategoricalAccuracy FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new SparseCategoricalAccuracy(ConfigValues.String(config, "name") ?? "sparse_categorical_accuracy");
    }
}
