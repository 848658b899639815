namespace ResNetKeras.IO.Hdf5;

/// <summary>
/// Superblock (spec II.A): versions 0 and 1 (classic, root group as a symbol table entry) and 2 and 3 (compact,
/// checksummed, root group as an object header address). Found at offset 0, 512, 1024, 2048, ...
/// </summary>
internal sealed partial class Superblock
{
    public static ReadOnlySpan<byte> Signature => [0x89, (byte)'H', (byte)'D', (byte)'F', 0x0d, 0x0a, 0x1a, 0x0a];

    public byte Version { get; init; }

    /// <summary>Physical offset of the signature.</summary>
    public ulong Location { get; init; }

    public ulong BaseAddress { get; init; }

    public ulong EndOfFileAddress { get; init; }

    public ulong RootObjectHeaderAddress { get; init; }

    /// <summary>Versions 0 and 1: the root group's entry (its scratch-pad may cache the symbol table).</summary>
    public SymbolTableEntry? RootEntry { get; init; }

    public int GroupLeafNodeK { get; init; } = 4;

    public int GroupInternalNodeK { get; init; } = 16;
}
