using System.Runtime.InteropServices;

namespace ResNetKeras.Devices.Sim;

/// <summary>
/// Storage of the simulated device: unmanaged memory that no managed code above the device can reach. It is freed
/// when the storage is collected; queued work holds a reference, so it outlives every kernel that uses it.
/// </summary>
public sealed unsafe class SimStorage : DeviceStorage
{
    internal SimStorage(SimDevice device, int length) : base(device, length)
    {
        Pointer = (float*)NativeMemory.Alloc((nuint)Math.Max(1, length), sizeof(float));
        // Fresh device memory is garbage on a GPU too: NaN makes a kernel that reads what nobody wrote visible.
        new Span<float>(Pointer, length).Fill(float.NaN);
        GC.AddMemoryPressure(Math.Max(1L, length) * sizeof(float));
    }

    internal float* Pointer { get; }

    internal Span<float> Span => new(Pointer, Length);

    /// <summary>Frees the unmanaged memory.</summary>
    ~SimStorage()
    {
        NativeMemory.Free(Pointer);
        GC.RemoveMemoryPressure(Math.Max(1L, Length) * sizeof(float));
    }
}
