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

    /// <summary>Resolves a Keras identifier: he_normal, he_uniform, glorot_uniform, glorot_normal, lecun_normal, zeros, ones.</summary>
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
            "zeros" or "Zeros" or "zero" => new Zeros(),
            "ones" or "Ones" or "one" => new Ones(),
            _ => throw new ArgumentException(
                $"Unknown initializer: '{identifier}'. Expected one of he_normal, he_uniform, glorot_uniform, glorot_normal, lecun_normal, zeros, ones.", nameof(identifier)),
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
