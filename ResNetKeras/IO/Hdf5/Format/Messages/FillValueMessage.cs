namespace ResNetKeras.IO.Hdf5;

/// <summary>
/// Fill value message 0x0005 (spec IV.A.2.f): the value of elements never written (unallocated chunks). Versions
/// 1 to 3 are read; the writer emits version 2 with allocation time "late" and no user value, as h5py does.
/// </summary>
internal sealed class FillValueMessage
{
    /// <summary>The element's bytes when the file defines a fill value; null means zeros.</summary>
    public byte[]? Value { get; init; }

    public static FillValueMessage Read(H5Cursor c)
    {
        byte version = c.Version(1, 2, 3);
        if (version == 3)
        {
            byte flags = c.U8();
            if ((flags & 0x20) == 0) return new FillValueMessage();
            return new FillValueMessage { Value = ReadValue(c) };
        }
        c.U8(); // space allocation time
        c.U8(); // fill value write time
        bool defined = c.U8() != 0;
        if (version == 2 && !defined) return new FillValueMessage();
        return new FillValueMessage { Value = c.Remaining >= 4 ? ReadValue(c) : null };
    }

    private static byte[]? ReadValue(H5Cursor c)
    {
        uint size = c.U32();
        return size == 0 ? null : c.Bytes(size).ToArray();
    }

    public static byte[] WriteVersion2() => [2, 2, 2, 0];
}
