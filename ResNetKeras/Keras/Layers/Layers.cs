namespace ResNetKeras.Keras;

/// <summary>Keras's functional helpers from <c>keras.layers</c>: <c>Input</c> and the merge functions (<c>add</c>, <c>concatenate</c>, ...).</summary>
public static class Layers
{
    /// <summary><c>keras.Input(shape, batch_size, name)</c>: a symbolic input of per-sample <paramref name="shape"/>.</summary>
    public static KerasTensor Input(int[] shape, string? name = null, int? batchSize = null) =>
        new InputLayer(shape, name, batchSize).Output;

    /// <summary><c>keras.layers.add([a, b, ...])</c>: element-wise sum through a new <see cref="Add"/> layer.</summary>
    public static KerasTensor Add(params KerasTensor[] inputs) => new Add().Call(inputs);

    // Merge functions of the issue-17 layers.

    /// <summary><c>keras.layers.concatenate([a, b, ...])</c> along the last axis through a new <see cref="Keras.Concatenate"/> layer.</summary>
    public static KerasTensor Concatenate(params KerasTensor[] inputs) => new Concatenate().Call(inputs);

    /// <summary><c>keras.layers.concatenate(inputs, axis)</c>.</summary>
    public static KerasTensor Concatenate(KerasTensor[] inputs, int axis = -1, string? name = null) => new Concatenate(axis, name).Call(inputs);

    /// <summary><c>keras.layers.multiply([a, b, ...])</c>: element-wise product.</summary>
    public static KerasTensor Multiply(params KerasTensor[] inputs) => new Multiply().Call(inputs);

    /// <summary><c>keras.layers.subtract([a, b])</c>: a − b.</summary>
    public static KerasTensor Subtract(KerasTensor a, KerasTensor b) => new Subtract().Call(a, b);

    /// <summary><c>keras.layers.average([a, b, ...])</c>: element-wise mean.</summary>
    public static KerasTensor Average(params KerasTensor[] inputs) => new Average().Call(inputs);

    /// <summary><c>keras.layers.maximum([a, b, ...])</c>: element-wise maximum.</summary>
    public static KerasTensor Maximum(params KerasTensor[] inputs) => new Maximum().Call(inputs);

    /// <summary><c>keras.layers.minimum([a, b, ...])</c>: element-wise minimum.</summary>
    public static KerasTensor Minimum(params KerasTensor[] inputs) => new Minimum().Call(inputs);
}
