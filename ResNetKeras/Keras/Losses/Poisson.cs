using ResNetKeras.Kernels;

namespace ResNetKeras.Keras;

/// <summary><c>keras.losses.Poisson</c>: mean(y_pred − y_true·log(y_pred + ε), axis=-1).</summary>
[KerasIdentifiers("poisson")]
public sealed class Poisson : ElementwiseLoss
{
    /// <summary>Keras's signature with its defaults.</summary>
    public Poisson(string? reduction = "sum_over_batch_size", string name = "poisson")
        : base(ElementwiseLossKind.Poisson, name, reduction) { }

    /// <summary><c>Poisson.from_config(config)</c>.</summary>
    public static Poisson FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        var (name, reduction) = NameAndReduction(config, "poisson");
        return new Poisson(reduction, name!);
    }
}
