namespace ResNetKeras.IO.Hdf5;

/// <summary>Symbol table message 0x0011 (spec IV.A.2.r): an old-style group's v1 B-tree and local heap.</summary>
internal sealed record SymbolTableMessage(ulong BTreeAddress, ulong LocalHeapAddress)
{
    public static SymbolTableMessage Read(H5Cursor c) => new(c.Address(), c.Address());

    public byte[] Write()
    {
        var w = new H5ByteWriter();
        w.U64(BTreeAddress);
        w.U64(LocalHeapAddress);
        return w.ToArray();
    }
}
