namespace ResNetKeras.IO.Hdf5;

/// <summary>
/// Assembles a chunked dataset: asks the layout's chunk index for the stored chunks, undoes their filters and
/// copies the part of each chunk inside the dataspace (edge chunks are stored whole) into the result; unwritten
/// chunks keep the fill value.
/// </summary>
internal static class ChunkedStorage
{
    public static void Read(H5FileImage f, DataLayoutMessage layout, FilterPipelineMessage? pipeline, DataspaceMessage space,
        int elementSize, byte[] result, string what)
    {
        var dims = space.Dimensions;
        int rank = dims.Length;
        if (layout.ChunkDimensions.Length != rank) throw f.Error($"{what}: chunks have {layout.ChunkDimensions.Length} dimensions but the dataspace has {rank}.");
        if (layout.ChunkElementSize != (ulong)elementSize) throw f.Error($"{what}: the chunk element size {layout.ChunkElementSize} differs from the datatype's {elementSize}.");
        var chunk = layout.ChunkDimensions;
        ulong chunkBytes = (ulong)elementSize;
        foreach (ulong d in chunk)
        {
            chunkBytes = d > ulong.MaxValue / chunkBytes ? ulong.MaxValue : chunkBytes * d;
        }
        if (chunkBytes > Hdf5Limits.MaxDecodedBytes(f)) throw f.Error($"{what}: chunks of {chunkBytes} bytes are larger than this file could hold.");
        if (layout.Address == H5FileImage.Undefined || result.Length == 0) return;

        // Chunk counts per dimension for the current extent and for the maximum extent (the linear indexes use the latter).
        var current = new ulong[rank];
        var maximum = new ulong[rank];
        int unlimited = -1;
        for (int d = 0; d < rank; d++)
        {
            current[d] = (dims[d] + chunk[d] - 1) / chunk[d];
            ulong max = space.MaxDimensions?[d] ?? dims[d];
            if (max == H5FileImage.Undefined) { unlimited = unlimited < 0 ? d : unlimited; maximum[d] = current[d]; }
            else maximum[d] = (Math.Max(max, dims[d]) + chunk[d] - 1) / chunk[d];
        }
        ulong currentChunks = Product(current), maxChunks = Product(maximum);
        bool filtered = pipeline is { Filters.Length: > 0 };
        var entries = new List<ChunkEntry>();
        switch (layout.IndexType)
        {
            case 0:
                BTreeV1Node.VisitChunks(f, layout.Address, rank + 1, (key, address) =>
                {
                    var scaled = new ulong[rank];
                    for (int d = 0; d < rank; d++)
                    {
                        if (key.Offsets[d] % chunk[d] != 0) throw f.Error($"{what}: chunk offset {key.Offsets[d]} is not a multiple of the chunk size {chunk[d]}.");
                        scaled[d] = key.Offsets[d] / chunk[d];
                    }
                    entries.Add(new ChunkEntry(address, key.Size, key.FilterMask, scaled));
                    if ((ulong)entries.Count > currentChunks + 1024) throw f.Error($"{what}: the chunk B-tree lists more chunks than the dataset has.");
                });
                break;
            case DataLayoutMessage.SingleChunkIndex:
                entries.Add(new ChunkEntry(layout.Address, layout.SingleChunkFiltered ? layout.SingleChunkFilteredSize : chunkBytes,
                    layout.SingleChunkFilterMask, new ulong[rank]));
                break;
            case DataLayoutMessage.ImplicitIndex:
                if (chunkBytes != 0 && maxChunks > f.Length / chunkBytes + 1) throw f.Error($"{what}: {maxChunks} implicit chunks do not fit in the file.");
                for (ulong i = 0; i < maxChunks; i++)
                    entries.Add(new ChunkEntry(layout.Address + i * chunkBytes, chunkBytes, 0, Unravel(i, maximum, -1)));
                break;
            case DataLayoutMessage.FixedArrayIndex:
                foreach (var (index, address, size, mask) in FixedArray.Read(f, layout.Address, maxChunks, filtered, chunkBytes))
                    entries.Add(new ChunkEntry(address, size, mask, Unravel(index, maximum, -1)));
                break;
            case DataLayoutMessage.ExtensibleArrayIndex:
                if (unlimited < 0) throw f.Error($"{what}: an extensible array index needs an unlimited dimension.");
                foreach (var (index, address, size, mask) in ExtensibleArray.Read(f, layout.Address, currentChunks, filtered, chunkBytes))
                    entries.Add(new ChunkEntry(address, size, mask, Unravel(index, maximum, unlimited)));
                break;
            case DataLayoutMessage.BTreeV2Index:
                ReadBTreeV2(f, layout.Address, rank, filtered, chunkBytes, currentChunks, entries, what);
                break;
        }

        var strides = new ulong[rank];
        ulong stride = (ulong)elementSize;
        for (int d = rank - 1; d >= 0; d--)
        {
            strides[d] = stride;
            stride *= dims[d];
        }
        foreach (var e in entries)
        {
            bool inside = true, partial = false;
            for (int d = 0; d < rank; d++)
            {
                if (e.Scaled[d] >= current[d]) inside = false;
                else if ((e.Scaled[d] + 1) * chunk[d] > dims[d]) partial = true;
            }
            if (!inside) continue; // left behind by a shrink
            if (e.Size > f.Length) throw f.Error($"{what}: a chunk of {e.Size} bytes is larger than the file.");
            var stored = f.At(e.Address, e.Size, $"{what} chunk").Bytes(e.Size).ToArray();
            byte[] raw = filtered && !(partial && layout.PartialEdgeChunksUnfiltered)
                ? ChunkFilters.Decode(f, stored, pipeline!, e.FilterMask, chunkBytes, elementSize, what)
                : stored;
            if ((ulong)raw.Length < chunkBytes) throw f.Error($"{what}: a chunk holds {raw.Length} bytes; {chunkBytes} expected.");
            Copy(raw, e.Scaled, chunk, dims, strides, elementSize, result);
        }
    }

