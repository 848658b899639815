using System.Text;

namespace ResNetKeras.IO.Hdf5;

internal sealed partial class AttributeMessage
{
    /// <summary>Version 1 (libhdf5 1.10's default): name, datatype and dataspace each padded to 8 bytes, then the value.</summary>
    public static byte[] WriteVersion1(string name, byte[] type, byte[] space, ReadOnlySpan<byte> data)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name + "\0");
        var w = new H5ByteWriter();
        w.U8(1);
        w.U8(0);
        w.U16(nameBytes.Length);
        w.U16(type.Length);
        w.U16(space.Length);
        w.Bytes(nameBytes);
        w.PadFrom(0, 8);
        w.Bytes(type);
        w.PadFrom(0, 8);
        w.Bytes(space);
        w.PadFrom(0, 8);
        w.Bytes(data);
        return w.ToArray();
    }
}
