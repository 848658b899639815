namespace ResNetKeras.IO.Hdf5;

/// <summary>
/// Version-2 B-tree (spec III.A.2): header "BTHD", internal nodes "BTIN", leaves "BTLF". Used here for the name
/// indexes of dense links (record type 5) and dense attributes (type 8), and for chunk indexes (types 10 and 11).
/// </summary>
internal sealed partial class BTreeV2
{
    public const int LinkNameRecord = 5;
    public const int AttributeNameRecord = 8;
    public const int ChunkRecord = 10;
    public const int FilteredChunkRecord = 11;

    public int Type { get; init; }

    public uint NodeSize { get; init; }

    public int RecordSize { get; init; }

    public int Depth { get; init; }

    public ulong Root { get; init; }

    public int RootRecords { get; init; }

    public ulong TotalRecords { get; init; }
}
