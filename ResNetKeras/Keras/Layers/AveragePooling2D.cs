using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary><c>keras.layers.AveragePooling2D(pool_size=(2, 2), strides=None, padding='valid')</c>.</summary>
public sealed class AveragePooling2D : Pooling2D
{
    /// <summary>Keras's signature with its defaults.</summary>
    public AveragePooling2D(IntPair? poolSize = null, IntPair? strides = null, string padding = "valid", string? name = null)
        : base(poolSize, strides, padding, name) { }

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training) =>
        Op.AvgPool2D(inputs[0], PoolSize.First, PoolSize.Second, Strides.First, Strides.Second, Padding);
}
