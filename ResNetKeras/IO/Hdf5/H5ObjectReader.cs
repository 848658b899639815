using System.IO.Compression;
using System.Text;
using ResNetKeras.Engine;

namespace ResNetKeras.IO.Hdf5;

/// <summary>Decodes groups, datasets and attributes from object headers (spec IV.A.2), guarding against cycles and absurd sizes.</summary>
internal sealed class H5ObjectReader
{
    private readonly Dictionary<ulong, H5ObjectHeader> headers = new();
    private int depth;

    public H5ObjectReader(H5Buffer buffer) => Buffer = buffer;

    public H5Buffer Buffer { get; }

    public H5ObjectHeader Header(ulong address)
    {
        if (!headers.TryGetValue(address, out var h)) headers[address] = h = H5ObjectHeader.Read(Buffer, address);
        return h;
    }

    // ------------------------------------------------------------------ groups

    /// <summary>Children of a group, name → object header address, in name order.</summary>
    public SortedDictionary<string, ulong> Links(ulong address)
    {
        var b = Buffer;
        var h = Header(address);
        var result = new SortedDictionary<string, ulong>(StringComparer.Ordinal);
        if (h.First(0x11) is { } st)
        {
            ulong btree = b.U64(st.Offset), heap = b.U64(st.Offset + 8);
            ulong heapData = LocalHeapData(heap);
            if (++depth > 64) throw b.Error("group nesting is too deep (a cycle?).");
            try { ReadGroupBTree(btree, heapData, result, new HashSet<ulong>()); }
            finally { depth--; }
        }
        foreach (var m in h.Messages.Where(m => m.Type == 0x06))
        {
            var (name, target) = ReadLink(m.Offset);
            if (target is { } t) result[name] = t;
        }
        if (h.First(0x02) is { } li)
        {
            byte flags = b.U8(li.Offset + 1);
            ulong p = li.Offset + 2 + ((flags & 1) != 0 ? 8UL : 0UL);
            ulong fractalHeap = b.U64(p), nameIndex = b.U64(p + 8);
            if (fractalHeap != H5Buffer.Undefined && nameIndex != H5Buffer.Undefined)
            {
                // Dense storage: name-index records are a 4-byte hash followed by the heap ID of a link message.
                var heap = new H5DenseStorage(b, fractalHeap);
                foreach (var rec in H5DenseStorage.BTreeRecords(b, nameIndex))
                {
                    var obj = heap.Object(rec.AsSpan(4)).ToArray();
                    var (name, target) = new H5ObjectReader(new H5Buffer(obj, b.Source)).ReadLink(0);
                    if (target is { } t) result[name] = t;
                }
            }
        }
        return result;
    }

    private ulong LocalHeapData(ulong heap)
    {
        var b = Buffer;
        if (!b.Signature(heap, "HEAP")) throw b.Error($"local heap at {heap} lacks its HEAP signature.");
        ulong size = b.U64(heap + 8);
        ulong data = b.U64(heap + 24);
        b.Span(data, size);
        return data;
    }

    private void ReadGroupBTree(ulong node, ulong heapData, SortedDictionary<string, ulong> result, HashSet<ulong> visited)
    {
        var b = Buffer;
        if (!visited.Add(node)) throw b.Error($"group B-tree node at {node} is visited twice (a cycle).");
        if (!b.Signature(node, "TREE")) throw b.Error($"group B-tree node at {node} lacks its TREE signature.");
        if (b.U8(node + 4) != 0) throw b.Error($"B-tree node at {node} is not a group node.");
        int level = b.U8(node + 5);
        int used = b.U16(node + 6);
        ulong p = node + 24;
        for (int i = 0; i < used; i++)
        {
            ulong child = b.U64(p + 8 + (ulong)i * 16);
            if (level > 0) ReadGroupBTree(child, heapData, result, visited);
            else ReadSymbolNode(child, heapData, result);
        }
    }

