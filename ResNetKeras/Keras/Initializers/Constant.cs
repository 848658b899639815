using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary><c>keras.initializers.Constant(value=0.0)</c>: every element set to <see cref="Value"/>.</summary>
public sealed class Constant : Initializer
{
    /// <summary>Keras's signature with its default.</summary>
    public Constant(double value = 0.0)
    {
        if (!double.IsFinite(value)) throw new ArgumentException($"Invalid value for argument `value`: {value}; expected a finite number.", nameof(value));
        Value = value;
    }

    /// <summary>The value.</summary>
    public double Value { get; }

    /// <inheritdoc/>
    public override Tensor Call(int[] shape, RandomState rng) => Tensor.Full(shape, (float)Value);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["value"] = Value };
}
