using ResNetKeras.Engine;
using ResNetKeras.Kernels;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.metrics.Precision(thresholds=None, name=None)</c>: tp / (tp + fp) with predictions above the threshold
/// (0.5 by default) counted as positive; one value per threshold when several are given.
/// </summary>
public sealed class Precision : ConfusionMetric
{
    /// <summary>Keras's signature (top_k and class_id are not supported).</summary>
    public Precision(float[]? thresholds = null, string? name = "precision") : base(CheckThresholds(thresholds ?? [0.5f]), name) { }

    /// <inheritdoc/>
    public override Tensor Result() => ThresholdResult(ConfusionRatio.Precision);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => ThresholdConfig();

    /// <summary><c>Precision.from_config(config)</c>.</summary>
    public static Precision FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new Precision(ThresholdsFromConfig(config, nameof(Precision)), ConfigValues.String(config, "name") ?? "precision");
    }
}
