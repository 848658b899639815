namespace ResNetKeras.Kernels;

/// <summary>Selects the kernels ops run on (the CPU kernels unless replaced).</summary>
public static class Backend
{
    private static IKernels current = new Cpu.CpuKernels();

    /// <summary>The active kernels.</summary>
    public static IKernels Current
    {
        get => current;
        set => current = value ?? throw new ArgumentNullException(nameof(value));
    }
}
