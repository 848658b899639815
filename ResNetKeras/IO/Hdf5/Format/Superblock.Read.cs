namespace ResNetKeras.IO.Hdf5;

internal sealed partial class Superblock
{
    public static Superblock Read(H5FileImage f)
    {
        ulong at = Find(f);
        var c = f.Range(at, f.Length, "superblock");
        c.Skip(8);
        byte version = c.U8();
        switch (version)
        {
            case 0:
            case 1:
            {
                c.Skip(4); // free-space and root entry versions, reserved, shared-header version
                CheckSizes(c, c.U8(), c.U8());
                c.Skip(1);
                int leafK = c.U16(), internalK = c.U16();
                if (leafK == 0 || internalK == 0) throw c.Error("group B-tree K values must be positive.");
                c.Skip(4); // file consistency flags
                if (version == 1) c.Skip(4); // indexed storage internal node K + reserved
                ulong baseAddress = c.Address();
                c.Address(); // free-space info (unused)
                ulong eof = c.Address();
                c.Address(); // driver information block
                var root = SymbolTableEntry.Read(c);
                return new Superblock
                {
                    Version = version, Location = at, BaseAddress = baseAddress, EndOfFileAddress = eof,
                    RootObjectHeaderAddress = root.ObjectHeaderAddress, RootEntry = root, GroupLeafNodeK = leafK, GroupInternalNodeK = internalK,
                };
            }
            case 2:
            case 3:
            {
                CheckSizes(c, c.U8(), c.U8());
                c.Skip(1); // file consistency flags
                ulong baseAddress = c.Address();
                c.Address(); // superblock extension (holds nothing this reader needs)
                ulong eof = c.Address();
                ulong root = c.Address();
                Lookup3.Verify(c, at);
                return new Superblock { Version = version, Location = at, BaseAddress = baseAddress, EndOfFileAddress = eof, RootObjectHeaderAddress = root };
            }
            default:
                throw c.Error($"superblock version {version} is not supported (expected 0, 1, 2 or 3).");
        }
    }

    private static void CheckSizes(H5Cursor c, byte offsets, byte lengths)
    {
        if (offsets != 8 || lengths != 8)
            throw c.Error($"{offsets}-byte offsets and {lengths}-byte lengths are not supported (h5py and libhdf5 write 8 and 8).");
    }

    private static ulong Find(H5FileImage f)
    {
        for (ulong o = 0; o + 8 <= f.Length; o = o == 0 ? 512 : o * 2)
            if (f.Span(o, 8).SequenceEqual(Signature)) return o;
        throw f.Error("not an HDF5 file (no superblock signature at offset 0, 512, 1024, ...).");
    }
}
