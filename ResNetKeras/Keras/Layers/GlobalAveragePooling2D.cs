using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary><c>keras.layers.GlobalAveragePooling2D</c>: (N, H, W, C) → (N, C).</summary>
public sealed class GlobalAveragePooling2D : Layer
{
    /// <summary>A global average pooling layer.</summary>
    public GlobalAveragePooling2D(string? name = null) : base(name) { }

    /// <inheritdoc/>
    protected override int[] ComputeOutputShape(int[][] inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        if (inputShapes[0].Length != 4) throw ShapeError("ndim=4 (batch, height, width, channels)", inputShapes[0]);
        return [inputShapes[0][0], inputShapes[0][3]];
    }

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training) => Op.GlobalAvgPool2D(inputs[0]);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["data_format"] = "channels_last";
        c["keepdims"] = false;
        return c;
    }
}
