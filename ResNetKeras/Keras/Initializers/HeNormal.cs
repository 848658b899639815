namespace ResNetKeras.Keras;

/// <summary><c>keras.initializers.HeNormal</c>: truncated normal with std √(2/fan_in).</summary>
public sealed class HeNormal : VarianceScaling
{
    /// <summary>scale 2, fan_in, truncated_normal.</summary>
    public HeNormal() : base(2.0, "fan_in", "truncated_normal") { }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["seed"] = null };
}
