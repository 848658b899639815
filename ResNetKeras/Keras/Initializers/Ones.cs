using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary><c>keras.initializers.Ones</c>.</summary>
public sealed class Ones : Initializer
{
    /// <inheritdoc/>
    public override Tensor Call(int[] shape, RandomState rng) => Tensor.Full(shape, 1f);
}
