using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary>Keras's <c>keras.metrics.Accuracy(name="accuracy")</c>: how often y_pred equals y_true element-wise, averaged per sample and over samples.</summary>
public class Accuracy : MeanMetricWrapper
{
    /// <summary>Creates the metric with zero state.</summary>
    public Accuracy(string name = "accuracy") : base(name) { }

    /// <inheritdoc/>
    protected override Tensor Values(Tensor yTrue, Tensor yPred)
    {
        var (t, p) = SqueezeOrExpandToSameRank(yTrue, yPred);
        return Op.Equal(t, p);
    }

    /// <summary><c>Accuracy.from_config(config)</c>.</summary>
    public static new Accuracy FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new Accuracy(ConfigValues.String(config, "name") ?? "accuracy");
    }
}