    private static void ReadBTreeV2(H5FileImage f, ulong address, int rank, bool filtered, ulong chunkBytes, ulong currentChunks, List<ChunkEntry> entries, string what)
    {
        var tree = BTreeV2.Read(f, address);
        int expectedType = filtered ? BTreeV2.FilteredChunkRecord : BTreeV2.ChunkRecord;
        if (tree.Type != expectedType) throw f.Error($"{what}: chunk B-tree record type {tree.Type}; {expectedType} expected.");
        int sizeLength = filtered ? tree.RecordSize - 8 - 4 - 8 * rank : 0;
        if ((filtered && sizeLength is < 1 or > 8) || (!filtered && tree.RecordSize != 8 + 8 * rank))
            throw f.Error($"{what}: chunk record size {tree.RecordSize} does not fit a rank-{rank} dataset.");
        if (tree.TotalRecords > currentChunks + 1024) throw f.Error($"{what}: the chunk B-tree claims {tree.TotalRecords} chunks.");
        foreach (ulong record in tree.Records(f))
        {
            var c = f.Range(record, record + (ulong)tree.RecordSize, "chunk record");
            ulong chunk = c.Address();
            ulong size = chunkBytes;
            uint mask = 0;
            if (filtered)
            {
                size = c.UInt(sizeLength);
                mask = c.U32();
            }
            var scaled = new ulong[rank];
            for (int d = 0; d < rank; d++) scaled[d] = c.U64();
            if (chunk != H5FileImage.Undefined) entries.Add(new ChunkEntry(chunk, size, mask, scaled));
        }
    }

    /// <summary>
    /// Chunk coordinates of a linear index in row-major order over <paramref name="counts"/>; with an unlimited
    /// dimension, that dimension is taken as the slowest (libhdf5 "swizzles" it to the front).
    /// </summary>
    private static ulong[] Unravel(ulong index, ulong[] counts, int unlimited)
    {
        int rank = counts.Length;
        var order = Enumerable.Range(0, rank).ToList();
        if (unlimited > 0)
        {
            order.Remove(unlimited);
            order.Insert(0, unlimited);
        }
        var scaled = new ulong[rank];
        for (int k = rank - 1; k >= 1; k--)
        {
            int d = order[k];
            ulong n = Math.Max(1, counts[d]);
            scaled[d] = index % n;
            index /= n;
        }
        if (rank > 0) scaled[order[0]] = index;
        return scaled;
    }

    private static ulong Product(ulong[] v)
    {
        ulong p = 1;
        foreach (ulong x in v) p = x != 0 && p > ulong.MaxValue / x ? ulong.MaxValue : p * x;
        return p;
    }

    private static void Copy(byte[] raw, ulong[] scaled, ulong[] chunk, ulong[] dims, ulong[] strides, int elementSize, byte[] result)
    {
        int rank = dims.Length;
        if (rank == 0)
        {
            Array.Copy(raw, result, Math.Min(raw.Length, result.Length));
            return;
        }
        // Copy rows along the last dimension: each is contiguous in both the chunk and the result.
        ulong rowElements = Math.Min(chunk[rank - 1], dims[rank - 1] - scaled[rank - 1] * chunk[rank - 1]);
        int rowBytes = (int)(rowElements * (ulong)elementSize);
        var idx = new ulong[rank - 1];
        ulong rows = 1;
        for (int d = 0; d < rank - 1; d++) rows *= chunk[d];
        for (ulong r = 0; r < rows; r++)
        {
            bool inside = true;
            ulong dst = scaled[rank - 1] * chunk[rank - 1] * (ulong)elementSize;
            ulong src = 0;
            for (int d = 0; d < rank - 1; d++)
            {
                ulong g = scaled[d] * chunk[d] + idx[d];
                if (g >= dims[d]) { inside = false; break; }
                dst += g * strides[d];
            }
            if (inside)
            {
                ulong chunkRow = 0;
                for (int d = 0; d < rank - 1; d++) chunkRow = chunkRow * chunk[d] + idx[d];
                src = chunkRow * chunk[rank - 1] * (ulong)elementSize;
                Array.Copy(raw, (long)src, result, (long)dst, rowBytes);
            }
            for (int d = rank - 2; d >= 0; d--)
            {
                if (++idx[d] < chunk[d]) break;
                idx[d] = 0;
            }
        }
    }
}
