using System.Buffers.Binary;
using ResNetKeras.Engine;

namespace ResNetKeras.IO.Hdf5;

internal sealed partial class DatatypeMessage
{
    public static DatatypeMessage Read(H5Cursor c, int depth = 0)
    {
        if (depth > 8) throw c.Error("datatype nesting is too deep.");
        byte classAndVersion = c.U8();
        int cls = classAndVersion & 0x0f;
        int version = classAndVersion >> 4;
        if (version is < 1 or > 4) throw c.Error($"datatype version {version} is not valid.");
        byte b0 = c.U8(), b1 = c.U8();
        c.U8();
        uint size = c.U32();
        if (size == 0 || size > MaxSize) throw c.Error($"datatype size {size} is not valid.");
        switch (cls)
        {
            case FixedPoint:
            {
                int offset = c.U16(), precision = c.U16();
                string? why = size is 1 or 2 or 4 or 8 && offset == 0 && precision == size * 8 ? null
                    : $"{size}-byte integers with bit offset {offset} and precision {precision} are not supported.";
                return new DatatypeMessage { Class = cls, Size = (int)size, BigEndian = (b0 & 1) != 0, Signed = (b0 & 8) != 0, Unsupported = why };
            }
            case FloatingPoint:
            {
                c.U16(); // bit offset
                int precision = c.U16();
                c.U8(); // exponent location
                int exponent = c.U8();
                c.U8(); // mantissa location
                int mantissa = c.U8();
                c.U32(); // exponent bias
                bool ieee = (size == 4 && precision == 32 && exponent == 8 && mantissa == 23) || (size == 8 && precision == 64 && exponent == 11 && mantissa == 52);
                bool vax = (b0 & 0x40) != 0;
                string? why = ieee && !vax ? null : $"{size}-byte floating point with {exponent} exponent and {mantissa} mantissa bits is not supported (only IEEE float32 and float64).";
                return new DatatypeMessage { Class = cls, Size = (int)size, BigEndian = (b0 & 1) != 0, Unsupported = why };
            }
            case String:
                return new DatatypeMessage { Class = cls, Size = (int)size, StringPadding = b0 & 0x0f, CharacterSet = b0 >> 4 };
            case VariableLength:
            {
                bool isString = (b0 & 0x0f) == 1;
                var baseType = Read(c, depth + 1);
                return new DatatypeMessage
                {
                    Class = cls, Size = (int)size, IsVariableLengthString = isString, StringPadding = b0 >> 4, CharacterSet = b1 & 0x0f,
                    Unsupported = isString ? (size == 16 ? null : $"variable-length string references of {size} bytes are not supported.") : "variable-length sequences are not supported.",
                };
            }
            default:
                return new DatatypeMessage { Class = cls, Size = (int)size, Unsupported = $"datatype class {cls} ({ClassName(cls)}) is not supported." };
        }
    }

    private static string ClassName(int cls) => cls switch
    {
        2 => "time",
        4 => "bitfield",
        5 => "opaque",
        6 => "compound",
        7 => "reference",
        8 => "enumeration",
        10 => "array",
        _ => "unknown",
    };

    /// <summary>Decodes the numeric elements of <paramref name="shape"/> into an array of <see cref="ArrayDType"/>.</summary>
    public NDArray ToArray(ReadOnlySpan<byte> raw, int[] shape, H5FileImage f, string what)
    {
        if (Unsupported is not null) throw f.Error($"{what}: {Unsupported}");
        if (!IsNumeric) throw f.Error($"{what} holds {(IsString ? "strings" : "non-numeric values")}, not numbers.");
        int count = ShapeUtil.Size(shape);
        if ((long)count * Size > raw.Length) throw f.Error($"{what}: {count} elements of {Size} bytes need more than the {raw.Length} bytes stored.");
        var dtype = ArrayDType;
        var storage = DTypes.Allocate(dtype, count);
        switch (storage)
        {
            case float[] a:
                for (int i = 0; i < count; i++)
                {
                    uint bits = BinaryPrimitives.ReadUInt32LittleEndian(raw.Slice(i * 4, 4));
                    a[i] = BitConverter.UInt32BitsToSingle(BigEndian ? BinaryPrimitives.ReverseEndianness(bits) : bits);
                }
                break;
            case double[] a:
                for (int i = 0; i < count; i++)
                {
                    ulong bits = BinaryPrimitives.ReadUInt64LittleEndian(raw.Slice(i * 8, 8));
                    a[i] = BitConverter.UInt64BitsToDouble(BigEndian ? BinaryPrimitives.ReverseEndianness(bits) : bits);
                }
                break;
            case byte[] a:
                raw[..count].CopyTo(a);
                break;
            case int[] a:
                for (int i = 0; i < count; i++) a[i] = (int)Integer(raw.Slice(i * Size, Size));
                break;
            case long[] a:
                for (int i = 0; i < count; i++)
                {
                    var e = raw.Slice(i * Size, Size);
                    long v = Integer(e);
                    if (!Signed && Size == 8 && v < 0) throw f.Error($"{what}: uint64 value {(ulong)v} does not fit the int64 array it is read into.");
                    a[i] = v;
                }
                break;
        }
        return new NDArray(storage, shape);
    }

    private long Integer(ReadOnlySpan<byte> e)
    {
        ulong v = 0;
        for (int k = 0; k < Size; k++) v |= (ulong)e[BigEndian ? Size - 1 - k : k] << (8 * k);
        if (Signed && Size < 8)
        {
            int shift = 64 - 8 * Size;
            return (long)(v << shift) >> shift;
        }
        return (long)v;
    }
}
