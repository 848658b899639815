using ResNetKeras.Engine;

namespace ResNetKeras.IO.Hdf5;

/// <summary>
/// Datatype message 0x0003 (spec IV.A.2.d). Decoded fully for fixed-point integers (1, 2, 4, 8 bytes, signed or
/// not, either byte order), IEEE floats (4 and 8 bytes), fixed-length strings and variable-length strings; other
/// classes are recognised so their objects can be listed, and refused when their values are read.
/// </summary>
internal sealed partial class DatatypeMessage
{
    public const int FixedPoint = 0;
    public const int FloatingPoint = 1;
    public const int String = 3;
    public const int VariableLength = 9;

    /// <summary>Largest element this reader accepts (a guard against corrupted sizes).</summary>
    public const int MaxSize = 1 << 24;

    public int Class { get; init; }

    public int Size { get; init; }

    public bool BigEndian { get; init; }

    public bool Signed { get; init; }

    /// <summary>Strings: 0 NUL-terminated, 1 NUL-padded, 2 space-padded.</summary>
    public int StringPadding { get; init; }

    /// <summary>Strings: 0 ASCII, 1 UTF-8.</summary>
    public int CharacterSet { get; init; }

    /// <summary>Variable-length: true for a string, false for a sequence.</summary>
    public bool IsVariableLengthString { get; init; }

    /// <summary>Why values of this type cannot be decoded; null when they can.</summary>
    public string? Unsupported { get; init; }

    public bool IsString => Class == String || (Class == VariableLength && IsVariableLengthString);

    public bool IsNumeric => Class is FixedPoint or FloatingPoint;

    /// <summary>NumPy's <c>dtype.str</c> for this type as h5py maps it: <c>&lt;f4</c>, <c>|u1</c>, <c>|S5</c>, <c>|O</c>.</summary>
    public string NumpyName => Class switch
    {
        FixedPoint => (Size == 1 ? "|" : BigEndian ? ">" : "<") + (Signed ? "i" : "u") + Size,
        FloatingPoint => (BigEndian ? ">" : "<") + "f" + Size,
        String => "|S" + Size,
        VariableLength when IsVariableLengthString => "|O",
        _ => $"class{Class}",
    };

    /// <summary>
    /// The array type values are read into: float32/float64/uint8/int32/int64 as stored; int8, int16 and uint16
    /// widen to int32, uint32 and uint64 to int64 (a uint64 above 2^63-1 is refused when read).
    /// </summary>
    public DType ArrayDType => Class switch
    {
        FloatingPoint => Size == 4 ? DType.Float32 : DType.Float64,
        FixedPoint when Size == 1 && !Signed => DType.UInt8,
        FixedPoint when Size < 4 || (Size == 4 && Signed) => DType.Int32,
        _ => DType.Int64,
    };
}
