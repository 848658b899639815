using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary>
/// Keras's <c>Merge</c> base of the element-wise merge layers: at least one input (two for <c>Subtract</c>) of one
/// rank, each axis equal or 1 (broadcast, as Keras does). Inputs of different ranks, which Keras expands at axis 1,
/// are an error here.
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
        var output = (int[])inputShapes[0].Clone();
        for (int i = 1; i < inputShapes.Length; i++)
        {
            var s = inputShapes[i];
            if (s.Length != output.Length)
                throw new ArgumentException($"Inputs have incompatible shapes. Received shapes {KerasTensor.FormatShape(output[1..])} and {KerasTensor.FormatShape(s[1..])} (layer \"{Name}\": inputs of different ranks are not supported).", "inputs");
            for (int d = 1; d < s.Length; d++)
            {
                if (s[d] == output[d] || s[d] == 1) continue;
                if (output[d] == 1 || output[d] < 0 || s[d] < 0) output[d] = output[d] == 1 ? s[d] : -1;
                else throw new ArgumentException($"Inputs have incompatible shapes. Received shapes {KerasTensor.FormatShape(inputShapes[0][1..])} and {KerasTensor.FormatShape(s[1..])}", "inputs");
            }
        }
        return output;
    }

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training)
    {
        var broadcast = Broadcast(inputs);
        var y = broadcast[0];
        for (int i = 1; i < broadcast.Count; i++) y = Combine(y, broadcast[i]);
        return Finish(y, broadcast.Count);
    }

    /// <summary>The inputs repeated along their axes of length 1 to the common shape (the inputs themselves when they already agree).</summary>
    private protected static IReadOnlyList<Tensor> Broadcast(IReadOnlyList<Tensor> inputs)
    {
        if (inputs.All(t => t.ShapeSpan.SequenceEqual(inputs[0].ShapeSpan))) return inputs;
        var shape = inputs[0].Shape;
        foreach (var t in inputs)
        {
            if (t.Rank != shape.Length)
                throw new ArgumentException($"Inputs have incompatible shapes. Received shapes {ShapeUtil.Format(shape)} and {ShapeUtil.Format(t.ShapeSpan)}.", nameof(inputs));
            for (int d = 0; d < shape.Length; d++)
                if (shape[d] == 1) shape[d] = t.Dim(d);
        }
        return inputs.Select(t => Op.BroadcastTo(t, shape)).ToArray();
    }

    /// <summary>Folds one more input into the running result (Keras's <c>_merge_function</c> loop).</summary>
    private protected abstract Tensor Combine(Tensor acc, Tensor x);

    /// <summary>The last step after folding (Average divides).</summary>
    private protected virtual Tensor Finish(Tensor y, int count) => y;

    /// <summary>The name a merge layer's config carries.</summary>
    private protected static string? NameOf(IReadOnlyDictionary<string, object?> config) => new LayerConfig(config).Name;
}
