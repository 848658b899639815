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

    /// <summary>
    /// Whether every batch is a new array that nothing else holds (as <c>ImageDataGenerator.Flow</c>'s are), so that
    /// <c>Fit</c> disposes it after its training step and its unmanaged memory is reused at once instead of when a
    /// finalizer runs. False by default: a sequence that returns arrays it keeps (or views of them) must not have them
    /// disposed.
    /// </summary>
    public virtual bool YieldsTemporaries => false;

    /// <summary>Called by <c>Fit</c> after every epoch (<c>on_epoch_end</c>), e.g. to reshuffle.</summary>
    public virtual void OnEpochEnd() { }

    /// <summary>
    /// Called by <c>Fit</c> at the start of every epoch with its 0-based number, from <c>initialEpoch</c> on (Keras 3's
    /// <c>PyDataset.on_epoch_begin</c>, plus the epoch). A sequence whose batches change from epoch to epoch should derive
    /// them from (its seed, <paramref name="epoch"/>) and position itself here, so that training resumed at epoch k sees
    /// the batches of epoch k of an uninterrupted run (<see cref="NumpyArrayIterator"/> does).
    /// </summary>
    public virtual void OnEpochBegin(int epoch) { }
}
