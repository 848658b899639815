using ResNetKeras.Engine;

namespace ResNetKeras.IO.Hdf5;

internal sealed partial class DatatypeMessage
{
    /// <summary>The little-endian numeric type of an array dtype (version 1, as libhdf5 writes the native types).</summary>
    public static byte[] WriteNumeric(DType dtype)
    {
        var w = new H5ByteWriter();
        int size = DTypes.SizeOf(dtype);
        if (dtype is DType.Float32 or DType.Float64)
        {
            bool f32 = dtype == DType.Float32;
            w.U8(0x10 | FloatingPoint);
            w.U8(0x20); // mantissa normalization: implied leading 1
            w.U8((byte)(f32 ? 31 : 63)); // sign bit location
            w.U8(0);
            w.U32((uint)size);
            w.U16(0);
            w.U16(size * 8);
            w.U8((byte)(f32 ? 23 : 52));
            w.U8((byte)(f32 ? 8 : 11));
            w.U8(0);
            w.U8((byte)(f32 ? 23 : 52));
            w.U32(f32 ? 127u : 1023u);
        }
        else
        {
            w.U8(0x10 | FixedPoint);
            w.U8((byte)(dtype == DType.UInt8 ? 0 : 0x08));
            w.U8(0);
            w.U8(0);
            w.U32((uint)size);
            w.U16(0);
            w.U16(size * 8);
        }
        return w.ToArray();
    }

    /// <summary>A fixed-length NUL-padded string type (NumPy's <c>S</c>), ASCII unless <paramref name="utf8"/>.</summary>
    public static byte[] WriteFixedString(int size, bool utf8)
    {
        var w = new H5ByteWriter();
        w.U8(0x10 | String);
        w.U8((byte)(1 | (utf8 ? 0x10 : 0)));
        w.U8(0);
        w.U8(0);
        w.U32((uint)size);
        return w.ToArray();
    }

    /// <summary>A variable-length UTF-8 string (h5py's <c>string_dtype()</c>); libhdf5 stores its base type as an unsigned byte.</summary>
    public static byte[] WriteVariableLengthString()
    {
        var w = new H5ByteWriter();
        w.U8(0x10 | VariableLength);
        w.U8(0x01); // string, NUL-terminated
        w.U8(0x01); // UTF-8
        w.U8(0);
        w.U32(16);
        w.U8(0x10 | FixedPoint);
        w.Zeros(3);
        w.U32(1);
        w.U16(0);
        w.U16(8);
        return w.ToArray();
    }
}
