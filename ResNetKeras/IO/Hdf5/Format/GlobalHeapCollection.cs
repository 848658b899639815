namespace ResNetKeras.IO.Hdf5;

/// <summary>
/// Global heap collection (spec III.E), signature "GCOL": numbered objects holding variable-length data (the
/// characters of variable-length strings, referenced by collection address and object index).
/// </summary>
internal sealed partial class GlobalHeapCollection
{
    /// <summary>libhdf5 never makes a collection smaller than this.</summary>
    public const int MinimumSize = 4096;

    /// <summary>Object index → physical offset and size of its data.</summary>
    public Dictionary<int, (ulong Start, ulong Size)> Objects { get; } = new();
}
