using ResNetKeras.Engine;
using ResNetKeras.Kernels;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary>
/// The base of Keras's confusion-matrix metrics: per-threshold true/false positive/negative counts as float32 variables,
/// updated on the device (labels count as positive when non-zero, predictions when above the threshold).
/// </summary>
public abstract class ConfusionMetric : Metric
{
    private readonly Tensor thresholds;

    private protected ConfusionMetric(float[] thresholdValues, string? name) : base(name)
    {
        Thresholds = thresholdValues;
        TruePositives = AddVariable("true_positives", thresholdValues.Length);
        FalsePositives = AddVariable("false_positives", thresholdValues.Length);
        TrueNegatives = AddVariable("true_negatives", thresholdValues.Length);
        FalseNegatives = AddVariable("false_negatives", thresholdValues.Length);
        thresholds = new Tensor(thresholdValues, thresholdValues.Length).To(TruePositives.Value.Device);
    }

    /// <summary>Precision's or Recall's result: a scalar for one threshold, one value per threshold otherwise.</summary>
    private protected Tensor ThresholdResult(ConfusionRatio ratio)
    {
        var r = Ratio(ratio);
        return Thresholds.Count == 1 ? Op.Reshape(r) : r;
    }

    /// <summary>Precision's or Recall's config: the base keys, the thresholds (one number or a list), top_k and class_id (null).</summary>
    private protected Dictionary<string, object?> ThresholdConfig()
    {
        var c = base.GetConfig();
        c["thresholds"] = Thresholds.Count == 1 ? Thresholds[0] : Thresholds.ToArray();
        c["top_k"] = null;
        c["class_id"] = null;
        return c;
    }

    /// <summary>
    /// The <c>thresholds</c> of a Precision/Recall config: one number, a list, or null (the class default); the keys
    /// <c>top_k</c> and <c>class_id</c>, which this library does not implement, must be null.
    /// </summary>
    private protected static float[]? ThresholdsFromConfig(IReadOnlyDictionary<string, object?> config, string className)
    {
        ConfigValues.ExpectDefault(config, "top_k", null, className);
        ConfigValues.ExpectDefault(config, "class_id", null, className);
        if (!config.TryGetValue("thresholds", out var v) || v is null) return null;
        static float Number(object? o) => o switch
        {
            double d => (float)d,
            float f => f,
            int i => i,
            System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Number } e => (float)e.GetDouble(),
            _ => throw new ArgumentException($"Invalid config value for 'thresholds': expected numbers, received {o ?? "None"}.", "config"),
        };
        return v switch
        {
            System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Array } e => e.EnumerateArray().Select(x => Number(x)).ToArray(),
            System.Text.Json.JsonElement e => [Number(e)],
            float[] a => a,
            System.Collections.IEnumerable list and not string => list.Cast<object?>().Select(Number).ToArray(),
            _ => [Number(v)],
        };
    }

    /// <summary>The thresholds (a copy).</summary>
    public IReadOnlyList<float> Thresholds { get; }

    /// <summary>Counts per threshold.</summary>
    public Variable TruePositives { get; }
    /// <summary>Counts per threshold.</summary>
    public Variable FalsePositives { get; }
    /// <summary>Counts per threshold.</summary>
    public Variable TrueNegatives { get; }
    /// <summary>Counts per threshold.</summary>
    public Variable FalseNegatives { get; }

    /// <summary>Keras's <c>update_state(y_true, y_pred, sample_weight=None)</c>: one weight per sample, spread over its predictions.</summary>
    public override void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        var device = TruePositives.Value.Device;
        Tensor? w = null;
        if (sampleWeight is not null)
        {
            int perSample = yPred.Rank > 0 && yPred.Dim(0) > 0 ? yPred.Size / yPred.Dim(0) : 1;
            if (sampleWeight.Size == yPred.Size) w = sampleWeight;
            else if (sampleWeight.Size * perSample == yPred.Size)
                w = perSample == 1 ? sampleWeight : Op.Reshape(Op.BroadcastTo(Op.Reshape(sampleWeight, sampleWeight.Size, 1), sampleWeight.Size, perSample), yPred.Size);
            else throw new ArgumentException($"Metric '{Name}': `sample_weight` of shape {ShapeUtil.Format(sampleWeight.ShapeSpan)} does not match predictions of shape {ShapeUtil.Format(yPred.ShapeSpan)}.", nameof(sampleWeight));
            w = w.To(device);
        }
        Op.ConfusionUpdate(yTrue.To(device), yPred.To(device), w, thresholds, TruePositives.Value, FalsePositives.Value, TrueNegatives.Value, FalseNegatives.Value);
    }

    private protected Tensor Ratio(ConfusionRatio ratio) =>
        Op.ConfusionResult(ratio, TruePositives.Value, FalsePositives.Value, TrueNegatives.Value, FalseNegatives.Value);

    private protected static float[] CheckThresholds(float[] t)
    {
        foreach (float v in t)
            if (!(v >= 0 && v <= 1)) throw new ArgumentException($"Invalid value for argument `thresholds`. Expected values in [0, 1]. Received: thresholds=[{string.Join(", ", t)}]", "thresholds");
        return t;
    }
}
