using System.Text;
using ResNetKeras.Engine;

namespace ResNetKeras.IO.Hdf5;

/// <summary>
/// Writes HDF5 files that h5py and libhdf5 read, in the layout h5py uses by default: superblock 0, version-1
/// object headers, symbol-table groups (v1 B-tree, symbol table nodes, local heap), contiguous datasets, numeric
/// and string attributes (variable-length strings in global heap collections). The file is built in memory, then
/// written to a temporary file and renamed into place (h5py's <c>h5py.File(path, "w")</c> and its writes).
/// </summary>
public sealed class H5Writer
{
    private const int LeafK = 4;
    private const int InternalK = 16;
    private const int MaxHeapObjects = 4096;
    private const int MaxHeapBytes = 1 << 20;

    private readonly Dictionary<string, (ulong Collection, int Index)> heapStrings = new(StringComparer.Ordinal);

    /// <summary>The root group "/".</summary>
    public H5WriterGroup Root { get; } = new();

    /// <summary>Writes the file atomically (temporary name, then rename).</summary>
    public void Save(string path) => AtomicFile.WriteAllBytes(path, ToBytes());

    /// <summary>The whole file as bytes.</summary>
    public byte[] ToBytes()
    {
        heapStrings.Clear();
        var w = new H5ByteWriter();
        w.Zeros(Superblock.Version0Size);
        WriteGlobalHeaps(w);
        var root = WriteGroup(w, Root);
        var superblock = new Superblock
        {
            Version = 0, EndOfFileAddress = (ulong)w.Length, GroupLeafNodeK = LeafK, GroupInternalNodeK = InternalK,
            RootEntry = new SymbolTableEntry { ObjectHeaderAddress = root.Header, CacheType = 1, BTreeAddress = root.BTree, LocalHeapAddress = root.Heap },
        };
        var sb = new H5ByteWriter();
        superblock.WriteVersion0(sb);
        var bytes = w.ToArray();
        sb.Written.CopyTo(bytes);
        return bytes;
    }

    /// <summary>Every variable-length string of the file goes into shared global heap collections written first, as libhdf5 shares them.</summary>
    private void WriteGlobalHeaps(H5ByteWriter w)
    {
        var strings = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Collect(H5WriterObject o)
        {
            foreach (var (_, value) in o.Attributes)
            {
                if (value is string s && seen.Add(s)) strings.Add(s);
                if (value is H5WriterObject.VariableLengthStrings v)
                    foreach (var x in v.Values) if (seen.Add(x)) strings.Add(x);
            }
            if (o is H5WriterGroup g) foreach (var c in g.Children.Values) Collect(c);
        }
        Collect(Root);
        var batch = new List<byte[]>();
        var names = new List<string>();
        long bytes = 0;
        void Flush()
        {
            if (batch.Count == 0) return;
            ulong at = GlobalHeapCollection.Write(w, batch);
            for (int i = 0; i < names.Count; i++) heapStrings[names[i]] = (at, i + 1);
            batch.Clear();
            names.Clear();
            bytes = 0;
        }
        foreach (var s in strings)
        {
            var encoded = Encoding.UTF8.GetBytes(s);
            if (batch.Count > 0 && (batch.Count >= MaxHeapObjects || bytes + encoded.Length > MaxHeapBytes)) Flush();
            batch.Add(encoded);
            names.Add(s);
            bytes += encoded.Length + 16;
        }
        Flush();
    }

    private (ulong Header, ulong BTree, ulong Heap) WriteGroup(H5ByteWriter w, H5WriterGroup g)
    {
        var names = g.Children.Keys.ToList();
        var entries = new List<SymbolTableEntry>();
        var (heap, offsets) = (0UL, Array.Empty<ulong>());
        var childEntries = new List<(ulong Header, uint Cache, ulong BTree, ulong Heap)>();
        foreach (var (name, child) in g.Children)
        {
            if (child is H5WriterGroup sub)
            {
                var (h, b, lh) = WriteGroup(w, sub);
                childEntries.Add((h, 1, b, lh));
            }
            else childEntries.Add((WriteDataset(w, (H5WriterDataset)child), 0, H5FileImage.Undefined, H5FileImage.Undefined));
        }
        (heap, offsets) = LocalHeap.Write(w, names);
        for (int i = 0; i < names.Count; i++)
        {
            var c = childEntries[i];
            entries.Add(new SymbolTableEntry { LinkNameOffset = offsets[i], ObjectHeaderAddress = c.Header, CacheType = c.Cache, BTreeAddress = c.BTree, LocalHeapAddress = c.Heap });
        }
        ulong btree = WriteGroupBTree(w, entries);
        var messages = new List<(ushort, byte[])> { (HeaderMessage.SymbolTable, new SymbolTableMessage(btree, heap).Write()) };
        messages.AddRange(Attributes(g));
        return (ObjectHeader.WriteVersion1(w, messages), btree, heap);
    }

