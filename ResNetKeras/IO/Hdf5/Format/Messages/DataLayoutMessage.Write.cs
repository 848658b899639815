namespace ResNetKeras.IO.Hdf5;

internal sealed partial class DataLayoutMessage
{
    /// <summary>Version 3 contiguous layout (libhdf5 1.10's default): address (undefined for no data) and size.</summary>
    public static byte[] WriteContiguous(ulong address, ulong size)
    {
        var w = new H5ByteWriter();
        w.U8(3);
        w.U8(Contiguous);
        w.U64(address);
        w.U64(size);
        return w.ToArray();
    }
}
