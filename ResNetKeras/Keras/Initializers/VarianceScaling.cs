using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.initializers.VarianceScaling</c>: truncated normal (redraw beyond 2σ, σ scaled by
/// 1/0.87962566103423978 so the final std is √(scale/n)), untruncated normal, or uniform.
/// </summary>
public class VarianceScaling : Initializer
{
    /// <summary>Std of a unit normal truncated to [−2, 2].</summary>
    public const double TruncationStd = 0.87962566103423978;

    /// <summary>Keras's defaults: scale 1, fan_in, truncated_normal.</summary>
    public VarianceScaling(double scale = 1.0, string mode = "fan_in", string distribution = "truncated_normal")
    {
        if (!(scale > 0))
            throw new ArgumentException($"Invalid value for argument `scale`. Expected a positive float. Received scale={scale}.", nameof(scale));
        if (mode is not ("fan_in" or "fan_out" or "fan_avg"))
            throw new ArgumentException($"Invalid value for argument `mode`. Expected one of {{\"fan_in\", \"fan_out\", \"fan_avg\"}}. Received mode={mode}.", nameof(mode));
        if (distribution == "normal") distribution = "truncated_normal";
        if (distribution is not ("truncated_normal" or "untruncated_normal" or "uniform"))
            throw new ArgumentException($"Invalid value for argument `distribution`. Expected one of {{\"truncated_normal\", \"untruncated_normal\", \"uniform\"}}. Received distribution={distribution}.", nameof(distribution));
        Scale = scale;
        Mode = mode;
        Distribution = distribution;
    }

    /// <summary>Variance scale.</summary>
    public double Scale { get; }
    /// <summary>fan_in, fan_out or fan_avg.</summary>
    public string Mode { get; }
    /// <summary>truncated_normal, untruncated_normal or uniform.</summary>
    public string Distribution { get; }

    /// <inheritdoc/>
    public override Tensor Call(int[] shape, RandomState rng)
    {
        var (fanIn, fanOut) = ComputeFans(shape);
        double n = Mode switch
        {
            "fan_in" => Math.Max(1, fanIn),
            "fan_out" => Math.Max(1, fanOut),
            _ => Math.Max(1, (fanIn + fanOut) / 2),
        };
        double variance = Scale / n;
        // Drawn on the host from NumPy's stream (Keras's initializers draw eagerly too), then placed on the device once.
        var d = new float[ShapeUtil.Size(shape)];
        switch (Distribution)
        {
            case "truncated_normal":
                double sigma = Math.Sqrt(variance) / TruncationStd;
                for (int i = 0; i < d.Length; i++)
                {
                    double z;
                    do z = rng.StandardNormal(); while (Math.Abs(z) > 2.0);
                    d[i] = (float)(z * sigma);
                }
                break;
            case "untruncated_normal":
                double s = Math.Sqrt(variance);
                for (int i = 0; i < d.Length; i++) d[i] = (float)(rng.StandardNormal() * s);
                break;
            default:
                double limit = Math.Sqrt(3 * variance);
                for (int i = 0; i < d.Length; i++) d[i] = (float)rng.Uniform(-limit, limit);
                break;
        }
        return new Tensor(d, shape);
    }

    /// <inheritdoc/>
    public override string ClassName => GetType() == typeof(VarianceScaling) ? "VarianceScaling" : base.ClassName;

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new()
    {
        ["scale"] = Scale,
        ["mode"] = Mode,
        ["distribution"] = Distribution,
        ["seed"] = null,
    };
}
