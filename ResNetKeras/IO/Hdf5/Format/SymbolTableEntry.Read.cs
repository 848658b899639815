namespace ResNetKeras.IO.Hdf5;

internal sealed partial class SymbolTableEntry
{
    public static SymbolTableEntry Read(H5Cursor c)
    {
        ulong name = c.U64();
        ulong header = c.Address();
        uint cache = c.U32();
        c.Skip(4);
        var scratch = c.Sub(16, "symbol table entry scratch-pad");
        if (cache == 1) return new SymbolTableEntry { LinkNameOffset = name, ObjectHeaderAddress = header, CacheType = cache, BTreeAddress = scratch.Address(), LocalHeapAddress = scratch.Address() };
        return new SymbolTableEntry { LinkNameOffset = name, ObjectHeaderAddress = header, CacheType = cache };
    }
}
