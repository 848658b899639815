using ResNetKeras.Kernels;

namespace ResNetKeras.Keras;

/// <summary><c>keras.losses.SquaredHinge</c>: mean(max(1 − y_true·y_pred, 0)², axis=-1); labels in {0, 1} are first mapped to {−1, 1}.</summary>
[KerasIdentifiers("squared_hinge")]
public sealed class SquaredHinge : ElementwiseLoss
{
    /// <summary>Keras's signature with its defaults.</summary>
    public SquaredHinge(string? reduction = "sum_over_batch_size", string name = "squared_hinge")
        : base(ElementwiseLossKind.SquaredHinge, name, reduction) { }

    /// <summary><c>SquaredHinge.from_config(config)</c>.</summary>
    public static SquaredHinge FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        var (name, reduction) = NameAndReduction(config, "squared_hinge");
        return new SquaredHinge(reduction, name!);
    }
}
