using ResNetKeras.Kernels;

namespace ResNetKeras.Keras;

/// <summary><c>keras.losses.MeanSquaredError</c>: mean((y_pred − y_true)², axis=-1) per sample.</summary>
[KerasIdentifiers("mean_squared_error", "mse", "MSE")]
public sealed class MeanSquaredError : ElementwiseLoss
{
    /// <summary>Keras's signature with its defaults.</summary>
    public MeanSquaredError(string? reduction = "sum_over_batch_size", string name = "mean_squared_error")
        : base(ElementwiseLossKind.SquaredError, name, reduction) { }

    /// <summary><c>MeanSquaredError.from_config(config)</c>.</summary>
    public static MeanSquaredError FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        var (name, reduction) = NameAndReduction(config, "mean_squared_error");
        return new MeanSquaredError(reduction, name!);
    }
}
