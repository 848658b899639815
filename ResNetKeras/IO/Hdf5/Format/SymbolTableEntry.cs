namespace ResNetKeras.IO.Hdf5;

/// <summary>
/// Symbol table entry (spec III.C): a link name's offset in the group's local heap, the object header address and
/// a scratch-pad that, for a group (cache type 1), repeats its B-tree and local heap addresses. 40 bytes with 8-byte offsets.
/// </summary>
internal sealed partial class SymbolTableEntry
{
    public const int Size = 40;

    public ulong LinkNameOffset { get; init; }

    public ulong ObjectHeaderAddress { get; init; }

    public uint CacheType { get; init; }

    public ulong BTreeAddress { get; init; } = H5FileImage.Undefined;

    public ulong LocalHeapAddress { get; init; } = H5FileImage.Undefined;
}
