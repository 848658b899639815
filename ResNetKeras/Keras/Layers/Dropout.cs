using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary><c>keras.layers.Dropout(rate, noise_shape=None, seed=None)</c>: inverted dropout in training, identity in inference.</summary>
public sealed class Dropout : Layer
{
    private readonly RandomState rng;

    /// <summary>A dropout layer.</summary>
    public Dropout(double rate, uint? seed = null, string? name = null) : base(name)
    {
        if (!(rate >= 0 && rate < 1))
            throw new ArgumentException($"Invalid value for argument `rate`. Expected a float value between 0 and 1. Received: rate={rate}.", nameof(rate));
        Rate = rate;
        Seed = seed;
        rng = new RandomState(seed ?? Backend.NextSeed());
    }

    /// <summary>Fraction of inputs dropped.</summary>
    public double Rate { get; }
    /// <summary>Seed, if given.</summary>
    public uint? Seed { get; }

    /// <inheritdoc/>
    protected override int[] ComputeOutputShape(int[][] inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        return inputShapes[0];
    }

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training)
    {
        if (!training || Rate == 0) return inputs[0];
        lock (rng) return Op.Dropout(inputs[0], (float)Rate, rng);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["rate"] = Rate;
        c["noise_shape"] = null;
        c["seed"] = Seed;
        return c;
    }
}
