namespace ResNetKeras.IO.Hdf5;

internal sealed partial class DataLayoutMessage
{
    public static DataLayoutMessage Read(H5Cursor c)
    {
        byte version = c.U8();
        if (version is not (3 or 4)) throw c.Error($"data layout version {version} is not supported (expected 3 or 4; versions 1 and 2 predate HDF5 1.6).");
        int cls = c.U8();
        switch (cls)
        {
            case Compact:
            {
                ulong size = c.U16();
                var data = c.Sub(size, "compact dataset data");
                return new DataLayoutMessage { Version = version, LayoutClass = cls, CompactStart = data.Start, CompactSize = size };
            }
            case Contiguous:
                return new DataLayoutMessage { Version = version, LayoutClass = cls, Address = c.Address(), ContiguousSize = c.Length() };
            case Chunked:
                return version == 3 ? ReadChunked3(c) : ReadChunked4(c);
            default:
                throw c.Error($"data layout class {cls} is not supported (virtual datasets are not).");
        }
    }

    private static DataLayoutMessage ReadChunked3(H5Cursor c)
    {
        int dims = c.U8();
        ulong address = c.Address();
        var all = ReadDims(c, dims, 4);
        return new DataLayoutMessage { Version = 3, LayoutClass = Chunked, Address = address, ChunkDimensions = all[..^1], ChunkElementSize = all[^1] };
    }

    private static DataLayoutMessage ReadChunked4(H5Cursor c)
    {
        byte flags = c.U8();
        int dims = c.U8();
        int encoded = c.U8();
        if (encoded is < 1 or > 8) throw c.Error($"chunk dimension size {encoded} is not valid.");
        var all = ReadDims(c, dims, encoded);
        int index = c.U8();
        ulong filteredSize = 0;
        uint mask = 0;
        bool singleFiltered = false;
        switch (index)
        {
            case SingleChunkIndex:
                if ((flags & 2) != 0)
                {
                    singleFiltered = true;
                    filteredSize = c.Length();
                    mask = c.U32();
                }
                break;
            case ImplicitIndex:
                break;
            case FixedArrayIndex:
                c.Skip(1); // page bits (also in the fixed array header)
                break;
            case ExtensibleArrayIndex:
                c.Skip(5); // creation parameters (also in the extensible array header)
                break;
            case BTreeV2Index:
                c.Skip(6); // node size, split and merge percents (also in the B-tree header)
                break;
            default:
                throw c.Error($"chunk index type {index} is not valid.");
        }
        ulong address = c.Address();
        return new DataLayoutMessage
        {
            Version = 4, LayoutClass = Chunked, Address = address, ChunkDimensions = all[..^1], ChunkElementSize = all[^1], IndexType = index,
            PartialEdgeChunksUnfiltered = (flags & 1) != 0, SingleChunkFiltered = singleFiltered, SingleChunkFilteredSize = filteredSize, SingleChunkFilterMask = mask,
        };
    }

    private static ulong[] ReadDims(H5Cursor c, int dims, int size)
    {
        if (dims is < 1 or > DataspaceMessage.MaxRank + 1) throw c.Error($"chunk dimensionality {dims} is not valid.");
        var all = new ulong[dims];
        for (int i = 0; i < dims; i++)
        {
            all[i] = c.UInt(size);
            if (all[i] == 0 || all[i] > uint.MaxValue) throw c.Error($"chunk dimension {all[i]} is not valid.");
        }
        return all;
    }
}
