using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary><c>keras.initializers.Zeros</c>.</summary>
public sealed class Zeros : Initializer
{
    /// <inheritdoc/>
    public override Tensor Call(int[] shape, RandomState rng) => Tensor.Zeros(shape);
}
