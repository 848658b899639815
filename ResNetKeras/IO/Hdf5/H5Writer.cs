using System.Buffers.Binary;
using System.Text;
using ResNetKeras.Engine;

namespace ResNetKeras.IO.Hdf5;

/// <summary>
/// Writes HDF5 files that h5py and libhdf5 read, in the classic layout h5py uses by default: superblock 0,
/// version-1 object headers, symbol-table groups (v1 B-tree, SNOD, local heap), contiguous datasets,
/// fixed-length string arrays and variable-length string scalars (global heap). Built in memory, then written to a
/// temporary file and renamed into place.
/// </summary>
public sealed class H5Writer
{
    private const int LeafK = 4;
    private const ulong Undefined = ulong.MaxValue;
    private readonly List<byte> buf = new();
    private int internalK = 16;

    /// <summary>The root group "/".</summary>
    public H5WriterGroup Root { get; } = new();

    /// <summary>Writes the file atomically (temporary name, then rename).</summary>
    public void Save(string path) => Npy.WriteAtomically(path, s => s.Write(ToBytes()));

    /// <summary>The whole file as bytes.</summary>
    public byte[] ToBytes()
    {
        buf.Clear();
        internalK = Math.Max(16, (MaxSymbolNodes(Root) + 1) / 2);
        buf.AddRange(new byte[96]);
        var (header, btree, heap) = WriteGroup(Root);
        // Superblock version 0 (spec II.A).
        var sb = new byte[96];
        byte[] sig = [0x89, (byte)'H', (byte)'D', (byte)'F', 0x0d, 0x0a, 0x1a, 0x0a];
        sig.CopyTo(sb, 0);
        sb[8] = 0; sb[9] = 0; sb[10] = 0; sb[11] = 0; sb[12] = 0;
        sb[13] = 8; sb[14] = 8; sb[15] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(sb.AsSpan(16), LeafK);
        BinaryPrimitives.WriteUInt16LittleEndian(sb.AsSpan(18), (ushort)internalK);
        BinaryPrimitives.WriteUInt32LittleEndian(sb.AsSpan(20), 0);
        BinaryPrimitives.WriteUInt64LittleEndian(sb.AsSpan(24), 0);
        BinaryPrimitives.WriteUInt64LittleEndian(sb.AsSpan(32), Undefined);
        BinaryPrimitives.WriteUInt64LittleEndian(sb.AsSpan(40), (ulong)buf.Count);
        BinaryPrimitives.WriteUInt64LittleEndian(sb.AsSpan(48), Undefined);
        // Root symbol table entry: name offset 0, header, cache type 1 with the B-tree and heap addresses.
        BinaryPrimitives.WriteUInt64LittleEndian(sb.AsSpan(56), 0);
        BinaryPrimitives.WriteUInt64LittleEndian(sb.AsSpan(64), header);
        BinaryPrimitives.WriteUInt32LittleEndian(sb.AsSpan(72), 1);
        BinaryPrimitives.WriteUInt64LittleEndian(sb.AsSpan(80), btree);
        BinaryPrimitives.WriteUInt64LittleEndian(sb.AsSpan(88), heap);
        var bytes = buf.ToArray();
        sb.CopyTo(bytes, 0);
        return bytes;
    }

    private static int MaxSymbolNodes(H5WriterGroup g)
    {
        int n = (g.Children.Count + 2 * LeafK - 1) / (2 * LeafK);
        foreach (var c in g.Children.Values)
            if (c is H5WriterGroup sub) n = Math.Max(n, MaxSymbolNodes(sub));
        return n;
    }

    private ulong Align()
    {
        while (buf.Count % 8 != 0) buf.Add(0);
        return (ulong)buf.Count;
    }

    private ulong Append(ReadOnlySpan<byte> data)
    {
        ulong at = Align();
        buf.AddRange(data.ToArray());
        return at;
    }

