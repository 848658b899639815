namespace ResNetKeras.IO.Hdf5;

/// <summary>
/// Dense link and attribute storage (spec III.G fractal heap, III.A.2 version-2 B-tree): the B-tree's name index
/// yields heap IDs, and each heap object is a link or attribute message body.
/// </summary>
internal sealed class H5DenseStorage
{
    private readonly H5Buffer b;
    private readonly List<(ulong Offset, ulong Size, ulong Address)> directBlocks = new();
    private readonly int offsetSize, lengthSize, idLength;
    private readonly ulong startBlockSize, maxDirectBlockSize;
    private readonly int width;
    private readonly bool checksummedDirect;
    private readonly HashSet<ulong> visited = new();

    public H5DenseStorage(H5Buffer buffer, ulong heap)
    {
        b = buffer;
        if (!b.Signature(heap, "FRHP")) throw b.Error($"fractal heap at {heap} lacks its FRHP signature.");
        idLength = b.U16(heap + 5);
        int filterLength = b.U16(heap + 7);
        if (filterLength != 0) throw b.Error("filtered fractal heaps are not supported.");
        checksummedDirect = (b.U8(heap + 9) & 2) != 0;
        width = b.U16(heap + 110);
        startBlockSize = b.U64(heap + 112);
        maxDirectBlockSize = b.U64(heap + 120);
        int maxHeapBits = b.U16(heap + 128);
        ulong root = b.U64(heap + 132);
        int rows = b.U16(heap + 140);
        if (width == 0 || startBlockSize == 0 || maxHeapBits is 0 or > 64 || maxDirectBlockSize < startBlockSize)
            throw b.Error($"fractal heap at {heap} has an invalid doubling table.");
        offsetSize = (maxHeapBits + 7) / 8;
        lengthSize = Math.Max(1, Math.Min(8, idLength - 1 - offsetSize));
        if (root == H5Buffer.Undefined) return;
        if (rows == 0) directBlocks.Add((0, startBlockSize, root));
        else ReadIndirect(root, rows, 0);
    }

    private ulong RowSize(int row) => row <= 1 ? startBlockSize : startBlockSize << (row - 1);

    private int MaxDirectRows => (int)(Math.Log2(maxDirectBlockSize) - Math.Log2(startBlockSize)) + 2;

    private void ReadIndirect(ulong address, int rows, ulong blockOffset)
    {
        if (!visited.Add(address) || visited.Count > 100_000) throw b.Error($"fractal heap indirect block at {address} is visited twice.");
        if (!b.Signature(address, "FHIB")) throw b.Error($"fractal heap indirect block at {address} lacks its FHIB signature.");
        if (rows > 64) throw b.Error("fractal heap indirect block has too many rows.");
        ulong p = address + 5 + 8 + (ulong)offsetSize;
        ulong offset = blockOffset;
        for (int r = 0; r < rows; r++)
        {
            ulong size = RowSize(r);
            for (int c = 0; c < width; c++, p += 8, offset += size)
            {
                ulong child = b.U64(p);
                if (child == H5Buffer.Undefined) continue;
                if (r < MaxDirectRows) directBlocks.Add((offset, size, child));
                else ReadIndirect(child, (int)(Math.Log2(size) - Math.Log2(startBlockSize)) + 1, offset);
            }
        }
    }

