namespace ResNetKeras.IO.Hdf5;

/// <summary>Local heap (spec III.D), signature "HEAP": the link names of a symbol-table group, NUL-terminated, 8-byte aligned.</summary>
internal sealed partial class LocalHeap
{
    public const int HeaderSize = 32;

    /// <summary>Physical offset of the data segment.</summary>
    public ulong DataStart { get; init; }

    public ulong DataSize { get; init; }

    public H5FileImage? File { get; init; }
}
