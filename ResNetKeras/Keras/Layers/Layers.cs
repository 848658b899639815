namespace ResNetKeras.Keras;

/// <summary>Keras's functional helpers from <c>keras.layers</c>: <c>Input</c> and the merge function <c>add</c>.</summary>
public static class Layers
{
    /// <summary><c>keras.Input(shape, batch_size, name)</c>: a symbolic input of per-sample <paramref name="shape"/>.</summary>
    public static KerasTensor Input(int[] shape, string? name = null, int? batchSize = null) =>
        new InputLayer(shape, name, batchSize).Output;

    /// <summary><c>keras.layers.add([a, b, ...])</c>: element-wise sum through a new <see cref="Add"/> layer.</summary>
    public static KerasTensor Add(params KerasTensor[] inputs) => new Add().Call(inputs);
}
