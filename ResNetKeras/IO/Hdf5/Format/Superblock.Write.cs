namespace ResNetKeras.IO.Hdf5;

internal sealed partial class Superblock
{
    /// <summary>Size of a version-0 superblock with 8-byte offsets and lengths, root entry included.</summary>
    public const int Version0Size = 96;

    /// <summary>Writes a version-0 superblock (what h5py writes by default) at the writer's current position (0).</summary>
    public void WriteVersion0(H5ByteWriter w)
    {
        w.Bytes(Signature);
        w.U8(0); // superblock
        w.U8(0); // free-space storage
        w.U8(0); // root group symbol table entry
        w.U8(0);
        w.U8(0); // shared header message format
        w.U8(8); // size of offsets
        w.U8(8); // size of lengths
        w.U8(0);
        w.U16(GroupLeafNodeK);
        w.U16(GroupInternalNodeK);
        w.U32(0); // file consistency flags
        w.U64(0); // base address
        w.U64(H5FileImage.Undefined); // free-space info
        w.U64(EndOfFileAddress);
        w.U64(H5FileImage.Undefined); // driver information block
        RootEntry!.Write(w);
    }
}
