namespace ResNetKeras.Keras;

/// <summary>Keras's <c>keras.losses</c> module functions: <c>get</c>, <c>serialize</c>, <c>deserialize</c>.</summary>
public static class Losses
{
    private static readonly string[] Identifiers =
        ["categorical_crossentropy", "CategoricalCrossentropy", "sparse_categorical_crossentropy", "SparseCategoricalCrossentropy"];

    /// <summary>
    /// <c>keras.losses.get(identifier)</c>: a <see cref="Loss"/> is returned as is; a string names a loss by its function
    /// name (<c>categorical_crossentropy</c>) or class name (<c>CategoricalCrossentropy</c>) and gives a new instance
    /// with Keras's defaults.
    /// </summary>
    public static Loss Get(object identifier) => identifier switch
    {
        Loss loss => loss,
        "categorical_crossentropy" or "CategoricalCrossentropy" => new CategoricalCrossentropy(),
        "sparse_categorical_crossentropy" or "SparseCategoricalCrossentropy" => new SparseCategoricalCrossentropy(),
        null => throw new ArgumentNullException(nameof(identifier), "Could not interpret loss identifier: None."),
        string s => throw new ArgumentException($"Could not interpret loss identifier: '{s}'. Expected one of {string.Join(", ", Identifiers)}, or a Loss instance.", nameof(identifier)),
        _ => throw new ArgumentException($"Could not interpret loss identifier: {identifier} (of type {identifier.GetType().Name}). Expected a string or a Loss instance.", nameof(identifier)),
    };

    /// <summary><c>keras.losses.serialize(loss)</c>: <c>{"class_name": ..., "config": ...}</c>.</summary>
    public static Dictionary<string, object?> Serialize(Loss loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        return new() { ["class_name"] = loss.GetType().Name, ["config"] = loss.GetConfig() };
    }

    /// <summary><c>keras.losses.deserialize({"class_name": ..., "config": ...})</c> for this library's loss classes.</summary>
    public static Loss Deserialize(string className, IReadOnlyDictionary<string, object?> config)
    {
        ArgumentNullException.ThrowIfNull(className);
        ArgumentNullException.ThrowIfNull(config);
        return className switch
        {
            nameof(CategoricalCrossentropy) => CategoricalCrossentropy.FromConfig(config),
            nameof(SparseCategoricalCrossentropy) => SparseCategoricalCrossentropy.FromConfig(config),
            _ => throw new ArgumentException($"Could not interpret loss identifier: unknown loss class '{className}'. Known classes: {nameof(CategoricalCrossentropy)}, {nameof(SparseCategoricalCrossentropy)}.", nameof(className)),
        };
    }
}