    private void ReadSymbolNode(ulong node, ulong heapData, SortedDictionary<string, ulong> result)
    {
        var b = Buffer;
        if (!b.Signature(node, "SNOD")) throw b.Error($"symbol table node at {node} lacks its SNOD signature.");
        int count = b.U16(node + 6);
        for (int i = 0; i < count; i++)
        {
            ulong e = node + 8 + (ulong)i * 40;
            string name = b.CString(heapData + b.U64(e), 1 << 16);
            result[name] = b.U64(e + 8);
        }
    }

    private (string Name, ulong? Target) ReadLink(ulong offset)
    {
        var b = Buffer;
        ulong p = offset;
        if (b.U8(p) != 1) throw b.Error($"link message version {b.U8(p)} is not supported.");
        byte flags = b.U8(p + 1);
        p += 2;
        int type = 0;
        if ((flags & 0x08) != 0) type = b.U8(p++);
        if ((flags & 0x04) != 0) p += 8;
        if ((flags & 0x10) != 0) p += 1;
        int lenSize = 1 << (flags & 3);
        ulong nameLen = b.UVar(p, lenSize);
        p += (ulong)lenSize;
        string name = Encoding.UTF8.GetString(b.Span(p, nameLen));
        p += nameLen;
        return type == 0 ? (name, b.U64(p)) : (name, null);
    }

    // ------------------------------------------------------------------ dataspace, attributes

