using ResNetKeras.Engine;
using ResNetKeras.Kernels;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.metrics.Recall(thresholds=None, name=None)</c>: tp / (tp + fn) with predictions above the threshold
/// (0.5 by default) counted as positive; one value per threshold when several are given.
/// </summary>
public sealed class Recall : ConfusionMetric
{
    /// <summary>Keras's signature (top_k and class_id are not supported).</summary>
    public Recall(float[]? thresholds = null, string? name = "recall") : base(CheckThresholds(thresholds ?? [0.5f]), name) { }

    /// <inheritdoc/>
    public override Tensor Result() => ThresholdResult(ConfusionRatio.Recall);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => ThresholdConfig();

    /// <summary><c>Recall.from_config(config)</c>.</summary>
    public static Recall FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new Recall(ThresholdsFromConfig(config, nameof(Recall)), ConfigValues.String(config, "name") ?? "recall");
    }
}
