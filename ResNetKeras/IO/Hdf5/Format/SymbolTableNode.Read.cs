namespace ResNetKeras.IO.Hdf5;

internal sealed partial class SymbolTableNode
{
    public static SymbolTableNode Read(H5FileImage f, ulong address)
    {
        var c = f.At(address, "symbol table node");
        c.Signature("SNOD");
        c.Version(1);
        c.Skip(1);
        int count = c.U16();
        var entries = new SymbolTableEntry[count];
        for (int i = 0; i < count; i++) entries[i] = SymbolTableEntry.Read(c);
        return new SymbolTableNode { Entries = entries };
    }
}
