namespace ResNetKeras.IO.Hdf5;

/// <summary>
/// Fractal heap (spec III.G): header "FRHP", a doubling table of direct blocks "FHDB" and indirect blocks "FHIB".
/// Dense link and attribute storage keep their link and attribute messages in it, addressed by heap IDs.
/// Managed and tiny objects are supported; huge objects and filtered heaps are refused.
/// </summary>
internal sealed partial class FractalHeap
{
    private readonly H5FileImage file;
    private readonly List<(ulong Offset, ulong Size, ulong Address)> directBlocks = new();
    private readonly HashSet<ulong> verifiedBlocks = new();

    private FractalHeap(H5FileImage file) => this.file = file;

    public ulong Address { get; private init; }

    public int HeapIdLength { get; private init; }

    public int TableWidth { get; private init; }

    public ulong StartingBlockSize { get; private init; }

    public ulong MaxDirectBlockSize { get; private init; }

    public int MaxHeapSizeBits { get; private init; }

    public bool DirectBlocksChecksummed { get; private init; }

    /// <summary>Bytes of the heap offset inside a managed heap ID (and of each block's offset field).</summary>
    public int OffsetSize => (MaxHeapSizeBits + 7) / 8;

    /// <summary>Bytes of the object length inside a managed heap ID.</summary>
    public int LengthSize { get; private init; }

    /// <summary>Rows of the doubling table whose blocks are direct blocks.</summary>
    public int MaxDirectRows => Log2(MaxDirectBlockSize) - Log2(StartingBlockSize) + 2;

    public ulong RowBlockSize(int row) => row <= 1 ? StartingBlockSize : StartingBlockSize << (row - 1);

    internal static int Log2(ulong v) => 63 - System.Numerics.BitOperations.LeadingZeroCount(v | 1);

    /// <summary>Bytes needed to encode values up to <paramref name="max"/> (libhdf5's H5VM_limit_enc_size).</summary>
    internal static int EncodedSize(ulong max) => Log2(max) / 8 + 1;
}
