using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary><c>keras.layers.Minimum</c>: the element-wise minimum of same-shaped inputs; no weights.</summary>
public sealed class Minimum : Merge
{
    /// <summary>A minimum layer.</summary>
    public Minimum(string? name = null) : base(name) { }

    private protected override Tensor Combine(Tensor acc, Tensor x) => Op.Minimum(acc, x);

    /// <summary>The layer a config describes.</summary>
    public static Minimum FromConfig(IReadOnlyDictionary<string, object?> config) => new(NameOf(config));
}
