namespace ResNetKeras.Devices.Cpu;

/// <summary>Storage of the CPU device: a managed array, handed to the kernels as it is.</summary>
public sealed class CpuStorage : DeviceStorage
{
    internal CpuStorage(CpuDevice device, float[] array) : base(device, array.Length) => Array = array;

    /// <summary>The elements (the host memory that is the CPU device's memory).</summary>
    internal float[] Array { get; }
}
