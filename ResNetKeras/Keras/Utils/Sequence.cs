using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>
/// A source of batches for <c>Model.Fit</c> (Keras's <c>keras.utils.Sequence</c>):
/// <c>ImageDataGenerator.Flow</c> returns one. Batch <c>i</c> must depend only on <c>i</c> and the
/// epoch's state, never on the order or thread in which batches are requested, so that background
/// workers give the same batches as one thread.
/// </summary>
public abstract class Sequence
{
    /// <summary>Number of batches per epoch (<c>__len__</c>).</summary>
    public abstract int Count { get; }

    /// <summary>Batch <paramref name="index"/> (<c>__getitem__</c>): inputs and targets (targets may be null).</summary>
    public abstract (NDArray X, NDArray? Y) GetItem(int index);

    /// <summary>
    /// Batch <paramref name="index"/> with per-sample loss weights, as a Keras Sequence returning
    /// <c>(x, y, sample_weight)</c>; the weights are null (every sample counts once) unless a subclass provides them.
    /// <c>Fit</c> reads batches through this method.
    /// </summary>
    public virtual (NDArray X, NDArray? Y, NDArray? SampleWeight) GetItemWithSampleWeight(int index)
    {
        var (x, y) = GetItem(index);
        return (x, y, null);
    }

    /// <summary>Called by <c>Fit</c> after every epoch (<c>on_epoch_end</c>), e.g. to reshuffle.</summary>
    public virtual void OnEpochEnd() { }
}
