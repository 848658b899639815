using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary>
/// Keras's <c>keras.metrics.Mean(name="mean")</c>: the (weighted) mean of the values seen, as float32 variables
/// <c>total</c> (Σ vᵢ·wᵢ) and <c>count</c> (Σ wᵢ, or the number of samples), result total / count (0 when count is 0).
/// </summary>
public class Mean : Metric
{
    /// <summary>Creates the metric with zero state.</summary>
    public Mean(string? name = "mean") : base(name)
    {
        Total = AddVariable("total");
        Count = AddVariable("count");
    }

    /// <summary>The running weighted sum (<c>total</c>).</summary>
    public Variable Total { get; }

    /// <summary>The running weight or sample count (<c>count</c>).</summary>
    public Variable Count { get; }

    /// <summary>
    /// Keras's <c>Mean.update_state(values, sample_weight=None)</c>: values of rank &gt; 1 are first averaged per sample;
    /// a weight per sample (or one scalar weight for all) multiplies them and counts instead of the samples.
    /// </summary>
    public void UpdateState(Tensor values, Tensor? sampleWeight = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        Tensor count;
        if (sampleWeight is null)
            count = Tensor.Full(values.Device, [], values.Rank >= 1 ? values.Dim(0) : 1);
        else
        {
            // reduce_to_samplewise_values: align ranks, average values over axes the weights lack, weight, then the weights
            // per sample are what is counted.
            var w = sampleWeight.Rank == 0 && values.Rank > 0 ? Tensor.Full(values.Device, values.Shape, sampleWeight.Item()) : sampleWeight;
            (values, w) = SqueezeOrExpandToSameRank(values, w);
            if (values.Rank > w.Rank && w.Rank == 1) values = Op.RowMeans(values);
            if (!values.ShapeSpan.SequenceEqual(w.ShapeSpan))
                throw new ArgumentException($"Metric '{Name}': `sample_weight` of shape {ShapeUtil.Format(sampleWeight.ShapeSpan)} does not match values of shape {ShapeUtil.Format(values.ShapeSpan)}.", nameof(sampleWeight));
            values = Op.Multiply(values, w);
            count = Op.Sum(w.Rank > 1 ? Op.RowMeans(w) : w);
        }
        if (values.Rank > 1) values = Op.RowMeans(values);
        // The state lives where the metric was created; a batch on another device is added there.
        Op.AssignAdd(Total.Value, Op.Sum(values).To(Total.Value.Device));
        Op.AssignAdd(Count.Value, count.To(Count.Value.Device));
    }

    /// <summary>total / count in float32, 0 before any update (<c>divide_no_nan</c>).</summary>
    public override Tensor Result() => Op.DivideNoNan(Total.Value, Count.Value);

    /// <summary><c>Mean.from_config(config)</c>.</summary>
    public static Mean FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new Mean(ConfigValues.String(config, "name") ?? "mean");
    }
}
