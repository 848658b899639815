using System.Buffers.Binary;

namespace ResNetKeras.IO.Hdf5;

/// <summary>
/// Decodes string elements: fixed-length (NUL-terminated, NUL-padded or space-padded) and variable-length (16-byte
/// references: length, global heap collection address, object index). Bytes are decoded as UTF-8 whatever the
/// declared character set, as Keras's readers do.
/// </summary>
internal static class StringDecoder
{
    public static string[] Decode(H5Context ctx, DatatypeMessage type, ReadOnlySpan<byte> raw, ulong count, string what)
    {
        var f = ctx.File;
        if (type.Unsupported is not null && type.Class != DatatypeMessage.String) throw f.Error($"{what}: {type.Unsupported}");
        if (!type.IsString) throw f.Error($"{what} holds numbers, not strings.");
        if (count > (ulong)raw.Length / (ulong)type.Size) throw f.Error($"{what}: {count} strings need more than the {raw.Length} bytes stored.");
        var result = new string[count];
        for (int i = 0; i < (int)count; i++)
        {
            var e = raw.Slice(i * type.Size, type.Size);
            if (type.Class == DatatypeMessage.String)
            {
                int z = e.IndexOf((byte)0);
                string s = H5Cursor.Utf8(z < 0 ? e : e[..z]);
                result[i] = type.StringPadding == 2 ? s.TrimEnd(' ') : s;
                continue;
            }
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(e);
            ulong collection = BinaryPrimitives.ReadUInt64LittleEndian(e[4..]);
            int index = (int)BinaryPrimitives.ReadUInt32LittleEndian(e[12..]);
            if (length == 0) { result[i] = ""; continue; }
            var heap = ctx.GlobalHeap(collection);
            if (!heap.Objects.TryGetValue(index, out var obj)) throw f.Error($"{what}: global heap object {index} is missing from the collection at address {collection}.");
            if (length > obj.Size) throw f.Error($"{what}: a string of {length} bytes is longer than its heap object ({obj.Size} bytes).");
            result[i] = H5Cursor.Utf8(f.Span(obj.Start, length));
        }
        return result;
    }
}
