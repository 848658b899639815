namespace ResNetKeras.IO.Hdf5;

/// <summary>Symbol table node (spec III.B), signature "SNOD": up to 2K symbol table entries of one group, in name order.</summary>
internal sealed partial class SymbolTableNode
{
    public SymbolTableEntry[] Entries { get; init; } = [];

    public static int NodeSize(int leafK) => 8 + 2 * leafK * SymbolTableEntry.Size;
}
