namespace ResNetKeras.IO.Hdf5;

/// <summary>One object header (spec IV.A, versions 1 and 2) as its list of messages, continuation blocks followed.</summary>
internal sealed class H5ObjectHeader
{
    public readonly record struct Message(int Type, ulong Offset, ulong Size);

    public List<Message> Messages { get; } = new();

    public static H5ObjectHeader Read(H5Buffer b, ulong address)
    {
        var h = new H5ObjectHeader();
        var pending = new Queue<(ulong Offset, ulong Length, bool V2)>();
        var visited = new HashSet<ulong>();
        if (b.Signature(address, "OHDR"))
        {
            byte version = b.U8(address + 4);
            if (version != 2) throw b.Error($"object header version {version} at {address} is not supported.");
            byte flags = b.U8(address + 5);
            ulong p = address + 6;
            if ((flags & 0x20) != 0) p += 16;
            if ((flags & 0x10) != 0) p += 4;
            int sizeBytes = 1 << (flags & 3);
            ulong chunk = b.UVar(p, sizeBytes);
            p += (ulong)sizeBytes;
            h.ReadV2Messages(b, p, chunk, flags, pending);
            while (pending.Count > 0)
            {
                var (off, len, _) = pending.Dequeue();
                if (!visited.Add(off)) throw b.Error($"object header continuation at {off} forms a cycle.");
                if (!b.Signature(off, "OCHK")) throw b.Error($"object header continuation block at {off} lacks its OCHK signature.");
                if (len < 8) throw b.Error($"object header continuation block at {off} is too short.");
                h.ReadV2Messages(b, off + 4, len - 8, flags, pending);
            }
            return h;
        }
        byte v1 = b.U8(address);
        if (v1 != 1) throw b.Error($"object header at {address} has unsupported version {v1} (expected 1, or an OHDR signature).");
        int count = b.U16(address + 2);
        ulong size = b.U32(address + 8);
        pending.Enqueue((address + 16, size, false));
        int seen = 0;
        while (pending.Count > 0)
        {
            var (off, len, _) = pending.Dequeue();
            if (!visited.Add(off)) throw b.Error($"object header continuation at {off} forms a cycle.");
            b.Span(off, len);
            ulong p = off, end = off + len;
            while (p + 8 <= end && seen < count)
            {
                int type = b.U16(p);
                ulong msize = b.U16(p + 2);
                if (p + 8 + msize > end) throw b.Error($"object header message at {p} overruns its block.");
                h.Add(b, type, p + 8, msize, pending);
                p += 8 + msize;
                seen++;
            }
        }
        return h;
    }

    private void ReadV2Messages(H5Buffer b, ulong p, ulong len, byte flags, Queue<(ulong, ulong, bool)> pending)
    {
        b.Span(p, len);
        ulong end = p + len;
        int headerSize = (flags & 0x04) != 0 ? 6 : 4;
        while (p + (ulong)headerSize <= end)
        {
            int type = b.U8(p);
            ulong msize = b.U16(p + 1);
            ulong data = p + (ulong)headerSize;
            if (data + msize > end) throw b.Error($"object header message at {p} overruns its chunk.");
            Add(b, type, data, msize, pending);
            p = data + msize;
        }
    }

    private void Add(H5Buffer b, int type, ulong offset, ulong size, Queue<(ulong, ulong, bool)> pending)
    {
        if (type == 0x10)
        {
            pending.Enqueue((b.U64(offset), b.U64(offset + 8), false));
            return;
        }
        Messages.Add(new Message(type, offset, size));
    }

    public Message? First(int type)
    {
        foreach (var m in Messages) if (m.Type == type) return m;
        return null;
    }
}
