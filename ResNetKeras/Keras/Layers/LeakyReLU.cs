using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary><c>keras.layers.LeakyReLU(negative_slope=0.3)</c>: x for x &gt; 0, negativeSlope·x otherwise.</summary>
public sealed class LeakyReLU : Layer
{
    /// <summary>Keras 3's signature and default (Keras 2 called the argument <c>alpha</c>; configs with it still load).</summary>
    public LeakyReLU(double negativeSlope = 0.3, string? name = null) : base(name)
    {
        if (!(negativeSlope >= 0))
            throw new ArgumentException($"The negative_slope value of a Leaky ReLU layer cannot be None or negative value. Expected a float. Received: negative_slope={Callback.PyStr(negativeSlope)}", nameof(negativeSlope));
        NegativeSlope = negativeSlope;
    }

    /// <summary>Slope for x ≤ 0.</summary>
    public double NegativeSlope { get; }

    /// <inheritdoc/>
    protected override int[] ComputeOutputShape(int[][] inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        return inputShapes[0];
    }

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training) => Op.LeakyRelu(inputs[0], (float)NegativeSlope);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["negative_slope"] = NegativeSlope;
        return c;
    }

    /// <summary>The layer a config describes (Keras 3's <c>negative_slope</c> or Keras 2's <c>alpha</c>).</summary>
    public static LeakyReLU FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        var c = new LayerConfig(config);
        return new LeakyReLU(c.NumOrNull("negative_slope") ?? c.Num("alpha", 0.3), c.Name);
    }
}
