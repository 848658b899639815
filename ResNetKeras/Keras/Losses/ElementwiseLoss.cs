using ResNetKeras.Engine;
using ResNetKeras.Kernels;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary>
/// The base of Keras's regression and binary losses (each a <c>LossFunctionWrapper</c> around a function such as
/// <c>mean_squared_error</c>): a per-element term computed on the device, then its mean over the last axis (its sum for
/// KL divergence), giving one value per sample.
/// </summary>
public abstract class ElementwiseLoss : Loss
{
    private protected ElementwiseLoss(ElementwiseLossKind kind, string? name, string? reduction, float parameter = 0f, bool sumLastAxis = false)
        : base(name, reduction)
    {
        Kind = kind;
        Parameter = parameter;
        SumLastAxis = sumLastAxis;
    }

    private protected ElementwiseLossKind Kind { get; }
    private protected float Parameter { get; }
    private protected bool SumLastAxis { get; }

    /// <inheritdoc/>
    public override Tensor Call(Tensor yTrue, Tensor yPred)
    {
        yTrue = MatchTargets(Name, yTrue, yPred);
        var terms = Op.ElementwiseLoss(Kind, yTrue, yPred, Parameter);
        if (terms.Rank == 0) return terms;
        return SumLastAxis ? Op.Sum(terms, -1) : Op.Mean(terms, -1);
    }

    /// <summary>
    /// Keras's <c>squeeze_or_expand_to_same_rank</c> (labels (N,) against predictions (N, 1) and the reverse): the
    /// targets reshaped to the predictions' shape, or a clear error when the shapes differ otherwise.
    /// </summary>
    internal static Tensor MatchTargets(string name, Tensor yTrue, Tensor yPred)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        if (yTrue.Rank == yPred.Rank - 1 && yPred.Dim(-1) == 1) yTrue = Op.Reshape(yTrue, yPred.Shape);
        else if (yPred.Rank == yTrue.Rank - 1 && yTrue.Dim(-1) == 1) yTrue = Op.Reshape(yTrue, yPred.Shape);
        if (!yTrue.ShapeSpan.SequenceEqual(yPred.ShapeSpan))
            throw new ArgumentException($"{name}: y_true of shape {ShapeUtil.Format(yTrue.ShapeSpan)} and y_pred of shape {ShapeUtil.Format(yPred.ShapeSpan)} must have the same shape.", nameof(yTrue));
        return yTrue;
    }

    internal override void CheckTargets(NDArray y, int[] outputShape, string param) => CheckSameShapeTargets(this, y, outputShape, param);

    /// <summary>Targets of the output's shape, or without its trailing axis of 1.</summary>
    internal static void CheckSameShapeTargets(Loss loss, NDArray y, int[] outputShape, string param)
    {
        var s = y.ShapeSpan;
        bool same = s.Length == outputShape.Length && s[1..].SequenceEqual(outputShape.AsSpan(1));
        bool squeezed = s.Length == outputShape.Length - 1 && outputShape[^1] == 1 && s[1..].SequenceEqual(outputShape.AsSpan(1, outputShape.Length - 2));
        if (!same && !squeezed)
            throw new ArgumentException($"Shapes are incompatible: targets `{param}` of shape {ShapeUtil.Format(s)} do not match the model output of shape {KerasTensor.FormatShape(outputShape)} for {loss.Name}.", param);
    }

    /// <summary>Builds a loss of this family from a config's name and reduction (subclasses add their own keys).</summary>
    private protected static (string? Name, string? Reduction) NameAndReduction(IReadOnlyDictionary<string, object?> config, string defaultName)
    {
        ArgumentNullException.ThrowIfNull(config);
        return (ConfigValues.String(config, "name") ?? defaultName, ConfigValues.Reduction(config));
    }
}
