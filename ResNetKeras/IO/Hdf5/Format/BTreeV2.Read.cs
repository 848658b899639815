namespace ResNetKeras.IO.Hdf5;

internal sealed partial class BTreeV2
{
    public static BTreeV2 Read(H5FileImage f, ulong address)
    {
        var c = f.At(address, "v2 B-tree header");
        ulong start = c.Position;
        c.Signature("BTHD");
        c.Version(0);
        int type = c.U8();
        uint nodeSize = c.U32();
        int recordSize = c.U16();
        int depth = c.U16();
        c.Skip(2); // split and merge percents
        ulong root = c.Address();
        int rootRecords = c.U16();
        ulong total = c.Length();
        Lookup3.Verify(c, start);
        if (recordSize == 0 || nodeSize < 16 || nodeSize > f.Length || depth > 32 || recordSize > nodeSize)
            throw c.Error($"invalid parameters (node size {nodeSize}, record size {recordSize}, depth {depth}).");
        return new BTreeV2 { Type = type, NodeSize = nodeSize, RecordSize = recordSize, Depth = depth, Root = root, RootRecords = rootRecords, TotalRecords = total };
    }

    /// <summary>Physical offsets of all records, in key order (a depth-first walk).</summary>
    public List<ulong> Records(H5FileImage f)
    {
        // The sizes of the child-pointer fields depend on the most records a subtree can hold (libhdf5's H5B2__hdr_init).
        var maxRecords = new ulong[Depth + 1];
        var cumulative = new ulong[Depth + 1];
        var countSize = new int[Depth + 1];
        var totalSize = new int[Depth + 1];
        maxRecords[0] = (NodeSize - 10) / (ulong)RecordSize;
        cumulative[0] = maxRecords[0];
        countSize[0] = FractalHeap.EncodedSize(maxRecords[0]);
        for (int d = 1; d <= Depth; d++)
        {
            ulong pointer = 8 + (ulong)countSize[d - 1] + (ulong)totalSize[d - 1];
            if (NodeSize < 10 + pointer) throw f.Error($"v2 B-tree: node size {NodeSize} is too small for depth {Depth}.");
            maxRecords[d] = (NodeSize - 10 - pointer) / ((ulong)RecordSize + pointer);
            cumulative[d] = (maxRecords[d] + 1) * cumulative[d - 1] + maxRecords[d];
            countSize[d] = FractalHeap.EncodedSize(maxRecords[d]);
            totalSize[d] = FractalHeap.EncodedSize(cumulative[d]);
        }
        var records = new List<ulong>();
        var visited = new HashSet<ulong>();
        void Node(ulong address, int depth, ulong count)
        {
            if (!visited.Add(address)) throw f.Error($"v2 B-tree node at address {address} is reached twice (a cycle).");
            if (count > maxRecords[depth]) throw f.Error($"v2 B-tree node at address {address} claims {count} records; at most {maxRecords[depth]} fit.");
            var c = f.At(address, NodeSize, depth == 0 ? "v2 B-tree leaf node" : "v2 B-tree internal node");
            ulong start = c.Position;
            c.Signature(depth == 0 ? "BTLF" : "BTIN");
            c.Version(0);
            if (c.U8() != Type) throw c.Error("its record type differs from the tree's.");
            ulong first = c.Position;
            c.Skip(count * (ulong)RecordSize);
            if (depth == 0)
            {
                Lookup3.Verify(c, start);
                for (ulong i = 0; i < count; i++) records.Add(first + i * (ulong)RecordSize);
                return;
            }
            var children = new (ulong Address, ulong Count)[count + 1];
            for (ulong i = 0; i <= count; i++)
            {
                children[i].Address = c.Address();
                children[i].Count = c.UInt(countSize[depth - 1]);
                if (depth > 1) c.UInt(totalSize[depth - 1]);
            }
            Lookup3.Verify(c, start);
            for (ulong i = 0; i <= count; i++)
            {
                Node(children[i].Address, depth - 1, children[i].Count);
                if (i < count) records.Add(first + i * (ulong)RecordSize);
            }
        }
        if (Root != H5FileImage.Undefined && RootRecords > 0) Node(Root, Depth, (ulong)RootRecords);
        return records;
    }
}
