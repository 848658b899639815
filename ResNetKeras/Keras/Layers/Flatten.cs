using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary><c>keras.layers.Flatten</c>: row-major over the non-batch axes.</summary>
public sealed class Flatten : Layer
{
    /// <summary>A flatten layer.</summary>
    public Flatten(string? name = null) : base(name) { }

    /// <inheritdoc/>
    protected override int[] ComputeOutputShape(int[][] inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        var s = inputShapes[0];
        if (s.Length < 2) throw ShapeError("min_ndim=2", s);
        int n = 1;
        foreach (int d in s[1..]) n *= d;
        return [s[0], n];
    }

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training) => Op.Reshape(inputs[0], inputs[0].Dim(0), -1);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["data_format"] = "channels_last";
        return c;
    }
}
