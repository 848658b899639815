using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary><c>keras.layers.Add</c>: element-wise sum of same-shaped inputs; no weights.</summary>
public sealed class Add : Layer
{
    /// <summary>An add layer.</summary>
    public Add(string? name = null) : base(name) { }

    /// <inheritdoc/>
    protected override int[] ComputeOutputShape(int[][] inputShapes)
    {
        if (inputShapes.Length < 2)
            throw new ArgumentException($"A merge layer should be called on a list of inputs. Layer \"{Name}\" received {inputShapes.Length} input(s).", "inputs");
        for (int i = 1; i < inputShapes.Length; i++)
            if (!inputShapes[i].SequenceEqual(inputShapes[0]))
                throw new ArgumentException($"Inputs of layer \"{Name}\" have incompatible shapes: got shapes {KerasTensor.FormatShape(inputShapes[0])} and {KerasTensor.FormatShape(inputShapes[i])}; expected equal shapes.", "inputs");
        return inputShapes[0];
    }

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training) => Op.AddN(inputs);

    internal override bool FusesRelu => true;

    internal override Tensor ForwardRelu(IReadOnlyList<Tensor> inputs, bool training) => Op.AddN(inputs, relu: true);
}
