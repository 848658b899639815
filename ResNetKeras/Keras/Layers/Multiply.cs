using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary><c>keras.layers.Multiply</c>: the element-wise product of same-shaped inputs; no weights.</summary>
public sealed class Multiply : Merge
{
    /// <summary>A multiply layer.</summary>
    public Multiply(string? name = null) : base(name) { }

    private protected override Tensor Combine(Tensor acc, Tensor x) => Op.Multiply(acc, x);

    /// <summary>The layer a config describes.</summary>
    public static Multiply FromConfig(IReadOnlyDictionary<string, object?> config) => new(NameOf(config));
}
