using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>
/// A loss function as a metric (Keras's <c>MeanMetricWrapper(mean_squared_error)</c>, what <c>metrics=["mse"]</c>
/// builds): the running mean of the loss's per-sample values, named as the user wrote it.
/// </summary>
public sealed class LossMetric : MeanMetricWrapper
{
    /// <summary>Wraps <paramref name="loss"/> (its <see cref="Loss.Call"/>; the loss's own reduction is not used).</summary>
    public LossMetric(Loss loss, string? name = null) : base(name ?? loss?.Name ?? throw new ArgumentNullException(nameof(loss)))
    {
        Loss = loss!;
    }

    /// <summary>The wrapped loss.</summary>
    public Loss Loss { get; }

    /// <inheritdoc/>
    protected override Tensor Values(Tensor yTrue, Tensor yPred) => Loss.Call(yTrue, yPred);
}
