using ResNetKeras.Engine;

namespace ResNetKeras.IO.Hdf5;

/// <summary>Reads a dataset's raw bytes from its layout (compact, contiguous or chunked), starting from the fill value.</summary>
internal static class DatasetStorage
{
    public static byte[] ReadRaw(H5Context ctx, ObjectHeader header, DatatypeMessage type, DataspaceMessage space, string what)
    {
        var f = ctx.File;
        var layoutMessage = header.First(HeaderMessage.DataLayout) ?? throw f.Error($"{what} has no data layout message.");
        var layout = DataLayoutMessage.Read(layoutMessage.Body(f, "data layout message"));
        ulong count = space.ElementCount;
        ulong total = count > ulong.MaxValue / (ulong)type.Size ? ulong.MaxValue : count * (ulong)type.Size;
        if (total > Hdf5Limits.MaxDecodedBytes(f) || count > int.MaxValue)
            throw f.Error($"{what}: {count} elements of {type.Size} bytes are more than this file could hold.");
        switch (layout.LayoutClass)
        {
            case DataLayoutMessage.Compact:
                if (layout.CompactSize < total) throw f.Error($"{what}: the compact data holds {layout.CompactSize} bytes; {total} are needed.");
                return f.Span(layout.CompactStart, total).ToArray();
            case DataLayoutMessage.Contiguous:
                if (total == 0) return [];
                if (layout.Address == H5FileImage.Undefined) return Filled(ctx, header, type, total);
                if (layout.ContiguousSize < total) throw f.Error($"{what}: the contiguous data holds {layout.ContiguousSize} bytes; {total} are needed.");
                return f.At(layout.Address, total, $"{what} data").Bytes(total).ToArray();
            default:
            {
                var result = Filled(ctx, header, type, total);
                FilterPipelineMessage? pipeline = header.First(HeaderMessage.FilterPipeline) is { } fp
                    ? FilterPipelineMessage.Read(fp.Body(f, "filter pipeline message")) : null;
                ChunkedStorage.Read(f, layout, pipeline, space, type.Size, result, what);
                return result;
            }
        }
    }

    public static string LayoutDescription(H5Context ctx, ObjectHeader header)
    {
        var m = header.First(HeaderMessage.DataLayout) ?? throw ctx.File.Error("dataset has no data layout message.");
        return DataLayoutMessage.Read(m.Body(ctx.File, "data layout message")).Description;
    }

    private static byte[] Filled(H5Context ctx, ObjectHeader header, DatatypeMessage type, ulong total)
    {
        var result = new byte[total];
        if (header.First(HeaderMessage.FillValue) is { } fm
            && FillValueMessage.Read(fm.Body(ctx.File, "fill value message")).Value is { } fill
            && fill.Length == type.Size && fill.Any(b => b != 0))
        {
            for (ulong i = 0; i + (ulong)fill.Length <= total; i += (ulong)fill.Length) fill.CopyTo(result, (long)i);
        }
        return result;
    }
}
