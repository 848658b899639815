namespace ResNetKeras.IO.Hdf5;

/// <summary>
/// Data layout message 0x0008 (spec IV.A.2.i), versions 3 and 4: compact (data inside the message), contiguous
/// (one block in the file) or chunked (an index of equally shaped chunks: a v1 B-tree in version 3; in version 4
/// single chunk, implicit, fixed array, extensible array or v2 B-tree).
/// </summary>
internal sealed partial class DataLayoutMessage
{
    public const int Compact = 0;
    public const int Contiguous = 1;
    public const int Chunked = 2;

    public const int SingleChunkIndex = 1;
    public const int ImplicitIndex = 2;
    public const int FixedArrayIndex = 3;
    public const int ExtensibleArrayIndex = 4;
    public const int BTreeV2Index = 5;

    public int Version { get; init; }

    public int LayoutClass { get; init; }

    /// <summary>Compact: physical range of the raw data.</summary>
    public ulong CompactStart { get; init; }

    public ulong CompactSize { get; init; }

    /// <summary>Contiguous: address and size of the data; chunked: address of the index.</summary>
    public ulong Address { get; init; } = H5FileImage.Undefined;

    public ulong ContiguousSize { get; init; }

    /// <summary>Chunked: chunk dimensions in elements (the dataset rank; the element-size dimension is dropped).</summary>
    public ulong[] ChunkDimensions { get; init; } = [];

    /// <summary>Chunked: the element size stored as the last chunk dimension.</summary>
    public ulong ChunkElementSize { get; init; }

    /// <summary>Chunked version 4: the index type (1-5); version 3 chunked datasets use the v1 B-tree (0 here).</summary>
    public int IndexType { get; init; }

    /// <summary>Version 4 flag bit 0: partial edge chunks are stored without the filters.</summary>
    public bool PartialEdgeChunksUnfiltered { get; init; }

    /// <summary>Single chunk index with filters: the stored chunk size and filter mask.</summary>
    public ulong SingleChunkFilteredSize { get; init; }

    public uint SingleChunkFilterMask { get; init; }

    public bool SingleChunkFiltered { get; init; }

    public string Description => LayoutClass switch
    {
        Compact => "compact",
        Contiguous => "contiguous",
        _ => "chunked/" + IndexType switch
        {
            0 => "v1-btree",
            SingleChunkIndex => "single-chunk",
            ImplicitIndex => "implicit",
            FixedArrayIndex => "fixed-array",
            ExtensibleArrayIndex => "extensible-array",
            _ => "v2-btree",
        },
    };
}