    /// <summary>Symbol table nodes of up to 2K entries in name order, under as many B-tree levels as the count needs.</summary>
    private static ulong WriteGroupBTree(H5ByteWriter w, List<SymbolTableEntry> entries)
    {
        // Each item: address, name-offset key on its left, name-offset key on its right.
        var level = new List<(ulong Address, ulong Left, ulong Right)>();
        ulong left = 0;
        for (int start = 0; start < entries.Count; start += 2 * LeafK)
        {
            var chunk = entries.GetRange(start, Math.Min(2 * LeafK, entries.Count - start)).ToArray();
            ulong address = new SymbolTableNode { Entries = chunk }.Write(w, LeafK);
            level.Add((address, left, chunk[^1].LinkNameOffset));
            left = chunk[^1].LinkNameOffset;
        }
        int height = 0;
        do
        {
            var next = new List<(ulong, ulong, ulong)>();
            for (int start = 0; start < Math.Max(1, level.Count); start += 2 * InternalK)
            {
                var children = level.GetRange(start, Math.Min(2 * InternalK, level.Count - start));
                var keys = new List<ulong> { children.Count > 0 ? children[0].Left : 0 };
                keys.AddRange(children.Select(c => c.Right));
                ulong address = BTreeV1Node.WriteGroupNode(w, height, InternalK, children.Select(c => c.Address).ToList(), keys);
                next.Add((address, keys[0], keys[^1]));
            }
            level = next;
            height++;
        }
        while (level.Count > 1);
        return level[0].Address;
    }

    private ulong WriteDataset(H5ByteWriter w, H5WriterDataset d)
    {
        var raw = RawBytes(d.Data);
        ulong dataAddress = H5FileImage.Undefined;
        if (raw.Length > 0)
        {
            dataAddress = w.Align8();
            w.Bytes(raw);
        }
        var messages = new List<(ushort, byte[])>
        {
            (HeaderMessage.Dataspace, new DataspaceMessage { Dimensions = d.Data.IntShape.Select(x => (ulong)x).ToArray() }.Write()),
            (HeaderMessage.Datatype, DatatypeMessage.WriteNumeric(d.Data.DType)),
            (HeaderMessage.FillValue, FillValueMessage.WriteVersion2()),
            (HeaderMessage.DataLayout, DataLayoutMessage.WriteContiguous(dataAddress, (ulong)raw.Length)),
        };
        messages.AddRange(Attributes(d));
        return ObjectHeader.WriteVersion1(w, messages);
    }

    private IEnumerable<(ushort, byte[])> Attributes(H5WriterObject o) =>
        o.Attributes.Select(a => (HeaderMessage.Attribute, AttributeBody(a.Name, a.Value)));

    private byte[] AttributeBody(string name, object value)
    {
        switch (value)
        {
            case string s:
                return AttributeMessage.WriteVersion1(name, DatatypeMessage.WriteVariableLengthString(), Space([]), Reference(s));
            case H5WriterObject.VariableLengthStrings v:
            {
                var data = new byte[16 * v.Values.Length];
                for (int i = 0; i < v.Values.Length; i++) Reference(v.Values[i]).CopyTo(data, 16 * i);
                return AttributeMessage.WriteVersion1(name, DatatypeMessage.WriteVariableLengthString(), Space([v.Values.Length]), data);
            }
            case string[] list:
            {
                var encoded = list.Select(Encoding.UTF8.GetBytes).ToArray();
                int width = Math.Max(1, encoded.Max(e => e.Length));
                bool utf8 = encoded.Any(e => e.Any(b => b >= 0x80));
                var data = new byte[(long)width * list.Length];
                for (int i = 0; i < encoded.Length; i++) encoded[i].CopyTo(data, (long)i * width);
                return AttributeMessage.WriteVersion1(name, DatatypeMessage.WriteFixedString(width, utf8), Space([list.Length]), data);
            }
            case NDArray a:
                return AttributeMessage.WriteVersion1(name, DatatypeMessage.WriteNumeric(a.DType), Space(a.IntShape), RawBytes(a));
            default:
                throw new ArgumentException($"H5Writer: unsupported attribute value type {value.GetType().Name}.", nameof(value));
        }
    }

    private static byte[] Space(int[] shape) => new DataspaceMessage { Dimensions = shape.Select(x => (ulong)x).ToArray() }.Write();

    /// <summary>A variable-length reference: byte length, collection address, object index.</summary>
    private byte[] Reference(string s)
    {
        var (collection, index) = heapStrings[s];
        var w = new H5ByteWriter();
        w.U32((uint)Encoding.UTF8.GetByteCount(s));
        w.U64(collection);
        w.U32((uint)index);
        return w.ToArray();
    }

    private static byte[] RawBytes(NDArray a)
    {
        return a.ReadBytes().ToArray();
    }
}
