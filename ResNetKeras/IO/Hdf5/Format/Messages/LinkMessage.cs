namespace ResNetKeras.IO.Hdf5;

/// <summary>
/// Link message 0x0006 (spec IV.A.2.g): one named link of a new-style group. Hard links carry the object header
/// address; soft and external links carry a path (listed, but not followed).
/// </summary>
internal sealed record LinkMessage(string Name, int LinkType, ulong Target, long CreationOrder)
{
    public const int Hard = 0;

    public static LinkMessage Read(H5Cursor c)
    {
        c.Version(1);
        byte flags = c.U8();
        int type = (flags & 0x08) != 0 ? c.U8() : Hard;
        long order = (flags & 0x04) != 0 ? (long)c.U64() : -1;
        if ((flags & 0x10) != 0) c.U8(); // character set of the name
        ulong length = c.UInt(1 << (flags & 3));
        if (length == 0) throw c.Error("link name is empty.");
        string name = H5Cursor.Utf8(c.Bytes(length));
        ulong target = type == Hard ? c.Address() : H5FileImage.Undefined;
        return new LinkMessage(name, type, target, order);
    }
}
