using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>A weight penalty added to the training loss (<c>keras.regularizers.Regularizer</c>).</summary>
public abstract class Regularizer
{
    /// <summary>The penalty on the current weights, a 0-d tensor (recorded on the tape).</summary>
    public abstract Tensor Call(Tensor weights);

    /// <summary>Config dictionary (<c>get_config()</c>).</summary>
    public abstract Dictionary<string, object?> GetConfig();
}
