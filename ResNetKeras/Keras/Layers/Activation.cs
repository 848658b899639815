using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary><c>keras.layers.Activation</c>: applies a named activation (any of <see cref="Activations"/>'s identifiers).</summary>
public sealed class Activation : Layer
{
    /// <summary>An activation layer.</summary>
    public Activation(string activation, string? name = null) : base(name)
    {
        ActivationName = Activations.Normalize(activation);
    }

    /// <summary>The activation identifier.</summary>
    public string ActivationName { get; }

    /// <inheritdoc/>
    protected override int[] ComputeOutputShape(int[][] inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        if (ActivationName == "softmax" && inputShapes[0].Length < 2) throw ShapeError("min_ndim=2 for softmax", inputShapes[0]);
        return inputShapes[0];
    }

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training) => Activations.Apply(ActivationName, inputs[0]);

    internal override bool OutputsSoftmax => ActivationName == "softmax";

    internal override Tensor ForwardLogits(IReadOnlyList<Tensor> inputs, bool training) => inputs[0];

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["activation"] = ActivationName;
        return c;
    }

    /// <summary>The layer a config describes (<c>Activation.from_config</c>).</summary>
    public static Activation FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        var c = new LayerConfig(config);
        return new Activation(c.Str("activation") ?? "linear", c.Name);
    }
}
