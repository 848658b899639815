namespace ResNetKeras.IO.Hdf5;

internal sealed partial class ObjectHeader
{
    private const int MaxMessages = 1 << 20;

    public static ObjectHeader Read(H5FileImage f, ulong address)
    {
        var probe = f.At(address, "object header");
        bool v2 = probe.Remaining >= 4 && f.Span(probe.Position, 4).SequenceEqual("OHDR"u8);
        var header = new ObjectHeader { Version = v2 ? 2 : 1 };
        var pending = new Queue<(ulong Address, ulong Length)>();
        var visited = new HashSet<ulong> { address };
        if (v2) header.ReadVersion2(f, address, pending);
        else header.ReadVersion1(f, address, pending);
        while (pending.Count > 0)
        {
            var (chunk, length) = pending.Dequeue();
            if (!visited.Add(chunk)) throw f.Error($"object header at address {address}: continuation chunk at {chunk} is reached twice (a cycle).");
            if (header.Messages.Count > MaxMessages) throw f.Error($"object header at address {address} has more than {MaxMessages} messages.");
            var c = f.At(chunk, length, "object header continuation chunk");
            if (v2)
            {
                ulong start = c.Position;
                c.Signature("OCHK");
                if (c.Remaining < 4) throw c.Error("continuation chunk is too short for its checksum.");
                var body = c.Sub(c.Remaining - 4, "object header continuation chunk");
                Lookup3.Verify(c, start);
                header.ReadMessages2(f, body, 0, pending);
            }
            else header.ReadMessages1(f, c, pending);
        }
        return header;
    }

    private void ReadVersion1(H5FileImage f, ulong address, Queue<(ulong, ulong)> pending)
    {
        var c = f.At(address, 16, "object header");
        c.Version(1);
        c.Skip(1);
        c.U16(); // message count: continuation chunks are followed instead
        c.U32(); // reference count
        uint size = c.U32();
        var body = f.At(address + 16, size, "object header");
        ReadMessages1(f, body, pending);
    }

    private void ReadMessages1(H5FileImage f, H5Cursor c, Queue<(ulong, ulong)> pending)
    {
        while (c.Remaining >= 8)
        {
            ushort type = c.U16();
            ushort size = c.U16();
            byte flags = c.U8();
            c.Skip(3);
            var body = c.Sub(size, "object header message");
            Add(f, type, flags, body, pending);
        }
    }

    private void ReadVersion2(H5FileImage f, ulong address, Queue<(ulong, ulong)> pending)
    {
        var c = f.At(address, "object header");
        ulong start = c.Position;
        c.Signature("OHDR");
        c.Version(2);
        byte flags = c.U8();
        if ((flags & 0x20) != 0) c.Skip(16); // access, modification, change and birth times
        if ((flags & 0x10) != 0) c.Skip(4); // attribute storage phase change values
        AttributeCreationOrderTracked = (flags & 0x04) != 0;
        ulong size = c.UInt(1 << (flags & 3));
        var body = c.Sub(size, "object header");
        Lookup3.Verify(c, start);
        ReadMessages2(f, body, flags, pending);
    }

    private void ReadMessages2(H5FileImage f, H5Cursor c, byte headerFlags, Queue<(ulong, ulong)> pending)
    {
        bool creationOrder = (headerFlags & 0x04) != 0;
        ulong headerSize = creationOrder ? 6UL : 4UL;
        while (c.Remaining >= headerSize)
        {
            byte type = c.U8();
            ushort size = c.U16();
            byte flags = c.U8();
            long order = creationOrder ? c.U16() : -1;
            var body = c.Sub(size, "object header message");
            Add(f, type, flags, body, pending, order);
        }
    }

    private void Add(H5FileImage f, ushort type, byte flags, H5Cursor body, Queue<(ulong, ulong)> pending, long order = -1)
    {
        if (type == HeaderMessage.Continuation)
        {
            ulong chunk = body.Address();
            ulong length = body.Length();
            pending.Enqueue((chunk, length));
            return;
        }
        if (type != HeaderMessage.Nil) Messages.Add(new HeaderMessage(type, flags, body.Start, body.End - body.Start, order));
    }
}
