using ResNetKeras.Devices;

namespace ResNetKeras.Engine;

/// <summary>
/// Buffer lifetimes of one forward pass through a graph: how many pending readers each storage has. When the last
/// reader has run and no recorded backward function reads it (<see cref="GradientTape"/>), the storage goes back to
/// its device's pool (<see cref="TensorScope.Release"/>), so a forward pass holds only what backpropagation needs
/// plus the operands of the op running now. Counted per storage, not per tensor: a reshape or a linear activation
/// returns its input's storage.
/// </summary>
internal sealed class BufferLiveness
{
    private const int Pinned = int.MaxValue / 2;

    private readonly Dictionary<DeviceStorage, int> readers = new(ReferenceEqualityComparer.Instance);

    /// <summary>Never hands <paramref name="tensor"/>'s storage back (the caller's input, the graph output).</summary>
    public void Pin(Tensor tensor) => readers[tensor.Storage] = Pinned;

    /// <summary>Registers an op output that <paramref name="uses"/> later ops will read.</summary>
    public void Produced(Tensor tensor, int uses) => readers[tensor.Storage] = readers.GetValueOrDefault(tensor.Storage) + uses;

    /// <summary>One reader of <paramref name="tensor"/> has run; releases the storage when it was the last.</summary>
    public void Consumed(Tensor tensor)
    {
        if (--readers[tensor.Storage] != 0) return;
        readers.Remove(tensor.Storage);
        if (!GradientTape.IsSaved(tensor.Storage)) TensorScope.Release(tensor.Storage);
    }
}
