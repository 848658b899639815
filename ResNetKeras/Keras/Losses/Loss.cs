using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary>
/// Base of the losses (Keras's <c>keras.losses.Loss</c>): <see cref="Call"/> computes one loss value per sample, and
/// <see cref="Compute(Tensor, Tensor, Tensor?)"/> (Keras's <c>loss(y_true, y_pred, sample_weight)</c>) weights and reduces them. Subclass it and
/// override <see cref="Call"/> (with ops) to write a loss; pass it to <c>Compile(loss: ...)</c>.
/// </summary>
public abstract class Loss
{
    /// <summary>The reductions accepted (Keras's <c>standardize_reduction</c>; null means none).</summary>
    public static readonly IReadOnlyList<string?> AllowedReductions = ["sum_over_batch_size", "sum", "mean", "none", null];

    /// <summary>Sets the name (default: the class name in snake_case, made unique as Keras's <c>auto_name</c>) and the reduction.</summary>
    protected Loss(string? name = null, string? reduction = "sum_over_batch_size")
    {
        if (name is not null && name.Length == 0)
            throw new ArgumentException("Invalid value for argument `name`. Expected a non-empty string. Received name=''.", nameof(name));
        if (!AllowedReductions.Contains(reduction))
            throw new ArgumentException($"Invalid value for argument `reduction`. Expected one of {{{string.Join(", ", AllowedReductions.Select(r => r is null ? "None" : $"'{r}'"))}}}. Received: reduction={reduction}", nameof(reduction));
        Name = name ?? Backend.UniqueName(Backend.ToSnakeCase(GetType().Name));
        Reduction = reduction;
    }

    /// <summary>The loss name (<c>loss.name</c>).</summary>
    public string Name { get; }

    /// <summary>How per-sample losses are reduced (<c>loss.reduction</c>): sum_over_batch_size (= mean), sum, none.</summary>
    public string? Reduction { get; }

    /// <summary>Keras's <c>call(y_true, y_pred)</c>: the unreduced losses, one per sample (shape (N,) for (N, ...) inputs), computed with ops.</summary>
    public abstract Tensor Call(Tensor yTrue, Tensor yPred);

    /// <summary>
    /// Keras's <c>loss(y_true, y_pred, sample_weight=None)</c>: <see cref="Call"/>, then each value times its sample weight
    /// and the reduction. sum_over_batch_size divides Σ ℓᵢ·wᵢ by N (the number of loss values), not by Σ wᵢ.
    /// </summary>
    public Tensor Compute(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        return ReduceWeightedValues(Call(yTrue, yPred), sampleWeight, Reduction);
    }

    /// <summary>
    /// What the trainer calls: with the logits of a softmax output known, a loss that has a logits form
    /// (<see cref="CallOnLogits"/>) computes from them, as tf.keras does for a model ending in a softmax.
    /// </summary>
    internal Tensor Compute(Tensor yTrue, Tensor yPred, Tensor? logits, Tensor? sampleWeight)
    {
        var values = (logits is null ? null : CallOnLogits(yTrue, logits)) ?? Call(yTrue, yPred);
        return ReduceWeightedValues(values, sampleWeight, Reduction);
    }

    /// <summary>The per-sample losses from the pre-softmax logits of a softmax output, or null where the loss has no such form.</summary>
    internal virtual Tensor? CallOnLogits(Tensor yTrue, Tensor logits) => null;

    /// <summary>Checks the targets of Fit/Evaluate against the model output before training starts (nothing for a user's loss).</summary>
    internal virtual void CheckTargets(NDArray y, int[] outputShape, string param) { }

    /// <summary>The categorical losses' check: one-hot targets with the output's shape (labels would need the sparse loss).</summary>
    private protected void CheckOneHotTargets(NDArray y, int[] outputShape, string param)
    {
        if (y.Rank != outputShape.Length || !y.ShapeSpan[1..].SequenceEqual(outputShape.AsSpan(1)))
            throw new ArgumentException($"Shapes are incompatible: labels `{param}` of shape {ShapeUtil.Format(y.ShapeSpan)} do not match the model output of shape {KerasTensor.FormatShape(outputShape)} for {Name}; one-hot labels of shape (N, {outputShape[^1]}) were expected (see Utils.ToCategorical).", param);
    }

    /// <summary>Keras's <c>reduce_weighted_values</c>: weights matched to the values' rank, multiplied in, then the reduction.</summary>
    public static Tensor ReduceWeightedValues(Tensor values, Tensor? sampleWeight, string? reduction)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (!AllowedReductions.Contains(reduction))
            throw new ArgumentException($"Invalid value for argument `reduction`. Received: reduction={reduction}", nameof(reduction));
        if (sampleWeight is not null)
        {
            if (sampleWeight.Rank == 0) values = Op.Scale(values, sampleWeight.Item());
            else
            {
                // squeeze_or_expand_to_same_rank: a trailing axis of 1 on either side goes.
                var w = sampleWeight;
                if (w.Rank == values.Rank + 1 && w.Dim(-1) == 1) w = Op.Reshape(w, values.Shape);
                else if (values.Rank == w.Rank + 1 && values.Dim(-1) == 1) values = Op.Reshape(values, w.Shape);
                if (!w.ShapeSpan.SequenceEqual(values.ShapeSpan))
                    throw new ArgumentException($"Invalid `sample_weight` of shape {ShapeUtil.Format(sampleWeight.ShapeSpan)} for losses of shape {ShapeUtil.Format(values.ShapeSpan)}: expected one weight per loss value.", nameof(sampleWeight));
                values = Op.Multiply(values, w);
            }
        }
        if (reduction is null or "none" || values.Rank == 0) return values;
        return reduction == "sum" ? Op.Sum(values) : Op.Mean(values);
    }

    /// <summary>Keras's <c>get_config()</c>: name and reduction, plus the subclass's arguments.</summary>
    public virtual Dictionary<string, object?> GetConfig() => new() { ["name"] = Name, ["reduction"] = Reduction };

    /// <inheritdoc/>
    public override string ToString() => $"<{GetType().Name} name={Name}>";
}
