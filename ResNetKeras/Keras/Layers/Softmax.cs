using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary><c>keras.layers.Softmax(axis=-1)</c>.</summary>
public sealed class Softmax : Layer
{
    /// <summary>Keras's signature and default.</summary>
    public Softmax(int axis = -1, string? name = null) : base(name) => Axis = axis;

    /// <summary>The normalized axis (negative counts from the end).</summary>
    public int Axis { get; }

    /// <inheritdoc/>
    protected override int[] ComputeOutputShape(int[][] inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        var s = inputShapes[0];
        if (Axis >= s.Length || Axis < -s.Length) throw ShapeError($"an axis in [{-s.Length}, {s.Length - 1}] for axis={Axis}", s);
        return s;
    }

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training) => Op.Softmax(inputs[0], Axis);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["axis"] = Axis;
        return c;
    }

    /// <summary>The layer a config describes (an axis list of one entry is accepted, as Keras writes it in some versions).</summary>
    public static Softmax FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        var c = new LayerConfig(config);
        var axis = c.Ints("axis") ?? [-1];
        if (axis.Length != 1) throw new InvalidDataException($"layer config: Softmax over several axes is not supported; found axis=[{string.Join(", ", axis)}].");
        return new Softmax(axis[0], c.Name);
    }
}
