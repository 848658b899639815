using ResNetKeras.Kernels;

namespace ResNetKeras.Keras;

/// <summary><c>keras.losses.Hinge</c>: mean(max(1 − y_true·y_pred, 0), axis=-1); labels in {0, 1} are first mapped to {−1, 1}.</summary>
[KerasIdentifiers("hinge")]
public sealed class Hinge : ElementwiseLoss
{
    /// <summary>Keras's signature with its defaults.</summary>
    public Hinge(string? reduction = "sum_over_batch_size", string name = "hinge")
        : base(ElementwiseLossKind.Hinge, name, reduction) { }

    /// <summary><c>Hinge.from_config(config)</c>.</summary>
    public static Hinge FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        var (name, reduction) = NameAndReduction(config, "hinge");
        return new Hinge(reduction, name!);
    }
}
