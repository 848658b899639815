namespace ResNetKeras.IO.Hdf5;

internal sealed partial class BTreeV1Node
{
    /// <summary>Reads one node; <paramref name="chunkDimensions"/> is, for chunk nodes, the dataset rank + 1 (the layout message's dimensionality).</summary>
    public static BTreeV1Node Read(H5FileImage f, ulong address, byte expectedType, int expectedLevel, int chunkDimensions)
    {
        var c = f.At(address, "v1 B-tree node");
        c.Signature("TREE");
        byte type = c.U8();
        if (type != expectedType) throw c.Error($"node type {type} where a {(expectedType == GroupNode ? "group" : "chunk")} node (type {expectedType}) was expected.");
        int level = c.U8();
        if (expectedLevel >= 0 && level != expectedLevel) throw c.Error($"node at level {level} where level {expectedLevel} was expected (a cycle or corruption).");
        int used = c.U16();
        c.Address(); // left sibling
        c.Address(); // right sibling
        var children = new ulong[used];
        var keys = type == ChunkNode ? new ChunkKey[used] : [];
        for (int i = 0; i < used; i++)
        {
            if (type == GroupNode) c.U64();
            else keys[i] = ReadChunkKey(c, chunkDimensions);
            children[i] = c.Address();
        }
        return new BTreeV1Node { NodeType = type, Level = level, Children = children, ChunkKeys = keys };
    }

    private static ChunkKey ReadChunkKey(H5Cursor c, int dims)
    {
        uint size = c.U32();
        uint mask = c.U32();
        var offsets = new ulong[dims];
        for (int d = 0; d < dims; d++) offsets[d] = c.U64();
        return new ChunkKey(size, mask, offsets);
    }

    /// <summary>Visits the symbol table nodes of a group B-tree, depth first, refusing cycles.</summary>
    public static void VisitGroupLeaves(H5FileImage f, ulong root, Action<ulong> visitSymbolNode)
    {
        var visited = new HashSet<ulong>();
        void Visit(ulong address, int level)
        {
            if (!visited.Add(address)) throw f.Error($"group B-tree node at address {address} is reached twice (a cycle).");
            var node = Read(f, address, GroupNode, level, 0);
            foreach (ulong child in node.Children)
            {
                if (node.Level == 0) visitSymbolNode(child);
                else Visit(child, node.Level - 1);
            }
        }
        Visit(root, -1);
    }

    /// <summary>Visits the chunks of a chunk B-tree: their keys and addresses.</summary>
    public static void VisitChunks(H5FileImage f, ulong root, int chunkDimensions, Action<ChunkKey, ulong> visitChunk)
    {
        var visited = new HashSet<ulong>();
        void Visit(ulong address, int level)
        {
            if (!visited.Add(address)) throw f.Error($"chunk B-tree node at address {address} is reached twice (a cycle).");
            var node = Read(f, address, ChunkNode, level, chunkDimensions);
            for (int i = 0; i < node.Children.Length; i++)
            {
                if (node.Level == 0) visitChunk(node.ChunkKeys[i], node.Children[i]);
                else Visit(node.Children[i], node.Level - 1);
            }
        }
        Visit(root, -1);
    }
}
