namespace ResNetKeras.IO.Hdf5;

/// <summary>
/// A group's hard links, name → object header address, from whichever storage the group uses: a symbol table
/// (v1 B-tree of symbol table nodes, names in a local heap), link messages in the header (compact), or a fractal
/// heap of link messages indexed by a v2 B-tree (dense). Listed as h5py lists them: in creation order when the
/// group tracks it (<c>track_order=True</c>), else in name order.
/// </summary>
internal static class GroupLinks
{
    public static List<(string Name, ulong Target)> Read(H5Context ctx, ObjectHeader header)
    {
        var f = ctx.File;
        var links = new List<(string Name, ulong Target, long Order)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        bool tracked = false;
        if (header.First(HeaderMessage.SymbolTable) is { } st)
        {
            var table = SymbolTableMessage.Read(st.Body(f, "symbol table message"));
            var heap = LocalHeap.Read(f, table.LocalHeapAddress);
            var nodes = new HashSet<ulong>();
            BTreeV1Node.VisitGroupLeaves(f, table.BTreeAddress, node =>
            {
                if (!nodes.Add(node)) throw f.Error($"symbol table node at address {node} is listed twice.");
                foreach (var e in SymbolTableNode.Read(f, node).Entries) Add(f, links, names, heap.Name(e.LinkNameOffset), e.ObjectHeaderAddress, -1);
            });
        }
        foreach (var m in header.All(HeaderMessage.Link))
        {
            var link = LinkMessage.Read(m.Body(f, "link message"));
            if (link.LinkType == LinkMessage.Hard) Add(f, links, names, link.Name, link.Target, link.CreationOrder);
        }
        if (header.First(HeaderMessage.LinkInfo) is { } li)
        {
            var info = LinkInfoMessage.Read(li.Body(f, "link info message"));
            tracked = info.CreationOrderTracked;
            if (info.IsDense)
            {
                var heap = FractalHeap.Read(f, info.FractalHeapAddress);
                var index = BTreeV2.Read(f, info.NameIndexAddress);
                if (index.Type != BTreeV2.LinkNameRecord) throw f.Error($"link name index has record type {index.Type}; {BTreeV2.LinkNameRecord} expected.");
                if (index.RecordSize < 5) throw f.Error("link name index records are too small.");
                foreach (ulong record in index.Records(f))
                {
                    // Record: 4-byte name hash, then the heap ID of the link message.
                    var (start, length) = heap.Locate(record + 4, index.RecordSize - 4);
                    var link = LinkMessage.Read(f.Range(start, start + length, "dense link message"));
                    if (link.LinkType == LinkMessage.Hard) Add(f, links, names, link.Name, link.Target, link.CreationOrder);
                }
            }
        }
        IEnumerable<(string Name, ulong Target, long Order)> ordered = tracked && links.All(l => l.Order >= 0)
            ? links.OrderBy(l => l.Order).ThenBy(l => l.Name, StringComparer.Ordinal)
            : links.OrderBy(l => l.Name, StringComparer.Ordinal);
        return ordered.Select(l => (l.Name, l.Target)).ToList();
    }

    private static void Add(H5FileImage f, List<(string, ulong, long)> links, HashSet<string> names, string name, ulong target, long order)
    {
        if (name.Length == 0 || name.Contains('/')) throw f.Error($"link name '{name}' is not valid.");
        if (!names.Add(name)) throw f.Error($"link name '{name}' appears twice in one group.");
        links.Add((name, target, order));
    }
}
