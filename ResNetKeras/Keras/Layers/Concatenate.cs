using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary><c>keras.layers.Concatenate(axis=-1)</c>: joins inputs that match on every axis but <see cref="Axis"/>.</summary>
public sealed class Concatenate : Layer
{
    /// <summary>Keras's signature and default.</summary>
    public Concatenate(int axis = -1, string? name = null) : base(name) => Axis = axis;

    /// <summary>The concatenation axis (negative counts from the end).</summary>
    public int Axis { get; }

    /// <inheritdoc/>
    protected override int[] ComputeOutputShape(int[][] inputShapes)
    {
        string Received() => $"Received: input_shape=[{string.Join(", ", inputShapes.Select(KerasTensor.FormatShape))}]";
        if (inputShapes.Length < 1)
            throw new ArgumentException($"A `Concatenate` layer should be called on a list of at least 1 input. {Received()}", "inputs");
        int rank = inputShapes[0].Length;
        if (Axis >= rank || Axis < -rank || inputShapes.Any(s => s.Length != rank))
            throw new ArgumentException($"A `Concatenate` layer requires inputs with matching shapes except for the concatenation axis. {Received()}", "inputs");
        int a = Axis < 0 ? Axis + rank : Axis;
        if (a == 0)
            throw new ArgumentException($"Layer \"{Name}\": concatenating along the batch axis (axis={Axis}) is not supported. {Received()}", "inputs");
        var output = (int[])inputShapes[0].Clone();
        for (int i = 1; i < inputShapes.Length; i++)
        {
            for (int d = 1; d < rank; d++)
                if (d != a && inputShapes[i][d] != output[d])
                    throw new ArgumentException($"A `Concatenate` layer requires inputs with matching shapes except for the concatenation axis. {Received()}", "inputs");
            output[a] = output[a] < 0 || inputShapes[i][a] < 0 ? -1 : output[a] + inputShapes[i][a];
        }
        return output;
    }

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training) => inputs.Count == 1 ? inputs[0] : Op.Concatenate(inputs, Axis);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["axis"] = Axis;
        return c;
    }

    /// <summary>The layer a config describes.</summary>
    public static Concatenate FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        var c = new LayerConfig(config);
        return new Concatenate(c.Has("axis") ? c.Int("axis") : -1, c.Name);
    }
}
