using ResNetKeras.Kernels;

namespace ResNetKeras.Keras;

/// <summary><c>keras.losses.MeanAbsolutePercentageError</c>: 100·mean(|(y_true − y_pred)/max(|y_true|, ε)|, axis=-1).</summary>
[KerasIdentifiers("mean_absolute_percentage_error", "mape", "MAPE")]
public sealed class MeanAbsolutePercentageError : ElementwiseLoss
{
    /// <summary>Keras's signature with its defaults.</summary>
    public MeanAbsolutePercentageError(string? reduction = "sum_over_batch_size", string name = "mean_absolute_percentage_error")
        : base(ElementwiseLossKind.AbsolutePercentageError, name, reduction) { }

    /// <summary><c>MeanAbsolutePercentageError.from_config(config)</c>.</summary>
    public static MeanAbsolutePercentageError FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        var (name, reduction) = NameAndReduction(config, "mean_absolute_percentage_error");
        return new MeanAbsolutePercentageError(reduction, name!);
    }
}