    private (ulong Header, ulong BTree, ulong Heap) WriteGroup(H5WriterGroup g)
    {
        var entries = new List<(string Name, ulong Address)>();
        foreach (var (name, child) in g.Children)
            entries.Add((name, child is H5WriterGroup sub ? WriteGroup(sub).Header : WriteDataset((NDArray)child)));
        var attributes = g.Attributes.Select(a => AttributeMessage(a.Name, a.Value)).ToList();

        // Local heap (spec III.D): "" at offset 0, then each name NUL-terminated and padded to 8.
        var heapData = new List<byte>(new byte[8]);
        var offsets = new List<ulong>();
        foreach (var (name, _) in entries)
        {
            offsets.Add((ulong)heapData.Count);
            heapData.AddRange(Encoding.UTF8.GetBytes(name));
            heapData.Add(0);
            while (heapData.Count % 8 != 0) heapData.Add(0);
        }
        ulong heapDataAddr = Append(heapData.ToArray());
        var heap = new byte[32];
        "HEAP"u8.CopyTo(heap);
        BinaryPrimitives.WriteUInt64LittleEndian(heap.AsSpan(8), (ulong)heapData.Count);
        // No free block: libhdf5 encodes that as H5HL_FREE_NULL = 1, not the undefined address the spec mentions.
        BinaryPrimitives.WriteUInt64LittleEndian(heap.AsSpan(16), 1);
        BinaryPrimitives.WriteUInt64LittleEndian(heap.AsSpan(24), heapDataAddr);
        ulong heapAddr = Append(heap);

        // Symbol table nodes (spec III.C), 2K entries each, names in order.
        var nodes = new List<(ulong Address, ulong LastNameOffset)>();
        for (int start = 0; start < entries.Count; start += 2 * LeafK)
        {
            int count = Math.Min(2 * LeafK, entries.Count - start);
            var node = new byte[8 + 2 * LeafK * 40];
            "SNOD"u8.CopyTo(node);
            node[4] = 1;
            BinaryPrimitives.WriteUInt16LittleEndian(node.AsSpan(6), (ushort)count);
            for (int i = 0; i < count; i++)
            {
                var e = node.AsSpan(8 + i * 40);
                BinaryPrimitives.WriteUInt64LittleEndian(e, offsets[start + i]);
                BinaryPrimitives.WriteUInt64LittleEndian(e[8..], entries[start + i].Address);
            }
            nodes.Add((Append(node), offsets[start + count - 1]));
        }

        // One v1 B-tree group node (spec III.A.1) pointing at the symbol nodes.
        var tree = new byte[24 + (2 * internalK + 1) * 8 + 2 * internalK * 8];
        "TREE"u8.CopyTo(tree);
        tree[4] = 0;
        tree[5] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(tree.AsSpan(6), (ushort)nodes.Count);
        BinaryPrimitives.WriteUInt64LittleEndian(tree.AsSpan(8), Undefined);
        BinaryPrimitives.WriteUInt64LittleEndian(tree.AsSpan(16), Undefined);
        int p = 24;
        BinaryPrimitives.WriteUInt64LittleEndian(tree.AsSpan(p), 0);
        p += 8;
        foreach (var (addr, last) in nodes)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(tree.AsSpan(p), addr);
            BinaryPrimitives.WriteUInt64LittleEndian(tree.AsSpan(p + 8), last);
            p += 16;
        }
        ulong treeAddr = Append(tree);

