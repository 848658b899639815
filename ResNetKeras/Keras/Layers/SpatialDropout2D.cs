using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.layers.SpatialDropout2D(rate, seed=None)</c>: in training, drops whole feature maps (one draw per sample
/// and channel) and scales the kept ones by 1/(1 − rate); identity in inference.
/// </summary>
public sealed class SpatialDropout2D : Layer
{
    private readonly RandomState rng;

    /// <summary>A spatial dropout layer.</summary>
    public SpatialDropout2D(double rate, uint? seed = null, string? name = null) : base(name)
    {
        if (!(rate >= 0 && rate < 1))
            throw new ArgumentException($"Invalid value received for argument `rate`. Expected a float value between 0 and 1. Received: rate={rate}", nameof(rate));
        Rate = rate;
        Seed = seed;
        rng = new RandomState(seed ?? Backend.NextSeed());
    }

    /// <summary>Fraction of feature maps dropped.</summary>
    public double Rate { get; }
    /// <summary>Seed, if given.</summary>
    public uint? Seed { get; }

    /// <inheritdoc/>
    protected override int[] ComputeOutputShape(int[][] inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        var s = inputShapes[0];
        if (s.Length != 4) throw ShapeError("ndim=4 (batch, height, width, channels)", s);
        return s;
    }

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training)
    {
        if (!training || Rate == 0) return inputs[0];
        ulong seed;
        lock (rng) seed = (ulong)rng.NextUInt32() << 32 | rng.NextUInt32();
        return Op.SpatialDropout2D(inputs[0], (float)Rate, seed);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["rate"] = Rate;
        c["seed"] = Seed;
        c["data_format"] = "channels_last";
        return c;
    }

    /// <summary>The layer from its Keras config (<c>SpatialDropout2D.from_config</c>).</summary>
    internal static SpatialDropout2D FromConfig(LayerConfigReader c) =>
        new(c.Num("rate", 0.5), c.Has("seed") ? (uint)c.Num("seed", 0) : null, c.ChannelsLastName);
}
