namespace ResNetKeras.IO.Hdf5;

internal sealed partial class SymbolTableEntry
{
    public void Write(H5ByteWriter w)
    {
        w.U64(LinkNameOffset);
        w.U64(ObjectHeaderAddress);
        w.U32(CacheType);
        w.U32(0);
        if (CacheType == 1)
        {
            w.U64(BTreeAddress);
            w.U64(LocalHeapAddress);
        }
        else w.Zeros(16);
    }
}
