using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary>
/// Keras's <c>keras.metrics.BinaryAccuracy(name="binary_accuracy", threshold=0.5)</c>: how often
/// (y_pred &gt; threshold) equals y_true, averaged per sample and over samples.
/// </summary>
public class BinaryAccuracy : MeanMetricWrapper
{
    /// <summary>Creates the metric with zero state.</summary>
    public BinaryAccuracy(string name = "binary_accuracy", double threshold = 0.5) : base(name)
    {
        if (double.IsNaN(threshold))
            throw new ArgumentException($"Invalid value for argument `threshold`. Expected a number. Received threshold={threshold}.", nameof(threshold));
        Threshold = threshold;
    }

    /// <summary>The decision threshold on y_pred (<c>threshold</c>).</summary>
    public double Threshold { get; }

    /// <inheritdoc/>
    protected override Tensor Values(Tensor yTrue, Tensor yPred)
    {
        var (t, p) = SqueezeOrExpandToSameRank(yTrue, yPred);
        return Op.ThresholdMatches(p, t, (float)Threshold);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["threshold"] = Threshold;
        return c;
    }

    /// <summary><c>BinaryAccuracy.from_config(config)</c>.</summary>
    public static new BinaryAccuracy FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new BinaryAccuracy(ConfigValues.String(config, "name") ?? "binary_accuracy", ConfigValues.Double(config, "threshold", 0.5));
    }
}
