using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary><c>keras.layers.Average</c>: the element-wise mean of same-shaped inputs (their sum divided by their count, as Keras).</summary>
public sealed class Average : Merge
{
    /// <summary>An average layer.</summary>
    public Average(string? name = null) : base(name) { }

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training) =>
        inputs.Count == 1 ? inputs[0] : Op.Scale(Op.AddN(Broadcast(inputs)), 1f / inputs.Count);

    private protected override Tensor Combine(Tensor acc, Tensor x) => throw new InvalidOperationException("Average sums all inputs in one pass.");

    /// <summary>The layer a config describes.</summary>
    public static Average FromConfig(IReadOnlyDictionary<string, object?> config) => new(NameOf(config));
}
