using ResNetKeras.Kernels;
using ResNetKeras.Kernels.Cpu;

namespace ResNetKeras.Devices.Cpu;

/// <summary>
/// The default device: tensors live in managed arrays and <see cref="CpuKernels"/> (SIMD, multi-threaded, results
/// independent of the thread count) computes on them directly, synchronously, with no copy at the seam.
/// </summary>
public sealed class CpuDevice : HostKernelDevice
{
    /// <summary>The process's CPU device.</summary>
    public static CpuDevice Instance { get; } = new();

    private CpuDevice() : base(new CpuKernels()) { }

    /// <inheritdoc/>
    public override string Name => "cpu";

    /// <inheritdoc/>
    public override DeviceStorage Allocate(int length) => new CpuStorage(this, GC.AllocateUninitializedArray<float>(length));

    /// <summary>Wraps <paramref name="array"/> as CPU storage without copying (the CPU's zero-copy path for host data).</summary>
    public DeviceStorage Wrap(float[] array)
    {
        ArgumentNullException.ThrowIfNull(array);
        return new CpuStorage(this, array);
    }

    /// <summary>
    /// The array behind <paramref name="storage"/>. Storage of another device is not host memory: asking for its
    /// elements here is the error a host read outside the synchronization points is.
    /// </summary>
    public static float[] HostArray(DeviceStorage storage) => storage is CpuStorage cpu
        ? cpu.Array
        : throw new InvalidOperationException($"Storage of device '{storage.Device.Name}' is not host memory: read it with Tensor.ToNDArray(), Item() or IDevice.CopyToHost.");

    /// <inheritdoc/>
    public override void CopyFromHost(ReadOnlySpan<float> source, DeviceStorage destination, int destinationOffset = 0) =>
        source.CopyTo(HostArray(destination).AsSpan(destinationOffset));

    /// <inheritdoc/>
    public override void CopyToHost(DeviceStorage source, int sourceOffset, Span<float> destination) =>
        HostArray(source).AsSpan(sourceOffset, destination.Length).CopyTo(destination);

    /// <inheritdoc/>
    public override void Synchronize() { }

    /// <inheritdoc/>
    protected override void Launch(Action kernel) => kernel();

    /// <inheritdoc/>
    protected override float[] Read(DeviceStorage storage) => HostArray(storage);

    /// <inheritdoc/>
    protected override float[] Write(DeviceStorage storage) => HostArray(storage);

    /// <inheritdoc/>
    protected override float[] Update(DeviceStorage storage) => HostArray(storage);
}
