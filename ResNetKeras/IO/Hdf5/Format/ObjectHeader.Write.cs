namespace ResNetKeras.IO.Hdf5;

internal sealed partial class ObjectHeader
{
    /// <summary>Writes a version-1 object header holding <paramref name="messages"/> (bodies padded to 8 bytes).</summary>
    public static ulong WriteVersion1(H5ByteWriter w, IReadOnlyList<(ushort Type, byte[] Body)> messages)
    {
        foreach (var (type, body) in messages)
            if (Pad8(body.Length) > ushort.MaxValue)
                throw new ArgumentException($"H5Writer: a header message of type 0x{type:x2} has {body.Length} bytes; an object header message holds at most 65535 (Keras splits long name lists into name0, name1, ...).");
        int size = messages.Sum(m => 8 + Pad8(m.Body.Length));
        // libhdf5 reads at least one message slot, so an empty header gets a NIL message.
        bool empty = messages.Count == 0;
        if (empty) size = 8;
        ulong at = w.Align8();
        w.U8(1);
        w.U8(0);
        w.U16(empty ? 1 : messages.Count);
        w.U32(1); // reference count
        w.U32((uint)size);
        w.U32(0); // pads the header prefix to 16 bytes
        if (empty) { w.U16(HeaderMessage.Nil); w.U16(0); w.U32(0); }
        foreach (var (type, body) in messages)
        {
            w.U16(type);
            w.U16(Pad8(body.Length));
            w.U8(0);
            w.Zeros(3);
            w.Bytes(body);
            w.Zeros(Pad8(body.Length) - body.Length);
        }
        return at;
    }

    internal static int Pad8(int n) => (n + 7) & ~7;
}
