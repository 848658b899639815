namespace ResNetKeras.Kernels.Cpu;

/// <summary>
/// The one place the CPU kernels fan out work. Work is split into items whose results never depend on
/// which thread ran them, so outputs are identical for any <see cref="MaxDegreeOfParallelism"/>.
/// </summary>
public static class CpuParallel
{
    private static int maxDegree = Environment.ProcessorCount;

    /// <summary>Threads the kernels may use (default: the processor count). 1 runs everything inline.</summary>
    public static int MaxDegreeOfParallelism
    {
        get => maxDegree;
        set
        {
            if (value < 1)
                throw new ArgumentException($"Invalid value for argument `MaxDegreeOfParallelism`. Expected a value >= 1. Received MaxDegreeOfParallelism={value}.", nameof(value));
            maxDegree = value;
        }
    }

    /// <summary>Runs body(i) for i in [0, count), in parallel when it pays.</summary>
    public static void For(int count, Action<int> body)
    {
        if (count <= 0) return;
        if (count == 1 || maxDegree == 1)
        {
            for (int i = 0; i < count; i++) body(i);
            return;
        }
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = maxDegree }, body);
    }

    /// <summary>Splits [0, total) into fixed chunks of <paramref name="chunk"/> items (independent of the thread count).</summary>
    public static int ChunkCount(int total, int chunk) => (total + chunk - 1) / chunk;
}
