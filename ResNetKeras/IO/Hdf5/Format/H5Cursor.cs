using System.Buffers.Binary;
using System.Text;

namespace ResNetKeras.IO.Hdf5;

/// <summary>
/// Sequential little-endian reads inside a window [start, end) of the file image: a read past the window is an
/// <see cref="InvalidDataException"/> naming the structure, never an index error.
/// </summary>
internal sealed class H5Cursor
{
    private readonly ulong start;

    public H5Cursor(H5FileImage file, ulong start, ulong end, string what)
    {
        File = file;
        this.start = start;
        Position = start;
        End = end;
        What = what;
    }

    public H5FileImage File { get; }

    /// <summary>Physical offset of the next read.</summary>
    public ulong Position { get; set; }

    /// <summary>Physical offset just past the window.</summary>
    public ulong End { get; }

    /// <summary>Physical offset of the window's first byte.</summary>
    public ulong Start => start;

    public string What { get; }

    public ulong Remaining => End - Position;

    public InvalidDataException Error(string message) => File.Error($"{What}: {message}");

    public ReadOnlySpan<byte> Bytes(ulong count)
    {
        if (Position > End || count > End - Position)
            throw Error($"needs {count} more bytes at offset {Position} but only {(Position > End ? 0 : End - Position)} remain; the file is truncated or corrupted.");
        var s = File.Span(Position, count);
        Position += count;
        return s;
    }

    public void Skip(ulong count) => Bytes(count);

    public byte U8() => Bytes(1)[0];

    public ushort U16() => BinaryPrimitives.ReadUInt16LittleEndian(Bytes(2));

    public uint U32() => BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4));

    public ulong U64() => BinaryPrimitives.ReadUInt64LittleEndian(Bytes(8));

    /// <summary>An address (this reader requires 8-byte offsets; the superblock checks that).</summary>
    public ulong Address() => U64();

    /// <summary>A length field (8 bytes).</summary>
    public ulong Length() => U64();

    /// <summary>An unsigned little-endian integer of 0 to 8 bytes (the variable-size fields of v2 structures).</summary>
    public ulong UInt(int size)
    {
        if (size is < 0 or > 8) throw Error($"integer field of {size} bytes is not valid.");
        var b = Bytes((ulong)size);
        ulong v = 0;
        for (int i = size - 1; i >= 0; i--) v = (v << 8) | b[i];
        return v;
    }

    /// <summary>Checks a 4-byte signature such as "TREE".</summary>
    public void Signature(string signature)
    {
        var s = Bytes(4);
        for (int i = 0; i < 4; i++)
            if (s[i] != signature[i])
                throw Error($"expected the signature '{signature}' at offset {Position - 4}, found '{Printable(s)}'; the file is corrupted or an address is wrong.");
    }

    public byte Version(params byte[] supported)
    {
        byte v = U8();
        if (Array.IndexOf(supported, v) < 0) throw Error($"version {v} is not supported (expected {string.Join(" or ", supported)}).");
        return v;
    }

    /// <summary>Skips to the next multiple of <paramref name="alignment"/> counted from <paramref name="origin"/>.</summary>
    public void Align(ulong origin, ulong alignment)
    {
        ulong rel = Position - origin;
        ulong pad = (alignment - rel % alignment) % alignment;
        Skip(Math.Min(pad, Remaining));
    }

    /// <summary>A cursor over the next <paramref name="count"/> bytes; this cursor moves past them.</summary>
    public H5Cursor Sub(ulong count, string what)
    {
        ulong p = Position;
        Bytes(count);
        return new H5Cursor(File, p, p + count, what);
    }

    /// <summary>A NUL-terminated string of at most <paramref name="max"/> bytes; the cursor moves past its terminator.</summary>
    public string CString(ulong max)
    {
        ulong avail = Math.Min(max, Remaining);
        var s = File.Span(Position, avail);
        int z = s.IndexOf((byte)0);
        if (z < 0) throw Error($"string at offset {Position} is not NUL-terminated within {avail} bytes.");
        Position += (ulong)z + 1;
        return Utf8(s[..z]);
    }

    public static string Utf8(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

    private static string Printable(ReadOnlySpan<byte> s)
    {
        var sb = new StringBuilder();
        foreach (byte b in s) sb.Append(b is >= 32 and < 127 ? (char)b : '?');
        return sb.ToString();
    }
}
