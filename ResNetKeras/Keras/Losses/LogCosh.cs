using ResNetKeras.Kernels;

namespace ResNetKeras.Keras;

/// <summary><c>keras.losses.LogCosh</c>: mean(log(cosh(y_pred − y_true)), axis=-1), computed as x + softplus(−2x) − log 2.</summary>
[KerasIdentifiers("log_cosh", "logcosh")]
public sealed class LogCosh : ElementwiseLoss
{
    /// <summary>Keras's signature with its defaults.</summary>
    public LogCosh(string? reduction = "sum_over_batch_size", string name = "log_cosh")
        : base(ElementwiseLossKind.LogCosh, name, reduction) { }

    /// <summary><c>LogCosh.from_config(config)</c>.</summary>
    public static LogCosh FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        var (name, reduction) = NameAndReduction(config, "log_cosh");
        return new LogCosh(reduction, name!);
    }
}
