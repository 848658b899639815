using ResNetKeras.Kernels;

namespace ResNetKeras.Keras;

/// <summary><c>keras.losses.MeanAbsoluteError</c>: mean(|y_pred − y_true|, axis=-1) per sample.</summary>
[KerasIdentifiers("mean_absolute_error", "mae", "MAE")]
public sealed class MeanAbsoluteError : ElementwiseLoss
{
    /// <summary>Keras's signature with its defaults.</summary>
    public MeanAbsoluteError(string? reduction = "sum_over_batch_size", string name = "mean_absolute_error")
        : base(ElementwiseLossKind.AbsoluteError, name, reduction) { }

    /// <summary><c>MeanAbsoluteError.from_config(config)</c>.</summary>
    public static MeanAbsoluteError FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        var (name, reduction) = NameAndReduction(config, "mean_absolute_error");
        return new MeanAbsoluteError(reduction, name!);
    }
}