    /// <summary>The bytes of the heap object a heap ID names.</summary>
    public ReadOnlySpan<byte> Object(ReadOnlySpan<byte> id)
    {
        if (id.Length < 1) throw b.Error("empty fractal heap ID.");
        int type = (id[0] >> 4) & 3;
        if (type == 2)
        {
            int len = (id[0] & 0x0f) + 1;
            if (len > id.Length - 1) throw b.Error("tiny heap object overruns its ID.");
            return id.Slice(1, len).ToArray();
        }
        if (type != 0) throw b.Error("huge fractal heap objects are not supported.");
        ulong off = 0, length = 0;
        for (int i = 0; i < offsetSize; i++) off |= (ulong)id[1 + i] << (8 * i);
        for (int i = 0; i < lengthSize && 1 + offsetSize + i < id.Length; i++) length |= (ulong)id[1 + offsetSize + i] << (8 * i);
        foreach (var (start, size, address) in directBlocks)
            if (off >= start && off < start + size)
            {
                if (!b.Signature(address, "FHDB")) throw b.Error($"fractal heap direct block at {address} lacks its FHDB signature.");
                ulong header = 5 + 8 + (ulong)offsetSize + (checksummedDirect ? 4UL : 0UL);
                ulong within = off - start;
                if (within < header || within + length > size) throw b.Error($"heap object at offset {off} overruns its direct block.");
                return b.Span(address + within, length);
            }
        throw b.Error($"heap object offset {off} is in no direct block.");
    }

    /// <summary>The records of a version-2 B-tree (all of them, in any order).</summary>
    public static List<byte[]> BTreeRecords(H5Buffer b, ulong header)
    {
        if (!b.Signature(header, "BTHD")) throw b.Error($"v2 B-tree header at {header} lacks its BTHD signature.");
        uint nodeSize = b.U32(header + 6);
        int recordSize = b.U16(header + 10);
        int depth = b.U16(header + 12);
        ulong root = b.U64(header + 16);
        int rootRecords = b.U16(header + 24);
        if (recordSize == 0 || nodeSize < 16 || depth > 16) throw b.Error($"v2 B-tree at {header} has invalid parameters.");
        // Per-depth sizes of the child-pointer fields, as libhdf5 derives them from the node size.
        var maxRec = new long[depth + 1];
        var cumMax = new long[depth + 1];
        var nrecSize = new int[depth + 1];
        var cumSize = new int[depth + 1];
        static int Enc(long n) => (int)(Math.Log2(Math.Max(1, n)) / 8) + 1;
        maxRec[0] = (nodeSize - 10) / recordSize;
        cumMax[0] = maxRec[0];
        nrecSize[0] = Enc(maxRec[0]);
        cumSize[0] = 0;
        for (int d = 1; d <= depth; d++)
        {
            int ptr = 8 + nrecSize[d - 1] + cumSize[d - 1];
            maxRec[d] = (nodeSize - 10 - ptr) / (recordSize + ptr);
            cumMax[d] = (maxRec[d] + 1) * cumMax[d - 1] + maxRec[d];
            nrecSize[d] = Enc(maxRec[d]);
            cumSize[d] = Enc(cumMax[d]);
        }
        var records = new List<byte[]>();
        var seen = new HashSet<ulong>();
        void Node(ulong address, int d, int count)
        {
            if (!seen.Add(address) || records.Count > 10_000_000) throw b.Error($"v2 B-tree node at {address} is visited twice.");
            if (count < 0 || count > maxRec[d]) throw b.Error($"v2 B-tree node at {address} claims {count} records.");
            bool leaf = d == 0;
            if (!b.Signature(address, leaf ? "BTLF" : "BTIN")) throw b.Error($"v2 B-tree node at {address} has the wrong signature.");
            ulong p = address + 6;
            for (int i = 0; i < count; i++) records.Add(b.Span(p + (ulong)(i * recordSize), (ulong)recordSize).ToArray());
            if (leaf) return;
            p += (ulong)(count * recordSize);
            for (int i = 0; i <= count; i++)
            {
                ulong child = b.U64(p);
                int n = (int)b.UVar(p + 8, nrecSize[d - 1] is 1 or 2 or 4 or 8 ? nrecSize[d - 1] : 8);
                p += (ulong)(8 + nrecSize[d - 1] + cumSize[d - 1]);
                Node(child, d - 1, n);
            }
        }
        if (root != H5Buffer.Undefined && rootRecords > 0) Node(root, depth, rootRecords);
        return records;
    }
}
