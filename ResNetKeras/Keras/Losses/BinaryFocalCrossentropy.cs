using ResNetKeras.Engine;
using ResNetKeras.Kernels;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary>
/// Keras 3's <c>keras.losses.BinaryFocalCrossentropy(apply_class_balancing=False, alpha=0.25, gamma=2.0,
/// from_logits=False, label_smoothing=0.0, axis=-1)</c>: mean over <c>axis</c> of (1 − p_t)^γ·bce with
/// p_t = t·p + (1 − t)(1 − p), times α·t + (1 − α)(1 − t) with class balancing. Labels are smoothed to
/// t·(1 − s) + s/2 first; logits go through a sigmoid first (Keras 3, unlike tf.keras, then clips like probabilities).
/// </summary>
[KerasIdentifiers("binary_focal_crossentropy")]
public sealed class BinaryFocalCrossentropy : ElementwiseLoss
{
    /// <summary>Keras's signature with its defaults.</summary>
    public BinaryFocalCrossentropy(bool applyClassBalancing = false, double alpha = 0.25, double gamma = 2.0, bool fromLogits = false,
        double labelSmoothing = 0.0, int axis = -1, string? reduction = "sum_over_batch_size", string name = "binary_focal_crossentropy")
        : base(ElementwiseLossKind.BinaryFocalCrossentropy, name, reduction, FocalArguments.Gamma(gamma))
    {
        ApplyClassBalancing = applyClassBalancing;
        Alpha = FocalArguments.Alpha(alpha);
        FromLogits = fromLogits;
        LabelSmoothing = FocalArguments.LabelSmoothing(labelSmoothing);
        Axis = axis;
    }

    /// <summary>Whether each term is weighted α for class 1 and 1 − α for class 0 (<c>apply_class_balancing</c>).</summary>
    public bool ApplyClassBalancing { get; }

    /// <summary>The weight of class 1 under class balancing.</summary>
    public double Alpha { get; }

    /// <summary>The focusing parameter γ (0: plain binary cross-entropy).</summary>
    public double Gamma => Parameter;

    /// <summary>Whether y_pred holds logits.</summary>
    public bool FromLogits { get; }

    /// <summary>The label smoothing s in [0, 1]: targets become t·(1 − s) + s/2.</summary>
    public double LabelSmoothing { get; }

    /// <summary>The axis the terms are averaged over.</summary>
    public int Axis { get; }

    /// <inheritdoc/>
    public override Tensor Call(Tensor yTrue, Tensor yPred)
    {
        var t = MatchTargets(Name, yTrue, yPred);
        if (LabelSmoothing != 0) t = Op.ScaleOffset(t, (float)(1 - LabelSmoothing), (float)(0.5 * LabelSmoothing));
        var p = FromLogits ? Op.Sigmoid(yPred) : yPred;
        var terms = Op.ElementwiseLoss(Kind, t, p, Parameter);
        // α·t + (1 − α)(1 − t) = t·(2α − 1) + 1 − α: a function of the (smoothed) labels only.
        if (ApplyClassBalancing) terms = Op.Multiply(terms, Op.ScaleOffset(t, (float)(2 * Alpha - 1), (float)(1 - Alpha)));
        return terms.Rank == 0 ? terms : Op.Mean(terms, Axis);
    }

    /// <summary>Keras's config: name, reduction, from_logits, label_smoothing, axis, apply_class_balancing, alpha, gamma.</summary>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["from_logits"] = FromLogits;
        c["label_smoothing"] = LabelSmoothing;
        c["axis"] = Axis;
        c["apply_class_balancing"] = ApplyClassBalancing;
        c["alpha"] = Alpha;
        c["gamma"] = Gamma;
        return c;
    }

    /// <summary><c>BinaryFocalCrossentropy.from_config(config)</c>.</summary>
    public static BinaryFocalCrossentropy FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        var (name, reduction) = NameAndReduction(config, "binary_focal_crossentropy");
        return new BinaryFocalCrossentropy(ConfigValues.Bool(config, "apply_class_balancing", false), ConfigValues.Double(config, "alpha", 0.25),
            ConfigValues.Double(config, "gamma", 2.0), ConfigValues.Bool(config, "from_logits", false), ConfigValues.Double(config, "label_smoothing", 0.0),
            ConfigValues.Int(config, "axis", -1), reduction, name!);
    }
}
