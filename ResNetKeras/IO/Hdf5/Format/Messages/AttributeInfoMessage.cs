namespace ResNetKeras.IO.Hdf5;

/// <summary>
/// Attribute info message 0x0015 (spec IV.A.2.v): when attributes are dense, the fractal heap holding the attribute
/// messages and the v2 B-tree indexing them by name.
/// </summary>
internal sealed record AttributeInfoMessage(ulong FractalHeapAddress, ulong NameIndexAddress)
{
    public bool IsDense => FractalHeapAddress != H5FileImage.Undefined && NameIndexAddress != H5FileImage.Undefined;

    public static AttributeInfoMessage Read(H5Cursor c)
    {
        c.Version(0);
        byte flags = c.U8();
        if ((flags & 1) != 0) c.U16(); // maximum creation index
        return new AttributeInfoMessage(c.Address(), c.Address());
    }
}
