namespace ResNetKeras.Keras;

/// <summary>Keras's <c>{"class_name": ..., "config": {...}}</c> form of initializers and regularizers.</summary>
internal static class Serialization
{
    public static Dictionary<string, object?> Serialize(Initializer init) => new()
    {
        ["class_name"] = init.ClassName,
        ["config"] = init.GetConfig(),
    };

    public static Dictionary<string, object?>? Serialize(Regularizer? reg) => reg is null ? null : new()
    {
        ["class_name"] = reg.GetType().Name,
        ["config"] = reg.GetConfig(),
    };
}
