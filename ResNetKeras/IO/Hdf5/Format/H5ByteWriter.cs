using System.Buffers.Binary;

namespace ResNetKeras.IO.Hdf5;

/// <summary>A growing little-endian byte buffer for building a file image; structures are appended 8-byte aligned.</summary>
internal sealed class H5ByteWriter
{
    private byte[] data = new byte[4096];

    public int Length { get; private set; }

    public void U8(byte v) => Ensure(1)[0] = v;

    public void U16(int v) => BinaryPrimitives.WriteUInt16LittleEndian(Ensure(2), checked((ushort)v));

    public void U32(uint v) => BinaryPrimitives.WriteUInt32LittleEndian(Ensure(4), v);

    public void U64(ulong v) => BinaryPrimitives.WriteUInt64LittleEndian(Ensure(8), v);

    public void Bytes(ReadOnlySpan<byte> v) => v.CopyTo(Ensure(v.Length));

    public void Zeros(int count) => Ensure(count).Clear();

    public void Ascii(string s)
    {
        var span = Ensure(s.Length);
        for (int i = 0; i < s.Length; i++) span[i] = (byte)s[i];
    }

    /// <summary>Pads with zeros to a multiple of 8 and returns the new position.</summary>
    public ulong Align8()
    {
        Zeros((8 - Length % 8) % 8);
        return (ulong)Length;
    }

    /// <summary>Pads with zeros to a multiple of 8 counted from <paramref name="origin"/>.</summary>
    public void PadFrom(int origin, int alignment) => Zeros((alignment - (Length - origin) % alignment) % alignment);

    public void PatchU64(int at, ulong v) => BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(at, 8), v);

    public void PatchU32(int at, uint v) => BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(at, 4), v);

    public ReadOnlySpan<byte> Written => data.AsSpan(0, Length);

    public byte[] ToArray() => data.AsSpan(0, Length).ToArray();

    private Span<byte> Ensure(int n)
    {
        if (Length + n > data.Length)
        {
            long size = Math.Max((long)data.Length * 2, (long)Length + n);
            if (size > Array.MaxLength) throw new InvalidOperationException("HDF5 file image exceeds the largest array .NET can hold.");
            Array.Resize(ref data, (int)size);
        }
        var s = data.AsSpan(Length, n);
        Length += n;
        return s;
    }
}
