using ResNetKeras.Kernels;

namespace ResNetKeras.Keras;

/// <summary><c>keras.losses.KLDivergence</c>: sum(t·log(t/p), axis=-1) with t and p clipped to [ε, 1].</summary>
[KerasIdentifiers("kl_divergence", "kld", "KLD", "kullback_leibler_divergence")]
public sealed class KLDivergence : ElementwiseLoss
{
    /// <summary>Keras's signature with its defaults.</summary>
    public KLDivergence(string? reduction = "sum_over_batch_size", string name = "kl_divergence")
        : base(ElementwiseLossKind.KLDivergence, name, reduction, sumLastAxis: true) { }

    /// <summary><c>KLDivergence.from_config(config)</c>.</summary>
    public static KLDivergence FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        var (name, reduction) = NameAndReduction(config, "kl_divergence");
        return new KLDivergence(reduction, name!);
    }
}
