using ResNetKeras.Engine;
using ResNetKeras.Kernels;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary>
/// Keras 3's <c>keras.losses.CategoricalFocalCrossentropy(alpha=0.25, gamma=2.0, from_logits=False,
/// label_smoothing=0.0, axis=-1)</c> for one-hot labels: Σ over <c>axis</c> of −α·t·log(õ)·(1 − õ)^γ, where o is the
/// prediction renormalized to sum to 1 over <c>axis</c> (after a softmax for logits) and õ = clip(o, ε, 1 − ε).
/// Labels are smoothed to t·(1 − s) + s/K with K the size of the last axis, as Keras does whatever the axis.
/// </summary>
[KerasIdentifiers("categorical_focal_crossentropy")]
public sealed class CategoricalFocalCrossentropy : Loss
{
    /// <summary>Keras's signature with its defaults (<paramref name="alpha"/> is a scalar here; Keras also takes one per class).</summary>
    public CategoricalFocalCrossentropy(double alpha = 0.25, double gamma = 2.0, bool fromLogits = false, double labelSmoothing = 0.0, int axis = -1,
        string? reduction = "sum_over_batch_size", string name = "categorical_focal_crossentropy")
        : base(name, reduction)
    {
        Alpha = FocalArguments.Alpha(alpha);
        Gamma = FocalArguments.Gamma(gamma);
        FromLogits = fromLogits;
        LabelSmoothing = FocalArguments.LabelSmoothing(labelSmoothing);
        Axis = axis;
    }

    /// <summary>The weight of every class term.</summary>
    public double Alpha { get; }

    /// <summary>The focusing parameter γ (0: α times the categorical cross-entropy).</summary>
    public double Gamma { get; }

    /// <summary>Whether y_pred holds logits (<c>from_logits</c>).</summary>
    public bool FromLogits { get; }

    /// <summary>The label smoothing s in [0, 1].</summary>
    public double LabelSmoothing { get; }

    /// <summary>The class axis.</summary>
    public int Axis { get; }

    /// <inheritdoc/>
    public override Tensor Call(Tensor yTrue, Tensor yPred)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        if (!yTrue.ShapeSpan.SequenceEqual(yPred.ShapeSpan) || yPred.Rank < 1)
            throw new ArgumentException($"{Name}: y_true of shape {ShapeUtil.Format(yTrue.ShapeSpan)} and y_pred of shape {ShapeUtil.Format(yPred.ShapeSpan)} must have the same shape, one-hot over the class axis (see Utils.ToCategorical).", nameof(yTrue));
        int axis = ShapeUtil.NormalizeAxis(Axis, yPred.Rank, "axis");
        var t = LabelSmoothing == 0 ? yTrue : Op.ScaleOffset(yTrue, (float)(1 - LabelSmoothing), (float)(LabelSmoothing / yTrue.Dim(-1)));
        var p = FromLogits ? Op.Softmax(yPred, axis) : yPred;
        // Keras renormalizes even a softmax output: o = p / Σp over the class axis.
        var o = Op.Divide(p, Op.BroadcastTo(Op.Sum(p, axis, keepDims: true), p.Shape));
        var terms = Op.Scale(Op.ElementwiseLoss(ElementwiseLossKind.CategoricalFocalCrossentropy, t, o, (float)Gamma), (float)Alpha);
        return Op.Sum(terms, axis);
    }

    internal override void CheckTargets(NDArray y, int[] outputShape, string param) => CheckOneHotTargets(y, outputShape, param);

    /// <summary>Keras's config: name, reduction, from_logits, label_smoothing, axis, alpha, gamma.</summary>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["from_logits"] = FromLogits;
        c["label_smoothing"] = LabelSmoothing;
        c["axis"] = Axis;
        c["alpha"] = Alpha;
        c["gamma"] = Gamma;
        return c;
    }

    /// <summary><c>CategoricalFocalCrossentropy.from_config(config)</c>; a per-class list of alpha is not supported and says so.</summary>
    public static CategoricalFocalCrossentropy FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new CategoricalFocalCrossentropy(ConfigValues.Double(config, "alpha", 0.25), ConfigValues.Double(config, "gamma", 2.0),
            ConfigValues.Bool(config, "from_logits", false), ConfigValues.Double(config, "label_smoothing", 0.0), ConfigValues.Int(config, "axis", -1),
            ConfigValues.Reduction(config), ConfigValues.String(config, "name") ?? "categorical_focal_crossentropy");
    }
}
