using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>
/// Keras's <c>keras.losses.LossFunctionWrapper(fn, reduction, name)</c>: a loss from a function of (y_true, y_pred)
/// returning per-sample values, with the base class's weighting and reduction.
/// </summary>
public class LossFunctionWrapper : Loss
{
    private readonly Func<Tensor, Tensor, Tensor> fn;

    /// <summary>Wraps <paramref name="fn"/> (computed with ops, so it can be differentiated).</summary>
    public LossFunctionWrapper(Func<Tensor, Tensor, Tensor> fn, string? reduction = "sum_over_batch_size", string? name = null)
        : base(name, reduction)
    {
        this.fn = fn ?? throw new ArgumentNullException(nameof(fn));
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor yTrue, Tensor yPred) => fn(yTrue, yPred);
}
