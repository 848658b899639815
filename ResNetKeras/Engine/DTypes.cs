namespace ResNetKeras.Engine;

/// <summary>Facts about <see cref="DType"/> values.</summary>
public static class DTypes
{
    /// <summary>Bytes per element.</summary>
    public static int SizeOf(DType dtype) => dtype switch
    {
        DType.Float32 => 4,
        DType.Float64 => 8,
        DType.UInt8 => 1,
        DType.Int32 => 4,
        DType.Int64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype."),
    };

    /// <summary>NumPy's name for the type ("float32", "uint8", ...).</summary>
    public static string Name(DType dtype) => dtype switch
    {
        DType.Float32 => "float32",
        DType.Float64 => "float64",
        DType.UInt8 => "uint8",
        DType.Int32 => "int32",
        DType.Int64 => "int64",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype."),
    };

    /// <summary>Parses a NumPy/Keras dtype name ("float32", "uint8", ...).</summary>
    public static DType Parse(string name) => name switch
    {
        "float32" => DType.Float32,
        "float64" or "float" or "double" => DType.Float64,
        "uint8" => DType.UInt8,
        "int32" => DType.Int32,
        "int64" or "int" => DType.Int64,
        _ => throw new ArgumentException(
            $"Invalid value for argument `dtype`. Expected one of float32, float64, uint8, int32, int64. Received dtype={name}.",
            nameof(name)),
    };

    internal static Array Allocate(DType dtype, int size) => dtype switch
    {
        DType.Float32 => new float[size],
        DType.Float64 => new double[size],
        DType.UInt8 => new byte[size],
        DType.Int32 => new int[size],
        DType.Int64 => new long[size],
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype."),
    };

    internal static DType Of(Array storage) => storage switch
    {
        float[] => DType.Float32,
        double[] => DType.Float64,
        byte[] => DType.UInt8,
        int[] => DType.Int32,
        long[] => DType.Int64,
        _ => throw new ArgumentException($"Unsupported storage type {storage.GetType().Name}.", nameof(storage)),
    };

    internal static bool IsFloat(DType dtype) => dtype is DType.Float32 or DType.Float64;
}
