using ResNetKeras.Engine;

namespace ResNetKeras.IO.Hdf5;

/// <summary>An HDF5 datatype message (spec IV.A.2.d): the classes Keras files use.</summary>
internal sealed record H5Datatype(int Class, int Size, bool Signed, bool BigEndian, bool VariableString, int StringPad, H5Datatype? Base)
{
    public const int FixedPoint = 0, FloatingPoint = 1, String = 3, VariableLength = 9;

    public static H5Datatype Read(H5Buffer b, ulong o, out ulong length)
    {
        byte cv = b.U8(o);
        int cls = cv & 0x0f, version = cv >> 4;
        if (version is < 1 or > 4) throw b.Error($"datatype message version {version} is not supported.");
        byte f0 = b.U8(o + 1), f1 = b.U8(o + 2);
        int size = checked((int)b.U32(o + 4));
        switch (cls)
        {
            case FixedPoint:
                length = 12;
                return new H5Datatype(cls, size, (f0 & 0x08) != 0, (f0 & 1) != 0, false, 0, null);
            case FloatingPoint:
                length = 20;
                return new H5Datatype(cls, size, true, (f0 & 1) != 0, false, 0, null);
            case String:
                length = 8;
                return new H5Datatype(cls, size, false, false, false, f0 & 0x0f, null);
            case VariableLength:
            {
                var baseType = Read(b, o + 8, out ulong baseLen);
                length = 8 + baseLen;
                bool isString = (f0 & 0x0f) == 1;
                return new H5Datatype(cls, size, false, false, isString, (f0 >> 4) & 0x0f, baseType);
            }
            default:
                throw b.Error($"datatype class {cls} is not supported (supported: integers, floats, strings, variable-length strings).");
        }
    }

    public DType ToDType(H5Buffer b)
    {
        if (BigEndian) throw b.Error("big-endian datasets are not supported.");
        return (Class, Size, Signed) switch
        {
            (FloatingPoint, 4, _) => DType.Float32,
            (FloatingPoint, 8, _) => DType.Float64,
            (FixedPoint, 1, false) => DType.UInt8,
            (FixedPoint, 4, true) => DType.Int32,
            (FixedPoint, 8, true) => DType.Int64,
            (FixedPoint, 1, true) or (FixedPoint, 2, _) or (FixedPoint, 4, false) or (FixedPoint, 8, false) => DType.Int64,
            _ => throw b.Error($"datatype (class {Class}, {Size} bytes) cannot be read as a numeric array."),
        };
    }

    /// <summary>Converts raw little-endian elements to an NDArray of <see cref="ToDType"/>.</summary>
    public NDArray ToArray(H5Buffer b, ReadOnlySpan<byte> raw, int[] shape)
    {
        var dtype = ToDType(b);
        int n = ShapeUtil.Size(shape);
        if ((long)raw.Length < (long)n * Size) throw b.Error($"dataset data has {raw.Length} bytes; shape {ShapeUtil.Format(shape)} needs {(long)n * Size}.");
        var a = NDArray.Zeros(shape, dtype);
        if (DTypes.SizeOf(dtype) == Size && (dtype != DType.Int64 || Signed))
        {
            var dst = System.Runtime.InteropServices.MemoryMarshal.AsBytes(dtype switch
            {
                DType.Float32 => System.Runtime.InteropServices.MemoryMarshal.AsBytes(a.Data<float>().AsSpan()),
                DType.Float64 => System.Runtime.InteropServices.MemoryMarshal.AsBytes(a.Data<double>().AsSpan()),
                DType.UInt8 => a.Data<byte>().AsSpan(),
                DType.Int32 => System.Runtime.InteropServices.MemoryMarshal.AsBytes(a.Data<int>().AsSpan()),
                _ => System.Runtime.InteropServices.MemoryMarshal.AsBytes(a.Data<long>().AsSpan()),
            });
            raw[..dst.Length].CopyTo(dst);
            return a;
        }
        for (int i = 0; i < n; i++)
        {
            var e = raw.Slice(i * Size, Size);
            long v = Size switch
            {
                1 => Signed ? (sbyte)e[0] : e[0],
                2 => Signed ? System.Buffers.Binary.BinaryPrimitives.ReadInt16LittleEndian(e) : System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(e),
                4 => Signed ? System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(e) : System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(e),
                _ => (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(e),
            };
            a.SetFlat(i, v);
        }
        return a;
    }
}
