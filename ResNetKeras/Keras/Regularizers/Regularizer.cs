using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>A weight penalty added to the training loss (<c>keras.regularizers.Regularizer</c>).</summary>
public abstract class Regularizer
{
    /// <summary>The penalty on the current weights, a 0-d tensor (recorded on the tape).</summary>
    public abstract Tensor Call(Tensor weights);

    /// <summary>Config dictionary (<c>get_config()</c>).</summary>
    public abstract Dictionary<string, object?> GetConfig();

    /// <summary>
    /// <c>keras.regularizers.get(identifier)</c>: "l1" and "l2" with Keras's factor 0.01, "l1_l2" with 0.01 for both
    /// (the class names work too).
    /// </summary>
    public static Regularizer Get(string identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        return identifier switch
        {
            "l1" or "L1" => new L1(),
            "l2" or "L2" => new L2(),
            "l1_l2" or "L1L2" => new L1L2(0.01, 0.01),
            _ => throw new ArgumentException($"Could not interpret regularizer identifier: '{identifier}'. Expected one of l1, l2, l1_l2.", nameof(identifier)),
        };
    }

    /// <summary>A string converts to the regularizer it names, so <c>kernelRegularizer: "l2"</c> works as in Keras.</summary>
    public static implicit operator Regularizer(string identifier) => Get(identifier);
}
