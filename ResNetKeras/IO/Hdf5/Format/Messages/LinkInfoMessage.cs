namespace ResNetKeras.IO.Hdf5;

/// <summary>
/// Link info message 0x0002 (spec IV.A.2.c): present in new-style groups; when dense, the fractal heap holding the
/// link messages and the v2 B-tree indexing them by name.
/// </summary>
internal sealed record LinkInfoMessage(ulong FractalHeapAddress, ulong NameIndexAddress, bool CreationOrderTracked)
{
    public bool IsDense => FractalHeapAddress != H5FileImage.Undefined && NameIndexAddress != H5FileImage.Undefined;

    public static LinkInfoMessage Read(H5Cursor c)
    {
        c.Version(0);
        byte flags = c.U8();
        if ((flags & 1) != 0) c.U64(); // maximum creation index
        return new LinkInfoMessage(c.Address(), c.Address(), (flags & 1) != 0);
    }
}
