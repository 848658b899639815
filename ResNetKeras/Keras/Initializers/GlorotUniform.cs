namespace ResNetKeras.Keras;

/// <summary><c>keras.initializers.GlorotUniform</c>: U(−L, L) with L = √(6/(fan_in + fan_out)); Keras's default kernel initializer.</summary>
public sealed class GlorotUniform : VarianceScaling
{
    /// <summary>scale 1, fan_avg, uniform.</summary>
    public GlorotUniform() : base(1.0, "fan_avg", "uniform") { }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["seed"] = null };
}
