using System.Buffers.Binary;

namespace ResNetKeras.IO.Hdf5;

/// <summary>A bounds-checked little-endian view of the whole file: every read that leaves the file is an <see cref="InvalidDataException"/>.</summary>
internal sealed class H5Buffer
{
    public const ulong Undefined = ulong.MaxValue;

    public H5Buffer(byte[] data, string source)
    {
        Data = data;
        Source = source;
    }

    public byte[] Data { get; }
    public string Source { get; }
    public long Length => Data.Length;

    public InvalidDataException Error(string what) => new($"{Source}: {what}");

    public ReadOnlySpan<byte> Span(ulong offset, ulong length)
    {
        if (offset > (ulong)Data.Length || length > (ulong)Data.Length - offset)
            throw Error($"a structure at offset {offset} of length {length} runs past the end of the file ({Data.Length} bytes); the file is truncated or corrupted.");
        return Data.AsSpan((int)offset, (int)length);
    }

    public byte U8(ulong o) => Span(o, 1)[0];
    public ushort U16(ulong o) => BinaryPrimitives.ReadUInt16LittleEndian(Span(o, 2));
    public uint U32(ulong o) => BinaryPrimitives.ReadUInt32LittleEndian(Span(o, 4));
    public ulong U64(ulong o) => BinaryPrimitives.ReadUInt64LittleEndian(Span(o, 8));

    /// <summary>An unsigned integer of 1, 2, 4 or 8 bytes.</summary>
    public ulong UVar(ulong o, int size) => size switch
    {
        1 => U8(o),
        2 => U16(o),
        4 => U32(o),
        8 => U64(o),
        _ => throw Error($"unsupported integer field size {size}."),
    };

    public bool Signature(ulong o, string sig)
    {
        var s = Span(o, (ulong)sig.Length);
        for (int i = 0; i < sig.Length; i++) if (s[i] != sig[i]) return false;
        return true;
    }

    public string CString(ulong o, ulong max)
    {
        var s = Span(o, Math.Min(max, (ulong)Data.Length - Math.Min(o, (ulong)Data.Length)));
        int end = s.IndexOf((byte)0);
        if (end < 0) throw Error($"unterminated string at offset {o}.");
        return System.Text.Encoding.UTF8.GetString(s[..end]);
    }
}
