namespace ResNetKeras.Keras;

/// <summary>Keras's <c>{"class_name": ..., "config": {...}}</c> form of initializers and regularizers.</summary>
internal static class Serialization
{
    public static Dictionary<string, object?> Serialize(Initializer init) => new()
    {
        ["class_name"] = init.ClassName,
        ["config"] = init.GetConfig(),
    };

    /// <summary>The config entries Conv2D and Dense share: use_bias, initializers, regularizers and (absent) constraints.</summary>
    public static void AddWeightConfig(Dictionary<string, object?> c, bool useBias, Initializer kernelInit, Initializer biasInit, Regularizer? kernelReg, Regularizer? biasReg)
    {
        c["use_bias"] = useBias;
        c["kernel_initializer"] = Serialize(kernelInit);
        c["bias_initializer"] = Serialize(biasInit);
        c["kernel_regularizer"] = Serialize(kernelReg);
        c["bias_regularizer"] = Serialize(biasReg);
        c["activity_regularizer"] = null;
        c["kernel_constraint"] = null;
        c["bias_constraint"] = null;
    }

    public static Dictionary<string, object?>? Serialize(Regularizer? reg) => reg is null ? null : new()
    {
        ["class_name"] = reg.GetType().Name,
        ["config"] = reg.GetConfig(),
    };
}
