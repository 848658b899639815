using System.Text.Json;
using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>
/// Keras's <c>Merge</c> base of the element-wise merge layers: at least one input (two for <c>Subtract</c>), all
/// of one shape (Keras would also broadcast axes of length 1; that is not supported here and is an error).
/// </summary>
public abstract class Merge : Layer
{
    /// <summary>Named like Keras.</summary>
    protected Merge(string? name) : base(name) { }

    /// <summary>How many inputs the layer takes exactly, or null for any number ≥ 1.</summary>
    protected virtual int? ExactInputs => null;

    /// <inheritdoc/>
    protected override int[] ComputeOutputShape(int[][] inputShapes)
    {
        if (ExactInputs is { } n && inputShapes.Length != n)
            throw new ArgumentException($"A `{ClassName}` layer should be called on exactly {n} inputs. Received: input_shape=[{string.Join(", ", inputShapes.Select(KerasTensor.FormatShape))}]", "inputs");
        if (inputShapes.Length < 1)
            throw new ArgumentException($"A merge layer should be called on a list of at least 1 input. Got {inputShapes.Length} inputs.", "inputs");
        for (int i = 1; i < inputShapes.Length; i++)
            if (!inputShapes[i].SequenceEqual(inputShapes[0]))
                throw new ArgumentException($"Inputs have incompatible shapes. Received shapes {KerasTensor.FormatShape(inputShapes[0][1..])} and {KerasTensor.FormatShape(inputShapes[i][1..])} (layer \"{Name}\"; this library merges equal shapes only).", "inputs");
        return inputShapes[0];
    }

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training)
    {
        var y = inputs[0];
        for (int i = 1; i < inputs.Count; i++) y = Combine(y, inputs[i]);
        return Finish(y, inputs.Count);
    }

    /// <summary>Folds one more input into the running result (Keras's <c>_merge_function</c> loop).</summary>
    private protected abstract Tensor Combine(Tensor acc, Tensor x);

    /// <summary>The last step after folding (Average divides).</summary>
    private protected virtual Tensor Finish(Tensor y, int count) => y;

    /// <summary>The name a merge layer's config carries.</summary>
    private protected static string? NameOf(JsonElement config) => new LayerConfig(config).Name;
}
