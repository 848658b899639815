using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>
/// Keras's <c>keras.metrics.MeanMetricWrapper(fn, name)</c>: the running mean of a per-sample function of
/// (y_true, y_pred) written with ops; the base of the accuracy metrics.
/// </summary>
public class MeanMetricWrapper : Mean
{
    private readonly Func<Tensor, Tensor, Tensor>? fn;

    /// <summary>Wraps <paramref name="fn"/>, which returns one value per sample (or per element, averaged per sample).</summary>
    public MeanMetricWrapper(Func<Tensor, Tensor, Tensor> fn, string? name = null) : base(name)
    {
        this.fn = fn ?? throw new ArgumentNullException(nameof(fn));
    }

    /// <summary>For subclasses that override <see cref="Values"/> instead of passing a function.</summary>
    protected MeanMetricWrapper(string name) : base(name) { }

    /// <summary>The per-sample values of one batch (Keras's wrapped <c>fn(y_true, y_pred)</c>).</summary>
    protected virtual Tensor Values(Tensor yTrue, Tensor yPred) =>
        fn is not null ? fn(yTrue, yPred) : throw new InvalidOperationException($"{GetType().Name} must override Values or pass a function.");

    /// <summary>Keras's <c>update_state(y_true, y_pred, sample_weight=None)</c>: the mean of <see cref="Values"/>, weighted per sample.</summary>
    public override void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        base.UpdateState(Values(yTrue, yPred), sampleWeight);
    }

    /// <summary>(y_true, y_pred), not <see cref="Mean.UpdateState(Tensor, Tensor?)"/>'s (values, sample_weight).</summary>
    public new void UpdateState(Tensor yTrue, Tensor yPred) => UpdateState(yTrue, yPred, null);
}
