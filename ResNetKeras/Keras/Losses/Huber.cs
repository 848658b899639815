using ResNetKeras.Kernels;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.losses.Huber(delta=1.0)</c>: mean over the last axis of ½e² where |e| ≤ δ and δ|e| − ½δ² beyond,
/// e = y_pred − y_true.
/// </summary>
[KerasIdentifiers("huber", "huber_loss")]
public sealed class Huber : ElementwiseLoss
{
    /// <summary>Keras's signature with its defaults.</summary>
    public Huber(double delta = 1.0, string? reduction = "sum_over_batch_size", string name = "huber_loss")
        : base(ElementwiseLossKind.Huber, name, reduction, CheckDelta(delta)) { }

    /// <summary>δ, where the loss turns from quadratic to linear.</summary>
    public double Delta => Parameter;

    private static float CheckDelta(double delta) => delta > 0 && double.IsFinite(delta)
        ? (float)delta
        : throw new ArgumentException($"Invalid value for argument `delta`. Expected a positive finite float. Received: delta={delta}", nameof(delta));

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["delta"] = Delta;
        return c;
    }

    /// <summary><c>Huber.from_config(config)</c>.</summary>
    public static Huber FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        var (name, reduction) = NameAndReduction(config, "huber_loss");
        return new Huber(ConfigValues.Double(config, "delta", 1.0), reduction, name!);
    }
}
