using ResNetKeras.Engine;
using ResNetKeras.Kernels;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.metrics.AUC(num_thresholds=200, curve="ROC", summation_method="interpolation", from_logits=False)</c>: the
/// area under the ROC curve (trapezoids) or the precision-recall curve (Davis and Goadrich's interpolation) over
/// Keras's thresholds −ε, 1/(n−1), ..., (n−2)/(n−1), 1 + ε.
/// </summary>
public sealed class AUC : ConfusionMetric
{
    /// <summary>Keras's signature with its defaults (summation_method "interpolation" only).</summary>
    public AUC(int numThresholds = 200, string curve = "ROC", string summationMethod = "interpolation", bool fromLogits = false, string? name = "auc")
        : base(KerasThresholds(numThresholds), name)
    {
        Curve = curve?.ToUpperInvariant() switch
        {
            "ROC" => "ROC",
            "PR" => "PR",
            _ => throw new ArgumentException($"Invalid value for argument `curve`. Expected one of {{\"ROC\", \"PR\"}}. Received: curve={curve}", nameof(curve)),
        };
        if (summationMethod != "interpolation")
            throw new ArgumentException($"Invalid value for argument `summation_method`: only \"interpolation\" is supported. Received: summation_method={summationMethod}", nameof(summationMethod));
        if (fromLogits)
            throw new ArgumentException("Invalid value for argument `from_logits`: AUC on logits is not supported; apply a sigmoid to the predictions.", nameof(fromLogits));
        NumThresholds = numThresholds;
    }

    /// <summary>Number of thresholds.</summary>
    public int NumThresholds { get; }

    /// <summary>"ROC" or "PR".</summary>
    public string Curve { get; }

    private static float[] KerasThresholds(int n)
    {
        if (n <= 1) throw new ArgumentException($"Invalid value for argument `num_thresholds`. Expected an integer > 1. Received: num_thresholds={n}", "numThresholds");
        var t = new float[n];
        t[0] = 0f - 1e-7f;
        for (int i = 1; i < n - 1; i++) t[i] = (float)(i * 1.0 / (n - 1));
        t[n - 1] = 1f + 1e-7f;
        return t;
    }

    /// <inheritdoc/>
    public override Tensor Result() => Ratio(Curve == "ROC" ? ConfusionRatio.RocAuc : ConfusionRatio.PrAuc);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["num_thresholds"] = NumThresholds;
        c["curve"] = Curve;
        c["summation_method"] = "interpolation";
        c["multi_label"] = false;
        c["from_logits"] = false;
        return c;
    }

    /// <summary><c>AUC.from_config(config)</c>: Keras's keys; multi-label, label weights and explicit thresholds are refused.</summary>
    public static AUC FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        foreach (var (key, value) in new (string, object?)[] { ("multi_label", false), ("num_labels", null), ("label_weights", null), ("thresholds", null) })
            ConfigValues.ExpectDefault(config, key, value, nameof(AUC));
        return new AUC(ConfigValues.Int(config, "num_thresholds", 200), ConfigValues.String(config, "curve") ?? "ROC",
            ConfigValues.String(config, "summation_method") ?? "interpolation", ConfigValues.Bool(config, "from_logits", false),
            ConfigValues.String(config, "name") ?? "auc");
    }
}
