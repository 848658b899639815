using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>Creates initial weight values (<c>keras.initializers.Initializer</c>).</summary>
public abstract class Initializer
{
    /// <summary>A tensor of <paramref name="shape"/> drawn from <paramref name="rng"/>.</summary>
    public abstract Tensor Call(int[] shape, RandomState rng);

    /// <summary>Keras's identifier, e.g. <c>HeNormal</c>, for configs.</summary>
    public virtual string ClassName => GetType().Name;

    /// <summary>Config dictionary (<c>get_config()</c>).</summary>
    public virtual Dictionary<string, object?> GetConfig() => new();

    /// <summary>
    /// Resolves a Keras identifier (<c>keras.initializers.get</c>): he_normal, he_uniform, glorot_uniform, glorot_normal,
    /// lecun_normal, lecun_uniform, random_normal, random_uniform, truncated_normal, constant, zeros, ones, or the class names.
    /// </summary>
    public static Initializer Get(string identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        return identifier switch
        {
            "he_normal" or "HeNormal" => new HeNormal(),
            "he_uniform" or "HeUniform" => new VarianceScaling(2.0, "fan_in", "uniform"),
            "glorot_uniform" or "GlorotUniform" => new GlorotUniform(),
            "glorot_normal" or "GlorotNormal" => new VarianceScaling(1.0, "fan_avg", "truncated_normal"),
            "lecun_normal" or "LecunNormal" => new VarianceScaling(1.0, "fan_in", "truncated_normal"),
            "lecun_uniform" or "LecunUniform" => new VarianceScaling(1.0, "fan_in", "uniform"),
            "random_normal" or "RandomNormal" => new RandomNormal(),
            "random_uniform" or "RandomUniform" => new RandomUniform(),
            "truncated_normal" or "TruncatedNormal" => new TruncatedNormal(),
            "constant" or "Constant" => new Constant(),
            "zeros" or "Zeros" or "zero" => new Zeros(),
            "ones" or "Ones" or "one" => new Ones(),
            _ => throw new ArgumentException(
                $"Unknown initializer: '{identifier}'. Expected one of he_normal, he_uniform, glorot_uniform, glorot_normal, lecun_normal, lecun_uniform, random_normal, random_uniform, truncated_normal, constant, zeros, ones.", nameof(identifier)),
        };
    }

    /// <summary>
    /// <c>keras.initializers.deserialize({"class_name": ..., "config": ...})</c>: the class with its arguments (a seed in
    /// the config is kept for the seeded draws, and ignored by the Glorot/He/VarianceScaling family).
    /// </summary>
    public static Initializer Deserialize(string className, IReadOnlyDictionary<string, object?> config)
    {
        ArgumentNullException.ThrowIfNull(className);
        ArgumentNullException.ThrowIfNull(config);
        uint? Seed() => config.TryGetValue("seed", out var v) && v is not null ? (uint)ConfigValues.Int(config, "seed", 0) : null;
        return className switch
        {
            "VarianceScaling" => new VarianceScaling(ConfigValues.Double(config, "scale", 1.0), ConfigValues.String(config, "mode") ?? "fan_in",
                ConfigValues.String(config, "distribution") ?? "truncated_normal"),
            "RandomNormal" => new RandomNormal(ConfigValues.Double(config, "mean", 0), ConfigValues.Double(config, "stddev", 0.05), Seed()),
            "RandomUniform" => new RandomUniform(ConfigValues.Double(config, "minval", -0.05), ConfigValues.Double(config, "maxval", 0.05), Seed()),
            "TruncatedNormal" => new TruncatedNormal(ConfigValues.Double(config, "mean", 0), ConfigValues.Double(config, "stddev", 0.05), Seed()),
            "Constant" => new Constant(ConfigValues.Double(config, "value", 0)),
            _ => Get(className),
        };
    }

    /// <summary>A string converts to the initializer it names, so <c>kernelInitializer: "he_normal"</c> works.</summary>
    public static implicit operator Initializer(string identifier) => Get(identifier);

    /// <summary>Keras's _compute_fans for a weight shape.</summary>
    public static (double FanIn, double FanOut) ComputeFans(int[] shape)
    {
        if (shape.Length < 1) return (1, 1);
        if (shape.Length == 1) return (shape[0], shape[0]);
        if (shape.Length == 2) return (shape[0], shape[1]);
        double receptive = 1;
        for (int i = 0; i < shape.Length - 2; i++) receptive *= shape[i];
        return (shape[^2] * receptive, shape[^1] * receptive);
    }
}
