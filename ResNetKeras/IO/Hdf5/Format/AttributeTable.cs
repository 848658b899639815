namespace ResNetKeras.IO.Hdf5;

/// <summary>
/// An object's attributes from its header (compact) and from dense storage (fractal heap + v2 B-tree name index),
/// in h5py's order: creation order when the object tracks it, else name order.
/// </summary>
internal static class AttributeTable
{
    public static List<AttributeMessage> Read(H5Context ctx, ObjectHeader header)
    {
        var f = ctx.File;
        var result = new List<(AttributeMessage Message, long Order)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in header.All(HeaderMessage.Attribute)) Add(f, result, names, AttributeMessage.Read(m.Body(f, "attribute message")), m.CreationOrder);
        if (header.First(HeaderMessage.AttributeInfo) is { } ai)
        {
            var info = AttributeInfoMessage.Read(ai.Body(f, "attribute info message"));
            if (info.IsDense)
            {
                var heap = FractalHeap.Read(f, info.FractalHeapAddress);
                var index = BTreeV2.Read(f, info.NameIndexAddress);
                if (index.Type != BTreeV2.AttributeNameRecord) throw f.Error($"attribute name index has record type {index.Type}; {BTreeV2.AttributeNameRecord} expected.");
                if (index.RecordSize < 17) throw f.Error("attribute name index records are too small.");
                foreach (ulong record in index.Records(f))
                {
                    // Record: 8-byte heap ID, message flags, 4-byte creation order, name hash.
                    var (start, length) = heap.Locate(record, 8);
                    long order = f.Range(record + 9, record + 13, "attribute name record").U32();
                    Add(f, result, names, AttributeMessage.Read(f.Range(start, start + length, "dense attribute message")), order);
                }
            }
        }
        var ordered = header.AttributeCreationOrderTracked && result.All(a => a.Order >= 0)
            ? result.OrderBy(a => a.Order).ThenBy(a => a.Message.Name, StringComparer.Ordinal)
            : result.OrderBy(a => a.Message.Name, StringComparer.Ordinal);
        return ordered.Select(a => a.Message).ToList();
    }

    private static void Add(H5FileImage f, List<(AttributeMessage, long)> result, HashSet<string> names, AttributeMessage a, long order)
    {
        if (!names.Add(a.Name)) throw f.Error($"attribute '{a.Name}' appears twice on one object.");
        result.Add((a, order));
    }
}
