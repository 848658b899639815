using ResNetKeras.Devices;
using ResNetKeras.Devices.Cpu;

namespace ResNetKeras.Engine;

/// <summary>
/// A concrete float32 tensor: a shape over a <see cref="DeviceStorage"/> owned by its device (TensorFlow's eager
/// <c>tf.Tensor</c>). Contiguous, row-major, NHWC for images. Its elements are reached only through the named host
/// access points <see cref="Item"/>, <see cref="ToNDArray"/> and <see cref="ToArray"/>, which wait for the device.
/// </summary>
public sealed class Tensor
{
    private readonly int[] shape;

    /// <summary>A tensor on the current device holding <paramref name="data"/> (shared, not copied, on the CPU).</summary>
    public Tensor(float[] data, params int[] shape) : this(FromHost(data, shape, DeviceRegistry.Current), shape) { }

    /// <summary>A tensor over <paramref name="storage"/> (not copied).</summary>
    public Tensor(DeviceStorage storage, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(shape);
        int size = ShapeUtil.Size(shape);
        if (storage.Length != size)
            throw new ArgumentException($"Tensor: storage has {storage.Length} elements but shape {ShapeUtil.Format(shape)} needs {size}.", nameof(shape));
        Storage = storage;
        this.shape = (int[])shape.Clone();
    }

    private static DeviceStorage FromHost(float[] data, int[] shape, IDevice device)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        int size = ShapeUtil.Size(shape);
        if (data.Length != size)
            throw new ArgumentException($"Tensor: data has {data.Length} elements but shape {ShapeUtil.Format(shape)} needs {size}.", nameof(shape));
        if (device is CpuDevice cpu) return cpu.Wrap(data);
        var s = device.Allocate(data.Length);
        device.CopyFromHost(data, s);
        return s;
    }

    /// <summary>A zero-filled tensor on the current device.</summary>
    public static Tensor Zeros(params int[] shape) => Full(shape, 0f);

    /// <summary>A zero-filled tensor on <paramref name="device"/>.</summary>
    public static Tensor Zeros(IDevice device, params int[] shape) => Full(device, shape, 0f);

    /// <summary>An op output buffer on <paramref name="device"/>: pooled inside a <see cref="TensorScope"/>; contents undefined unless zeroed.</summary>
    internal static Tensor Rent(IDevice device, int[] shape, bool zeroed) =>
        new(TensorScope.Allocate(device, ShapeUtil.Size(shape), zeroed), shape);

    /// <summary>A tensor filled with <paramref name="value"/> on the current device.</summary>
    public static Tensor Full(int[] shape, float value) => Full(DeviceRegistry.Current, shape, value);

    /// <summary>A tensor filled with <paramref name="value"/> on <paramref name="device"/>.</summary>
    public static Tensor Full(IDevice device, int[] shape, float value)
    {
        ArgumentNullException.ThrowIfNull(device);
        var s = device.Allocate(ShapeUtil.Size(shape));
        device.Fill(s, value);
        return new Tensor(s, shape);
    }

    /// <summary>A 0-d tensor on the current device.</summary>
    public static Tensor Scalar(float value) => new([value]);

    /// <summary>A float32 tensor on the current device from an array of any dtype (float32 storage is shared on the CPU, others are converted).</summary>
    public static Tensor FromNDArray(NDArray array) => FromNDArray(array, DeviceRegistry.Current);

    /// <summary>
    /// A float32 tensor on <paramref name="device"/> from a NumSharp array: one copy from its unmanaged memory into the
    /// device's storage (other dtypes are converted during that copy, not before it). Inside a <see cref="TensorScope"/>
    /// the storage comes from the device's pool and goes back when the scope ends, like an op's output: a training
    /// step's batch reuses the previous step's buffer instead of allocating one.
    /// </summary>
    public static Tensor FromNDArray(NDArray array, IDevice device)
    {
        ArgumentNullException.ThrowIfNull(array);
        ArgumentNullException.ThrowIfNull(device);
        var shape = array.IntShape;
        var s = TensorScope.Allocate(device, array.Count, zeroed: false);
        if (device is CpuDevice)
            array.CopyToFloat32(CpuDevice.HostArray(s));
        else if (array.typecode == NumSharp.NPTypeCode.Single)
            device.CopyFromHost(array.ReadSpan<float>(), s);
        else
        {
            var host = new float[array.Count];
            array.CopyToFloat32(host);
            device.CopyFromHost(host, s);
        }
        return new Tensor(s, shape);
    }

    /// <summary>The device-owned elements.</summary>
    public DeviceStorage Storage { get; }

    /// <summary>The device that holds this tensor and runs the ops on it.</summary>
    public IDevice Device => Storage.Device;

    /// <summary>Dimensions (a copy).</summary>
    public int[] Shape => (int[])shape.Clone();

    /// <summary>Dimensions without copying.</summary>
    public ReadOnlySpan<int> ShapeSpan => shape;

    /// <summary>Number of dimensions.</summary>
    public int Rank => shape.Length;

    /// <summary>Number of elements.</summary>
    public int Size => Storage.Length;

    /// <summary>Length of one axis (negative counts from the end).</summary>
    public int Dim(int axis) => shape[ShapeUtil.NormalizeAxis(axis, shape.Length)];

    /// <summary>The single value of a one-element tensor (waits for the device).</summary>
    public float Item()
    {
        if (Size != 1) throw new InvalidOperationException($"Tensor.Item: expected a one-element tensor; this one has shape {ShapeUtil.Format(shape)}.");
        Span<float> v = stackalloc float[1];
        Device.CopyToHost(Storage, 0, v);
        return v[0];
    }

    /// <summary>The elements as a new NumSharp array: one copy from the device (waits for it).</summary>
    public NDArray ToNDArray()
    {
        var a = np.empty(new NumSharp.Shape(shape), np.float32);
        Device.CopyToHost(Storage, 0, a.WriteSpan<float>());
        return a;
    }

    /// <summary>A host copy of the elements (waits for the device).</summary>
    public float[] ToArray()
    {
        var a = new float[Size];
        Device.CopyToHost(Storage, 0, a);
        return a;
    }

    /// <summary>A deep copy on the same device (not recorded on any tape).</summary>
    public Tensor Copy()
    {
        var s = Device.Allocate(Size);
        Device.Copy(Storage, s);
        return new Tensor(s, shape);
    }

    /// <summary>This tensor's values on <paramref name="device"/> (itself when already there).</summary>
    public Tensor To(IDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (ReferenceEquals(device, Device)) return this;
        var host = ToArray();
        var s = device.Allocate(host.Length);
        device.CopyFromHost(host, s);
        return new Tensor(s, shape);
    }

    /// <inheritdoc/>
    public override string ToString() => $"Tensor(shape={ShapeUtil.Format(shape)}, device={Device.Name})";
}
