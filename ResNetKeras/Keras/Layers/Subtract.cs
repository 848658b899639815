using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary><c>keras.layers.Subtract</c>: inputs[0] − inputs[1] for exactly two same-shaped inputs.</summary>
public sealed class Subtract : Merge
{
    /// <summary>A subtract layer.</summary>
    public Subtract(string? name = null) : base(name) { }

    /// <inheritdoc/>
    protected override int? ExactInputs => 2;

    private protected override Tensor Combine(Tensor acc, Tensor x) => Op.Subtract(acc, x);

    /// <summary>The layer a config describes.</summary>
    public static Subtract FromConfig(IReadOnlyDictionary<string, object?> config) => new(NameOf(config));
}