    public int[] Dataspace(ulong o, out bool isNull)
    {
        var b = Buffer;
        byte version = b.U8(o);
        int rank = b.U8(o + 1);
        isNull = false;
        ulong p;
        if (version == 1) p = o + 8;
        else if (version == 2)
        {
            isNull = b.U8(o + 3) == 2;
            p = o + 4;
        }
        else throw b.Error($"dataspace version {version} is not supported.");
        var dims = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            ulong d = b.U64(p + (ulong)i * 8);
            if (d > int.MaxValue) throw b.Error($"dimension {d} is too large.");
            dims[i] = (int)d;
        }
        long total = 1;
        foreach (int d in dims)
        {
            total *= d;
            if (total > b.Length * 8 + 1024) throw b.Error($"dataspace {ShapeUtil.Format(dims)} is larger than the file could hold.");
        }
        return dims;
    }

    public Dictionary<string, H5Attribute> Attributes(ulong address)
    {
        var b = Buffer;
        var result = new Dictionary<string, H5Attribute>(StringComparer.Ordinal);
        var h = Header(address);
        foreach (var m in h.Messages.Where(m => m.Type == 0x0C)) AddAttribute(result, m.Offset, m.Offset + m.Size);
        if (h.First(0x15) is { } ai)
        {
            byte flags = b.U8(ai.Offset + 1);
            ulong p = ai.Offset + 2 + ((flags & 1) != 0 ? 2UL : 0UL);
            ulong heapAddress = b.U64(p), nameIndex = b.U64(p + 8);
            if (heapAddress != H5Buffer.Undefined && nameIndex != H5Buffer.Undefined)
            {
                // Dense storage: records hold an 8-byte heap ID (then flags, creation order, hash); the object is an attribute message.
                var heap = new H5DenseStorage(b, heapAddress);
                var objects = H5DenseStorage.BTreeRecords(b, nameIndex).Select(rec => heap.Object(rec.AsSpan(0, 8)).ToArray()).ToList();
                // Attribute bodies are decoded from one buffer holding the file followed by the heap objects, so that
                // variable-length strings in them still resolve against the file's global heap.
                var combined = new byte[b.Length + objects.Sum(o => (long)o.Length)];
                Array.Copy(b.Data, combined, b.Length);
                long at = b.Length;
                var spans = new List<(ulong Start, ulong End)>();
                foreach (var o in objects)
                {
                    o.CopyTo(combined, at);
                    spans.Add(((ulong)at, (ulong)(at + o.Length)));
                    at += o.Length;
                }
                var reader = new H5ObjectReader(new H5Buffer(combined, b.Source));
                foreach (var (start, end) in spans) reader.AddAttribute(result, start, end);
            }
        }
        return result;
    }

    private void AddAttribute(Dictionary<string, H5Attribute> result, ulong offset, ulong end)
    {
        var b = Buffer;
        {
            ulong p = offset;
            byte version = b.U8(p);
            int nameSize = b.U16(p + 2), typeSize = b.U16(p + 4), spaceSize = b.U16(p + 6);
            ulong q = p + 8;
            if (version == 3) q += 1;
            else if (version != 1 && version != 2) throw b.Error($"attribute message version {version} is not supported.");
            static ulong Pad(ulong n, bool pad) => pad ? (n + 7) & ~7UL : n;
            bool v1 = version == 1;
            string name = b.CString(q, (ulong)nameSize);
            q += Pad((ulong)nameSize, v1);
            var type = H5Datatype.Read(b, q, out _);
            q += Pad((ulong)typeSize, v1);
            var shape = Dataspace(q, out bool isNull);
            q += Pad((ulong)spaceSize, v1);
            result[name] = new H5Attribute(this, name, type, isNull ? null : shape, q, end);
        }
    }

    /// <summary>Reads string elements (fixed-length or variable-length) starting at <paramref name="data"/>.</summary>
    public string[] ReadStrings(H5Datatype type, int count, ulong data, ulong end)
    {
        var b = Buffer;
        var result = new string[count];
        if (type.Class == H5Datatype.String)
        {
            if (data + (ulong)count * (ulong)type.Size > end) throw b.Error("string data overruns its message.");
            for (int i = 0; i < count; i++)
            {
                var s = b.Span(data + (ulong)(i * type.Size), (ulong)type.Size);
                int z = s.IndexOf((byte)0);
                var text = Encoding.UTF8.GetString(z < 0 ? s : s[..z]);
                result[i] = type.StringPad == 2 ? text.TrimEnd(' ') : text;
            }
            return result;
        }
        if (type.Class == H5Datatype.VariableLength && type.VariableString)
        {
            for (int i = 0; i < count; i++)
            {
                ulong e = data + (ulong)i * 16;
                if (e + 16 > end) throw b.Error("variable-length string references overrun their message.");
                uint len = b.U32(e);
                ulong collection = b.U64(e + 4);
                uint index = b.U32(e + 12);
                result[i] = Encoding.UTF8.GetString(GlobalHeapObject(collection, index, len));
            }
            return result;
        }
        throw b.Error($"datatype class {type.Class} is not a string type.");
    }

    private ReadOnlySpan<byte> GlobalHeapObject(ulong collection, uint index, uint length)
    {
        var b = Buffer;
        if (!b.Signature(collection, "GCOL")) throw b.Error($"global heap collection at {collection} lacks its GCOL signature.");
        ulong size = b.U64(collection + 8);
        ulong p = collection + 16, end = collection + size;
        b.Span(collection, size);
        while (p + 16 <= end)
        {
            int idx = b.U16(p);
            ulong osize = b.U64(p + 8);
            if (idx == 0) break;
            if (idx == index)
            {
                if (length > osize) throw b.Error("variable-length string is longer than its heap object.");
                return b.Span(p + 16, length);
            }
            p += 16 + ((osize + 7) & ~7UL);
        }
        throw b.Error($"global heap object {index} not found in collection at {collection}.");
    }

    // ------------------------------------------------------------------ datasets

    public (H5Datatype Type, int[] Shape) DatasetInfo(ulong address)
    {
        var b = Buffer;
        var h = Header(address);
        var dt = h.First(0x03) ?? throw b.Error($"object at {address} has no datatype message.");
        var ds = h.First(0x01) ?? throw b.Error($"object at {address} has no dataspace message.");
        return (H5Datatype.Read(b, dt.Offset, out _), Dataspace(ds.Offset, out _));
    }

    public byte[] DatasetBytes(ulong address, H5Datatype type, int[] shape)
    {
        var b = Buffer;
        var h = Header(address);
        var layout = h.First(0x08) ?? throw b.Error($"dataset at {address} has no layout message.");
        long total = (long)ShapeUtil.Size(shape) * type.Size;
        if (total > b.Length * 1100L + (1 << 20)) throw b.Error("dataset is larger than the file could hold.");
        ulong p = layout.Offset;
        byte version = b.U8(p);
        if (version is not (3 or 4)) throw b.Error($"data layout version {version} is not supported (expected 3 or 4).");
        byte cls = b.U8(p + 1);
        switch (cls)
        {
            case 0:
            {
                int size = b.U16(p + 2);
                if (size < total) throw b.Error("compact dataset holds fewer bytes than its shape needs.");
                return b.Span(p + 4, (ulong)total).ToArray();
            }
            case 1:
            {
                ulong addr = b.U64(p + 2);
                if (total == 0) return [];
                if (addr == H5Buffer.Undefined) return new byte[total];
                return b.Span(addr, (ulong)total).ToArray();
            }
            case 2:
                return version == 3 ? ReadChunked(h, p, type, shape, total) : ReadChunkedV4(h, p, type, shape, total);
            default:
                throw b.Error($"data layout class {cls} is not supported.");
        }
    }

    private byte[] ReadChunked(H5ObjectHeader h, ulong p, H5Datatype type, int[] shape, long total)
    {
        var b = Buffer;
        int dims = b.U8(p + 2);
        ulong btree = b.U64(p + 3);
        var chunk = new int[dims];
        for (int i = 0; i < dims; i++) chunk[i] = checked((int)b.U32(p + 11 + (ulong)i * 4));
        int rank = dims - 1;
        if (rank != shape.Length) throw b.Error("chunk rank does not match the dataspace.");
        var filters = new List<(int Id, uint[] Values)>();
        if (h.First(0x0B) is { } fp) filters = ReadFilters(fp);
        var result = new byte[total];
        if (btree == H5Buffer.Undefined) return result;
        long chunkBytes = (long)type.Size;
        for (int i = 0; i < rank; i++) chunkBytes *= chunk[i];
        ReadChunkNode(btree, rank, chunk, chunkBytes, shape, type.Size, filters, result, new HashSet<ulong>());
        return result;
    }

    /// <summary>Layout version 4 chunk indexes (libver='latest'): single chunk, implicit and fixed array.</summary>
    private byte[] ReadChunkedV4(H5ObjectHeader h, ulong p, H5Datatype type, int[] shape, long total)
    {
        var b = Buffer;
        byte flags = b.U8(p + 2);
        int dims = b.U8(p + 3);
        int enc = b.U8(p + 4);
        if (enc is < 1 or > 8 || dims != shape.Length + 1) throw b.Error("invalid chunk dimensions in layout message.");
        var chunk = new int[dims];
        ulong q = p + 5;
        for (int i = 0; i < dims; i++, q += (ulong)enc) chunk[i] = checked((int)b.UVar(q, enc is 1 or 2 or 4 or 8 ? enc : 8));
        int indexType = b.U8(q++);
        var filters = h.First(0x0B) is { } fp ? ReadFilters(fp) : new List<(int, uint[])>();
        int rank = shape.Length;
        long chunkBytes = type.Size;
        for (int i = 0; i < rank; i++) chunkBytes *= chunk[i];
        var result = new byte[total];
        var grid = new int[rank];
        int nChunks = 1;
        for (int i = 0; i < rank; i++)
        {
            grid[i] = chunk[i] == 0 ? 0 : (shape[i] + chunk[i] - 1) / chunk[i];
            nChunks *= grid[i];
        }
        long[] Origin(int linear)
        {
            var o = new long[rank];
            for (int d = rank - 1; d >= 0; d--)
            {
                o[d] = (long)(linear % grid[d]) * chunk[d];
                linear /= grid[d];
            }
            return o;
        }
        void Place(ulong address, ulong size, uint mask, int linear)
        {
            if (address == H5Buffer.Undefined) return;
            var raw = b.Span(address, size).ToArray();
            raw = Decode(raw, filters, mask, chunkBytes, type.Size);
            CopyChunk(raw, Origin(linear), chunk, shape, type.Size, result);
        }
        switch (indexType)
        {
            case 1:
            {
                ulong size = (ulong)chunkBytes;
                uint mask = 0;
                if ((flags & 2) != 0) { size = b.U64(q); mask = b.U32(q + 8); q += 12; }
                Place(b.U64(q), size, mask, 0);
                return result;
            }
            case 2:
            {
                ulong address = b.U64(q);
                for (int i = 0; i < nChunks; i++) Place(address == H5Buffer.Undefined ? address : address + (ulong)(i * chunkBytes), (ulong)chunkBytes, 0, i);
                return result;
            }
            case 3:
            {
                ulong header = b.U64(q + 1);
                if (header == H5Buffer.Undefined) return result;
                if (!b.Signature(header, "FAHD")) throw b.Error($"fixed array header at {header} lacks its FAHD signature.");
                int client = b.U8(header + 5), entrySize = b.U8(header + 6), pageBits = b.U8(header + 7);
                ulong entries = b.U64(header + 8), block = b.U64(header + 16);
                if (entries > (ulong)nChunks) throw b.Error("fixed array has more entries than the dataset has chunks.");
                if (pageBits < 64 && entries > (1UL << pageBits)) throw b.Error("paged fixed arrays are not supported.");
                if (!b.Signature(block, "FADB")) throw b.Error($"fixed array data block at {block} lacks its FADB signature.");
                ulong e = block + 14;
                for (int i = 0; i < (int)entries; i++, e += (ulong)entrySize)
                {
                    ulong address = b.U64(e);
                    if (client == 0) Place(address, (ulong)chunkBytes, 0, i);
                    else
                    {
                        int sizeLen = entrySize - 12;
                        Place(address, b.UVar(e + 8, sizeLen is 1 or 2 or 4 or 8 ? sizeLen : 8), b.U32(e + 8 + (ulong)sizeLen), i);
                    }
                }
                return result;
            }
            default:
                throw b.Error($"chunk index type {indexType} (extensible array or v2 B-tree, used for resizable datasets) is not supported.");
        }
    }

    private byte[] Decode(byte[] raw, List<(int Id, uint[] Values)> filters, uint mask, long chunkBytes, int elemSize)
    {
        for (int f = filters.Count - 1; f >= 0; f--)
        {
            if ((mask & (1u << f)) != 0) continue;
            raw = filters[f].Id switch
            {
                1 => Inflate(raw, chunkBytes),
                2 => Unshuffle(raw, elemSize),
                _ => raw.Length >= 4 ? raw[..^4] : throw Buffer.Error("fletcher32 chunk is too short."),
            };
        }
        if (raw.Length < chunkBytes) throw Buffer.Error($"a chunk decodes to {raw.Length} bytes; {chunkBytes} expected.");
        return raw;
    }

    private List<(int, uint[])> ReadFilters(H5ObjectHeader.Message m)
    {
        var b = Buffer;
        ulong p = m.Offset;
        byte version = b.U8(p);
        int n = b.U8(p + 1);
        p += version == 1 ? 8UL : 2UL;
        var list = new List<(int, uint[])>();
        for (int i = 0; i < n; i++)
        {
            int id = b.U16(p);
            int nameLen = 0;
            if (version == 1 || id >= 256) { nameLen = b.U16(p + 2); p += 2; }
            int count = b.U16(p + 4);
            p += 6;
            if (version == 1) nameLen = (nameLen + 7) & ~7;
            p += (ulong)nameLen;
            var values = new uint[count];
            for (int j = 0; j < count; j++) values[j] = b.U32(p + (ulong)j * 4);
            p += (ulong)count * 4;
            if (version == 1 && count % 2 == 1) p += 4;
            if (id is not (1 or 2 or 3)) throw b.Error($"HDF5 filter {id} is not supported (supported: deflate, shuffle, fletcher32).");
            list.Add((id, values));
        }
        return list;
    }

    private void ReadChunkNode(ulong node, int rank, int[] chunk, long chunkBytes, int[] shape, int elemSize,
        List<(int Id, uint[] Values)> filters, byte[] result, HashSet<ulong> visited)
    {
        var b = Buffer;
        if (!visited.Add(node)) throw b.Error($"chunk B-tree node at {node} is visited twice (a cycle).");
        if (!b.Signature(node, "TREE") || b.U8(node + 4) != 1) throw b.Error($"chunk B-tree node at {node} is invalid.");
        int level = b.U8(node + 5);
        int used = b.U16(node + 6);
        ulong keySize = 8 + (ulong)(rank + 1) * 8;
        ulong p = node + 24;
        for (int i = 0; i < used; i++)
        {
            ulong key = p + (ulong)i * (keySize + 8);
            uint size = b.U32(key);
            uint mask = b.U32(key + 4);
            var offset = new long[rank];
            for (int d = 0; d < rank; d++) offset[d] = (long)b.U64(key + 8 + (ulong)d * 8);
            ulong child = b.U64(key + keySize);
            if (level > 0)
            {
                ReadChunkNode(child, rank, chunk, chunkBytes, shape, elemSize, filters, result, visited);
                continue;
            }
            var raw = b.Span(child, size).ToArray();
            for (int f = filters.Count - 1; f >= 0; f--)
            {
                if ((mask & (1u << f)) != 0) continue;
                raw = filters[f].Id switch
                {
                    1 => Inflate(raw, chunkBytes),
                    2 => Unshuffle(raw, elemSize),
                    _ => raw.Length >= 4 ? raw[..^4] : throw b.Error("fletcher32 chunk is too short."),
                };
            }
            if (raw.Length < chunkBytes) throw b.Error($"chunk at {child} decodes to {raw.Length} bytes; {chunkBytes} expected.");
            CopyChunk(raw, offset, chunk, shape, elemSize, result);
        }
    }

    private byte[] Inflate(byte[] raw, long expected)
    {
        try
        {
            using var z = new ZLibStream(new MemoryStream(raw), CompressionMode.Decompress);
            var outp = new byte[expected];
            int read = 0;
            while (read < outp.Length)
            {
                int r = z.Read(outp, read, outp.Length - read);
                if (r <= 0) break;
                read += r;
            }
            return read == outp.Length ? outp : outp[..read];
        }
        catch (InvalidDataException e) { throw Buffer.Error($"deflate-compressed chunk is corrupted: {e.Message}"); }
    }

    private static byte[] Unshuffle(byte[] raw, int elemSize)
    {
        int n = raw.Length / elemSize;
        var outp = (byte[])raw.Clone();
        for (int j = 0; j < elemSize; j++)
            for (int i = 0; i < n; i++) outp[i * elemSize + j] = raw[j * n + i];
        return outp;
    }

    private static void CopyChunk(byte[] raw, long[] offset, int[] chunk, int[] shape, int elemSize, byte[] result)
    {
        int rank = shape.Length;
        if (rank == 0)
        {
            Array.Copy(raw, 0, result, 0, Math.Min(raw.Length, result.Length));
            return;
        }
        var idx = new int[rank];
        int chunkElems = 1;
        for (int d = 0; d < rank; d++) chunkElems *= chunk[d];
        var strides = ShapeUtil.Strides(shape);
        for (int e = 0; e < chunkElems; e++)
        {
            long dst = 0;
            bool inside = true;
            for (int d = 0; d < rank; d++)
            {
                long g = offset[d] + idx[d];
                if (g >= shape[d]) { inside = false; break; }
                dst += g * strides[d];
            }
            if (inside) Array.Copy(raw, (long)e * elemSize, result, dst * elemSize, elemSize);
            for (int d = rank - 1; d >= 0; d--)
            {
                if (++idx[d] < chunk[d]) break;
                idx[d] = 0;
            }
        }
    }
}
