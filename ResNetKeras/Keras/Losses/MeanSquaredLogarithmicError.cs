using ResNetKeras.Kernels;

namespace ResNetKeras.Keras;

/// <summary><c>keras.losses.MeanSquaredLogarithmicError</c>: mean((log(max(y_pred, ε) + 1) − log(max(y_true, ε) + 1))², axis=-1).</summary>
[KerasIdentifiers("mean_squared_logarithmic_error", "msle", "MSLE")]
public sealed class MeanSquaredLogarithmicError : ElementwiseLoss
{
    /// <summary>Keras's signature with its defaults.</summary>
    public MeanSquaredLogarithmicError(string? reduction = "sum_over_batch_size", string name = "mean_squared_logarithmic_error")
        : base(ElementwiseLossKind.SquaredLogarithmicError, name, reduction) { }

    /// <summary><c>MeanSquaredLogarithmicError.from_config(config)</c>.</summary>
    public static MeanSquaredLogarithmicError FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        var (name, reduction) = NameAndReduction(config, "mean_squared_logarithmic_error");
        return new MeanSquaredLogarithmicError(reduction, name!);
    }
}
