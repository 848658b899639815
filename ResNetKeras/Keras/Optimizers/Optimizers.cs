namespace ResNetKeras.Keras;

/// <summary>Keras's <c>keras.optimizers</c> module function <c>get</c>.</summary>
public static class Optimizers
{
    /// <summary>
    /// <c>keras.optimizers.get(identifier)</c>: an <see cref="Optimizer"/> is returned as is; "adam" / "Adam" and
    /// "sgd" / "SGD" give a new instance with Keras's defaults.
    /// </summary>
    public static Optimizer Get(object identifier) => identifier switch
    {
        Optimizer o => o,
        "adam" or "Adam" => new Adam(),
        "sgd" or "SGD" => new SGD(),
        null => throw new ArgumentNullException(nameof(identifier), "Could not interpret optimizer identifier: None."),
        string s => throw new ArgumentException($"Could not interpret optimizer identifier: '{s}'. Expected one of adam, sgd, or an Optimizer instance.", nameof(identifier)),
        _ => throw new ArgumentException($"Could not interpret optimizer identifier: {identifier} (of type {identifier.GetType().Name}). Expected a string or an Optimizer instance.", nameof(identifier)),
    };
}
