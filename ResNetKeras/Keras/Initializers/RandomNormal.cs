using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.initializers.RandomNormal(mean=0.0, stddev=0.05, seed=None)</c>: independent normal draws. With a seed every
/// call gives the same values, as Keras's seeded initializers do; without one the layer's random stream is used.
/// </summary>
public sealed class RandomNormal : Initializer
{
    /// <summary>Keras's signature with its defaults.</summary>
    public RandomNormal(double mean = 0.0, double stddev = 0.05, uint? seed = null)
    {
        if (!double.IsFinite(mean)) throw new ArgumentException($"Invalid value for argument `mean`: {mean}; expected a finite number.", nameof(mean));
        if (!(stddev >= 0) || !double.IsFinite(stddev)) throw new ArgumentException($"Invalid value for argument `stddev`: {stddev}; expected a finite number >= 0.", nameof(stddev));
        Mean = mean;
        Stddev = stddev;
        Seed = seed;
    }

    /// <summary>The mean.</summary>
    public double Mean { get; }
    /// <summary>The standard deviation.</summary>
    public double Stddev { get; }
    /// <summary>The seed, or null.</summary>
    public uint? Seed { get; }

    /// <inheritdoc/>
    public override Tensor Call(int[] shape, RandomState rng)
    {
        var r = Seed is { } s ? new RandomState(s) : rng;
        var d = new float[ShapeUtil.Size(shape)];
        for (int i = 0; i < d.Length; i++) d[i] = (float)r.Normal(Mean, Stddev);
        return new Tensor(d, shape);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["mean"] = Mean, ["stddev"] = Stddev, ["seed"] = Seed };
}
