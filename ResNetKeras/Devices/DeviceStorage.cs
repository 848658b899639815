namespace ResNetKeras.Devices;

/// <summary>
/// A handle to <see cref="Length"/> float32 elements owned by one <see cref="IDevice"/> (PyTorch's <c>Storage</c>,
/// TensorFlow's device buffer). Tensors hold a storage plus a shape; reshapes share the same storage, so a buffer's
/// identity is the storage object on every device. Nothing above the device reads its elements: host access goes
/// through <see cref="IDevice.CopyToHost"/> and the named synchronization points built on it.
/// </summary>
public abstract class DeviceStorage
{
    /// <summary>Sets the owning device and the length.</summary>
    protected DeviceStorage(IDevice device, int length)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        Device = device;
        Length = length;
    }

    /// <summary>The device that owns the memory and runs every computation on it.</summary>
    public IDevice Device { get; }

    /// <summary>Number of float32 elements.</summary>
    public int Length { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{GetType().Name}({Device.Name}, {Length})";
}
