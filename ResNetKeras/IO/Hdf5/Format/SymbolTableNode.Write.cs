namespace ResNetKeras.IO.Hdf5;

internal sealed partial class SymbolTableNode
{
    public ulong Write(H5ByteWriter w, int leafK)
    {
        if (Entries.Length > 2 * leafK) throw new InvalidOperationException("symbol table node overflow.");
        ulong at = w.Align8();
        w.Ascii("SNOD");
        w.U8(1);
        w.U8(0);
        w.U16(Entries.Length);
        foreach (var e in Entries) e.Write(w);
        w.Zeros((2 * leafK - Entries.Length) * SymbolTableEntry.Size);
        return at;
    }
}
