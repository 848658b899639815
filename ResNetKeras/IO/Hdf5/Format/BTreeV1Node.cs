namespace ResNetKeras.IO.Hdf5;

/// <summary>
/// Version-1 B-tree node (spec III.A.1), signature "TREE": node type 0 indexes a group's symbol table nodes (keys
/// are local-heap name offsets), node type 1 indexes a dataset's chunks (keys are chunk size, filter mask and the
/// chunk's element offsets).
/// </summary>
internal sealed partial class BTreeV1Node
{
    public const byte GroupNode = 0;
    public const byte ChunkNode = 1;

    public byte NodeType { get; init; }

    public int Level { get; init; }

    /// <summary>Child addresses: symbol table nodes or chunks at level 0, B-tree nodes above.</summary>
    public ulong[] Children { get; init; } = [];

    /// <summary>Chunk nodes: the key left of each child (key i describes child i).</summary>
    public ChunkKey[] ChunkKeys { get; init; } = [];

    /// <summary>Key of a chunk B-tree: stored chunk size, filter mask, element offset per dimension.</summary>
    public readonly record struct ChunkKey(uint Size, uint FilterMask, ulong[] Offsets);

    /// <summary>Size of a group node with 8-byte offsets: header, 2K+1 keys and 2K children.</summary>
    public static int GroupNodeSize(int k) => 24 + (2 * k + 1) * 8 + 2 * k * 8;
}
