namespace ResNetKeras.IO.Hdf5;

internal sealed partial class LocalHeap
{
    public static LocalHeap Read(H5FileImage f, ulong address)
    {
        var c = f.At(address, HeaderSize, "local heap");
        c.Signature("HEAP");
        c.Version(0);
        c.Skip(3);
        ulong size = c.Length();
        c.Length(); // free list head
        ulong data = c.Address();
        var segment = f.At(data, size, "local heap data segment");
        return new LocalHeap { DataStart = segment.Start, DataSize = size, File = f };
    }

    /// <summary>The NUL-terminated name at an offset of the data segment.</summary>
    public string Name(ulong offset)
    {
        if (offset >= DataSize) throw File!.Error($"link name offset {offset} lies outside the local heap ({DataSize} bytes).");
        return File!.Range(DataStart + offset, DataStart + DataSize, "local heap name").CString(DataSize - offset);
    }
}
