using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary><c>keras.layers.Maximum</c>: the element-wise maximum of same-shaped inputs; no weights.</summary>
public sealed class Maximum : Merge
{
    /// <summary>A maximum layer.</summary>
    public Maximum(string? name = null) : base(name) { }

    private protected override Tensor Combine(Tensor acc, Tensor x) => Op.Maximum(acc, x);

    /// <summary>The layer a config describes.</summary>
    public static Maximum FromConfig(IReadOnlyDictionary<string, object?> config) => new(NameOf(config));
}
