using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.initializers.TruncatedNormal(mean=0.0, stddev=0.05, seed=None)</c>: normal draws, those more than two standard
/// deviations from the mean drawn again (no rescaling, unlike <see cref="VarianceScaling"/>'s truncated normal).
/// </summary>
public sealed class TruncatedNormal : Initializer
{
    /// <summary>Keras's signature with its defaults.</summary>
    public TruncatedNormal(double mean = 0.0, double stddev = 0.05, uint? seed = null)
    {
        if (!double.IsFinite(mean)) throw new ArgumentException($"Invalid value for argument `mean`: {mean}; expected a finite number.", nameof(mean));
        if (!(stddev >= 0) || !double.IsFinite(stddev)) throw new ArgumentException($"Invalid value for argument `stddev`: {stddev}; expected a finite number >= 0.", nameof(stddev));
        Mean = mean;
        Stddev = stddev;
        Seed = seed;
    }

    /// <summary>The mean.</summary>
    public double Mean { get; }
    /// <summary>The standard deviation before truncation.</summary>
    public double Stddev { get; }
    /// <summary>The seed, or null.</summary>
    public uint? Seed { get; }

    /// <inheritdoc/>
    public override Tensor Call(int[] shape, RandomState rng)
    {
        var r = Seed is { } s ? new RandomState(s) : rng;
        var d = new float[ShapeUtil.Size(shape)];
        for (int i = 0; i < d.Length; i++)
        {
            double z;
            do z = r.StandardNormal(); while (Math.Abs(z) > 2.0);
            d[i] = (float)(Mean + Stddev * z);
        }
        return new Tensor(d, shape);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["mean"] = Mean, ["stddev"] = Stddev, ["seed"] = Seed };
}
