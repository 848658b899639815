using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.initializers.RandomUniform(minval=-0.05, maxval=0.05, seed=None)</c>: independent uniform draws in
/// [minval, maxval). With a seed every call gives the same values.
/// </summary>
public sealed class RandomUniform : Initializer
{
    /// <summary>Keras's signature with its defaults.</summary>
    public RandomUniform(double minval = -0.05, double maxval = 0.05, uint? seed = null)
    {
        if (!double.IsFinite(minval) || !double.IsFinite(maxval) || minval > maxval)
            throw new ArgumentException($"Invalid values for arguments `minval`={minval} and `maxval`={maxval}: expected finite numbers with minval <= maxval.", nameof(minval));
        Minval = minval;
        Maxval = maxval;
        Seed = seed;
    }

    /// <summary>The lower bound.</summary>
    public double Minval { get; }
    /// <summary>The upper bound.</summary>
    public double Maxval { get; }
    /// <summary>The seed, or null.</summary>
    public uint? Seed { get; }

    /// <inheritdoc/>
    public override Tensor Call(int[] shape, RandomState rng)
    {
        var r = Seed is { } s ? new RandomState(s) : rng;
        var d = new float[ShapeUtil.Size(shape)];
        for (int i = 0; i < d.Length; i++) d[i] = (float)r.Uniform(Minval, Maxval);
        return new Tensor(d, shape);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["minval"] = Minval, ["maxval"] = Maxval, ["seed"] = Seed };
}
