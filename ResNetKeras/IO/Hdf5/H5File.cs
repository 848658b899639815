namespace ResNetKeras.IO.Hdf5;

/// <summary>
/// A managed HDF5 reader for what h5py/libhdf5 write for Keras files: superblock versions 0, 2 and 3; object
/// headers 1 and 2; symbol-table groups, compact and dense (fractal heap + v2 B-tree) link storage; contiguous,
/// compact and chunked datasets (v1 B-tree, single-chunk, implicit and fixed-array indexes; deflate and shuffle);
/// compact and dense attributes with fixed- and variable-length strings. Corrupt or truncated files raise
/// <see cref="InvalidDataException"/>.
/// </summary>
public sealed class H5File
{
    private H5File(H5Buffer buffer, H5Group root)
    {
        Buffer = buffer;
        Root = root;
    }

    internal H5Buffer Buffer { get; }

    /// <summary>The root group "/".</summary>
    public H5Group Root { get; }

    /// <summary>Opens and indexes a file (it is read into memory once).</summary>
    public static H5File Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Parse(File.ReadAllBytes(path), path);
    }

    /// <summary>Parses an in-memory file.</summary>
    public static H5File Parse(byte[] data, string source = "HDF5 data")
    {
        ArgumentNullException.ThrowIfNull(data);
        var b = new H5Buffer(data, source);
        try
        {
            ulong sb = FindSuperblock(b);
            byte version = b.U8(sb + 8);
            ulong rootAddress;
            switch (version)
            {
                case 0:
                case 1:
                {
                    if (b.U8(sb + 13) != 8 || b.U8(sb + 14) != 8) throw b.Error("only 8-byte offsets and lengths are supported.");
                    ulong p = sb + 24 + (version == 1 ? 4UL : 0UL);
                    ulong baseAddress = b.U64(p);
                    if (baseAddress != 0 && baseAddress != sb) throw b.Error("a non-zero base address is not supported.");
                    rootAddress = b.U64(p + 32 + 8);
                    break;
                }
                case 2:
                case 3:
                    if (b.U8(sb + 9) != 8 || b.U8(sb + 10) != 8) throw b.Error("only 8-byte offsets and lengths are supported.");
                    rootAddress = b.U64(sb + 36);
                    break;
                default:
                    throw b.Error($"superblock version {version} is not supported (expected 0, 1, 2 or 3).");
            }
            var reader = new H5ObjectReader(b);
            return new H5File(b, new H5Group(reader, "/", rootAddress));
        }
        catch (InvalidDataException) { throw; }
        catch (Exception e) when (e is OverflowException or ArgumentException or IndexOutOfRangeException or InvalidOperationException or NotSupportedException)
        {
            throw b.Error($"corrupted structure ({e.Message}).");
        }
    }

    private static ulong FindSuperblock(H5Buffer b)
    {
        for (ulong o = 0; o + 8 <= (ulong)b.Length; o = o == 0 ? 512 : o * 2)
            if (b.Signature(o, "\u0089HDF\r\n\u001a\n")) return o;
        throw b.Error("not an HDF5 file (no superblock signature).");
    }
}
