using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.layers.ReLU(max_value=None, negative_slope=0.0, threshold=0.0)</c>: x above the threshold, clipped at
/// maxValue, negativeSlope·(x − threshold) below it.
/// </summary>
public sealed class ReLU : Layer
{
    /// <summary>Keras's signature with its defaults; every argument must be non-negative.</summary>
    public ReLU(double? maxValue = null, double negativeSlope = 0.0, double threshold = 0.0, string? name = null) : base(name)
    {
        if (maxValue is { } m && !(m >= 0))
            throw new ArgumentException($"max_value of a ReLU layer cannot be a negative value. Received: max_value={Callback.PyStr(m)}", nameof(maxValue));
        if (!(negativeSlope >= 0))
            throw new ArgumentException($"negative_slope of a ReLU layer cannot be a negative value. Received: negative_slope={Callback.PyStr(negativeSlope)}", nameof(negativeSlope));
        if (!(threshold >= 0))
            throw new ArgumentException($"threshold of a ReLU layer cannot be a negative value. Received: threshold={Callback.PyStr(threshold)}", nameof(threshold));
        MaxValue = maxValue;
        NegativeSlope = negativeSlope;
        Threshold = threshold;
    }

    /// <summary>The clip (null: none).</summary>
    public double? MaxValue { get; }
    /// <summary>Slope below the threshold.</summary>
    public double NegativeSlope { get; }
    /// <summary>The threshold.</summary>
    public double Threshold { get; }

    /// <inheritdoc/>
    protected override int[] ComputeOutputShape(int[][] inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        return inputShapes[0];
    }

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training) =>
        Activations.Relu(inputs[0], NegativeSlope, MaxValue, Threshold);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["max_value"] = MaxValue;
        c["negative_slope"] = NegativeSlope;
        c["threshold"] = Threshold;
        return c;
    }

    /// <summary>The layer a config describes (<c>ReLU.from_config</c>).</summary>
    public static ReLU FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        var c = new LayerConfig(config);
        return new ReLU(c.NumOrNull("max_value"), c.Num("negative_slope", 0.0), c.Num("threshold", 0.0), c.Name);
    }
}
