namespace ResNetKeras.IO.Hdf5;

/// <summary>
/// Filter pipeline message 0x000B (spec IV.A.2.l), versions 1 and 2: the filters applied to each chunk in order.
/// Reading supports deflate (1), shuffle (2) and fletcher32 (3).
/// </summary>
internal sealed record FilterPipelineMessage(FilterPipelineMessage.Filter[] Filters)
{
    public const int Deflate = 1;
    public const int Shuffle = 2;
    public const int Fletcher32 = 3;

    public sealed record Filter(int Id, bool Optional, uint[] ClientData);

    public static FilterPipelineMessage Read(H5Cursor c)
    {
        byte version = c.Version(1, 2);
        int count = c.U8();
        if (count > 32) throw c.Error($"{count} filters exceed HDF5's maximum of 32.");
        if (version == 1) c.Skip(6);
        var filters = new Filter[count];
        for (int i = 0; i < count; i++)
        {
            int id = c.U16();
            int nameLength = version == 1 || id >= 256 ? c.U16() : 0;
            int flags = c.U16();
            int values = c.U16();
            if (nameLength > 0) c.Skip(version == 1 ? (ulong)((nameLength + 7) & ~7) : (ulong)nameLength);
            var data = new uint[values];
            for (int k = 0; k < values; k++) data[k] = c.U32();
            if (version == 1 && values % 2 == 1) c.Skip(4);
            filters[i] = new Filter(id, (flags & 1) != 0, data);
        }
        return new FilterPipelineMessage(filters);
    }
}
