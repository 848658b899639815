namespace ResNetKeras.IO.Hdf5;

/// <summary>Bounds that keep a corrupted file from asking for absurd amounts of memory.</summary>
internal static class Hdf5Limits
{
    /// <summary>
    /// The most bytes a dataset or chunk may decode to: deflate inflates at most about 1032:1, so 1100 times the file
    /// (at least 16 MiB, for small files holding large unwritten datasets), and never past the largest .NET array.
    /// </summary>
    public static ulong MaxDecodedBytes(H5FileImage f) => Math.Min((ulong)Array.MaxLength, Math.Max(16UL << 20, f.Length * 1100));
}