        var symbolTable = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(symbolTable, treeAddr);
        BinaryPrimitives.WriteUInt64LittleEndian(symbolTable.AsSpan(8), heapAddr);
        var messages = new List<(int Type, byte[] Data)> { (0x11, symbolTable) };
        messages.AddRange(attributes.Select(a => (0x0C, a)));
        return (WriteObjectHeader(messages), treeAddr, heapAddr);
    }

    private ulong WriteDataset(NDArray data)
    {
        var raw = RawBytes(data);
        ulong dataAddr = raw.Length == 0 ? Undefined : Append(raw);
        var layout = new byte[18];
        layout[0] = 3;
        layout[1] = 1;
        BinaryPrimitives.WriteUInt64LittleEndian(layout.AsSpan(2), dataAddr);
        BinaryPrimitives.WriteUInt64LittleEndian(layout.AsSpan(10), (ulong)raw.Length);
        var messages = new List<(int, byte[])>
        {
            (0x01, Dataspace(data.Shape)),
            (0x03, NumericType(data.DType)),
            (0x05, [2, 2, 2, 0]),
            (0x08, layout),
        };
        return WriteObjectHeader(messages);
    }

    /// <summary>Version-1 object header (spec IV.A.1.a): messages padded to 8 bytes.</summary>
    private ulong WriteObjectHeader(List<(int Type, byte[] Data)> messages)
    {
        int body = messages.Sum(m => 8 + Pad8(m.Data.Length));
        if (messages.Any(m => Pad8(m.Data.Length) > ushort.MaxValue))
            throw new ArgumentException("H5Writer: an attribute or message exceeds 65535 bytes; split it (Keras splits long name lists into name0, name1, ...).");
        var h = new byte[16 + body];
        h[0] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(2), (ushort)messages.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(4), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(h.AsSpan(8), (uint)body);
        int p = 16;
        foreach (var (type, data) in messages)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(p), (ushort)type);
            BinaryPrimitives.WriteUInt16LittleEndian(h.AsSpan(p + 2), (ushort)Pad8(data.Length));
            data.CopyTo(h, p + 8);
            p += 8 + Pad8(data.Length);
        }
        return Append(h);
    }

    private static int Pad8(int n) => (n + 7) & ~7;

    private static byte[] Dataspace(int[] shape)
    {
        var d = new byte[8 + 8 * shape.Length];
        d[0] = 1;
        d[1] = (byte)shape.Length;
        for (int i = 0; i < shape.Length; i++) BinaryPrimitives.WriteUInt64LittleEndian(d.AsSpan(8 + 8 * i), (ulong)shape[i]);
        return d;
    }

    private static byte[] NumericType(DType dtype)
    {
        switch (dtype)
        {
            case DType.Float32:
            case DType.Float64:
            {
                bool f32 = dtype == DType.Float32;
                var t = new byte[20];
                t[0] = 0x11;
                t[1] = 0x20;
                t[2] = (byte)(f32 ? 31 : 63);
                BinaryPrimitives.WriteUInt32LittleEndian(t.AsSpan(4), f32 ? 4u : 8u);
                BinaryPrimitives.WriteUInt16LittleEndian(t.AsSpan(8), 0);
                BinaryPrimitives.WriteUInt16LittleEndian(t.AsSpan(10), (ushort)(f32 ? 32 : 64));
                t[12] = (byte)(f32 ? 23 : 52);
                t[13] = (byte)(f32 ? 8 : 11);
                t[14] = 0;
                t[15] = (byte)(f32 ? 23 : 52);
                BinaryPrimitives.WriteUInt32LittleEndian(t.AsSpan(16), f32 ? 127u : 1023u);
                return t;
            }
            default:
            {
                int size = DTypes.SizeOf(dtype);
                var t = new byte[12];
                t[0] = 0x10;
                t[1] = (byte)(dtype == DType.UInt8 ? 0 : 0x08);
                BinaryPrimitives.WriteUInt32LittleEndian(t.AsSpan(4), (uint)size);
                BinaryPrimitives.WriteUInt16LittleEndian(t.AsSpan(8), 0);
                BinaryPrimitives.WriteUInt16LittleEndian(t.AsSpan(10), (ushort)(size * 8));
                return t;
            }
        }
    }

    private static byte[] RawBytes(NDArray a)
    {
        var raw = new byte[(long)a.Size * DTypes.SizeOf(a.DType)];
        Array src = a.DType switch
        {
            DType.Float32 => a.Data<float>(),
            DType.Float64 => a.Data<double>(),
            DType.UInt8 => a.Data<byte>(),
            DType.Int32 => a.Data<int>(),
            _ => a.Data<long>(),
        };
        Buffer.BlockCopy(src, 0, raw, 0, raw.Length);
        return raw;
    }

    /// <summary>Attribute message version 1 (spec IV.A.2.m): name, datatype and dataspace each padded to 8, then the data.</summary>
    private byte[] AttributeMessage(string name, object value)
    {
        byte[] type, space, data;
        switch (value)
        {
            case string s:
            {
                type = VlenStringType();
                space = Dataspace([]);
                var text = Encoding.UTF8.GetBytes(s);
                ulong collection = WriteGlobalHeap(text);
                data = new byte[16];
                BinaryPrimitives.WriteUInt32LittleEndian(data, (uint)text.Length);
                BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(4), collection);
                BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(12), 1);
                break;
            }
            case string[] list:
            {
                var encoded = list.Select(Encoding.UTF8.GetBytes).ToArray();
                int width = Math.Max(1, encoded.Max(e => e.Length));
                type = new byte[8];
                type[0] = 0x13;
                type[1] = 0x01;
                BinaryPrimitives.WriteUInt32LittleEndian(type.AsSpan(4), (uint)width);
                space = Dataspace([list.Length]);
                data = new byte[width * list.Length];
                for (int i = 0; i < encoded.Length; i++) encoded[i].CopyTo(data, i * width);
                break;
            }
            case NDArray a:
                type = NumericType(a.DType);
                space = Dataspace(a.Shape);
                data = RawBytes(a);
                break;
            default:
                throw new ArgumentException($"H5Writer: unsupported attribute value type {value.GetType().Name}.", nameof(value));
        }
        var nameBytes = Encoding.UTF8.GetBytes(name + "\0");
        var m = new byte[8 + Pad8(nameBytes.Length) + Pad8(type.Length) + Pad8(space.Length) + data.Length];
        m[0] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(m.AsSpan(2), (ushort)nameBytes.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(m.AsSpan(4), (ushort)type.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(m.AsSpan(6), (ushort)space.Length);
        int p = 8;
        nameBytes.CopyTo(m, p); p += Pad8(nameBytes.Length);
        type.CopyTo(m, p); p += Pad8(type.Length);
        space.CopyTo(m, p); p += Pad8(space.Length);
        data.CopyTo(m, p);
        return m;
    }

    /// <summary>Variable-length UTF-8 string whose base type is an unsigned byte, as libhdf5 encodes H5T_C_S1 with H5T_VARIABLE.</summary>
    private static byte[] VlenStringType()
    {
        var t = new byte[20];
        t[0] = 0x19;
        t[1] = 0x01;
        t[2] = 0x01;
        BinaryPrimitives.WriteUInt32LittleEndian(t.AsSpan(4), 16);
        t[8] = 0x10;
        BinaryPrimitives.WriteUInt32LittleEndian(t.AsSpan(12), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(t.AsSpan(16), 0);
        BinaryPrimitives.WriteUInt16LittleEndian(t.AsSpan(18), 8);
        return t;
    }

    /// <summary>A global heap collection (spec III.E) holding one object (index 1), at least 4096 bytes as libhdf5 requires.</summary>
    private ulong WriteGlobalHeap(byte[] obj)
    {
        int used = 16 + 16 + Pad8(obj.Length);
        int size = Math.Max(4096, Pad8(used + 16));
        var g = new byte[size];
        "GCOL"u8.CopyTo(g);
        g[4] = 1;
        BinaryPrimitives.WriteUInt64LittleEndian(g.AsSpan(8), (ulong)size);
        BinaryPrimitives.WriteUInt16LittleEndian(g.AsSpan(16), 1);
        BinaryPrimitives.WriteUInt16LittleEndian(g.AsSpan(18), 1);
        BinaryPrimitives.WriteUInt64LittleEndian(g.AsSpan(24), (ulong)obj.Length);
        obj.CopyTo(g, 32);
        BinaryPrimitives.WriteUInt64LittleEndian(g.AsSpan(used + 8), (ulong)(size - used));
        return Append(g);
    }
}
