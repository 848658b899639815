namespace ResNetKeras.Engine;

/// <summary>Element type of an <see cref="NDArray"/> (NumPy's dtype names in comments).</summary>
public enum DType
{
    /// <summary>float32, the type of every tensor the engine differentiates.</summary>
    Float32,
    /// <summary>float64, for NumPy files and statistics that need the precision.</summary>
    Float64,
    /// <summary>uint8, how image data (CIFAR-10) arrives.</summary>
    UInt8,
    /// <summary>int32.</summary>
    Int32,
    /// <summary>int64, NumPy's default integer type.</summary>
    Int64,
}
