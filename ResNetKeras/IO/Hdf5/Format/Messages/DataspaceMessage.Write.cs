namespace ResNetKeras.IO.Hdf5;

internal sealed partial class DataspaceMessage
{
    /// <summary>Version 1 (what libhdf5 1.10 writes with the default library bounds); rank 0 is a scalar.</summary>
    public byte[] Write()
    {
        var w = new H5ByteWriter();
        w.U8(1);
        w.U8((byte)Dimensions.Length);
        w.U8(0);
        w.Zeros(5);
        foreach (ulong d in Dimensions) w.U64(d);
        return w.ToArray();
    }
}
