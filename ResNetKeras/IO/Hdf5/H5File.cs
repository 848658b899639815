namespace ResNetKeras.IO.Hdf5;

/// <summary>
/// A managed HDF5 reader (h5py's <c>h5py.File(path, "r")</c>) for what h5py and libhdf5 1.10 write, with the
/// default library bounds and with <c>libver='latest'</c>: superblock versions 0 to 3; object headers 1 and 2;
/// symbol-table groups and compact or dense (fractal heap + v2 B-tree) link storage; contiguous, compact and chunked
/// datasets (v1 B-tree, single chunk, implicit, fixed array, extensible array and v2 B-tree chunk indexes) with the
/// deflate, shuffle and fletcher32 filters; attributes in the header and in dense storage; integer, float and
/// fixed- or variable-length string values. The file is read into memory once. A truncated or corrupted file raises
/// <see cref="InvalidDataException"/>, never another exception type.
/// </summary>
public sealed class H5File
{
    private H5File(H5Context context, H5Group root)
    {
        Context = context;
        Root = root;
    }

    internal H5Context Context { get; }

    /// <summary>The root group "/".</summary>
    public H5Group Root { get; }

    /// <summary>The path or name the file was opened from (used in error messages).</summary>
    public string Source => Context.File.Source;

    /// <summary>The superblock version: 0 (h5py's default), 2 or 3 (<c>libver='latest'</c>).</summary>
    public int SuperblockVersion => Context.Superblock.Version;

    /// <summary>Opens a file and reads it into memory.</summary>
    public static H5File Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Parse(System.IO.File.ReadAllBytes(path), path);
    }

    /// <summary>Parses a file image held in memory.</summary>
    public static H5File Parse(byte[] data, string source = "HDF5 data")
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(source);
        var image = new H5FileImage(data, source);
        return H5Context.Guard(source, () =>
        {
            var superblock = Superblock.Read(image);
            if (superblock.BaseAddress != 0 && superblock.BaseAddress != superblock.Location)
                throw image.Error($"base address {superblock.BaseAddress} differs from the superblock's location {superblock.Location}; such files are not supported.");
            image.BaseAddress = superblock.Location;
            // libhdf5 stores the end-of-file address counting the user block too (it equals the file size).
            if (superblock.EndOfFileAddress != H5FileImage.Undefined && superblock.EndOfFileAddress > image.Length)
                throw image.Error($"the file is truncated: the superblock gives its end at byte {superblock.EndOfFileAddress} but it has {image.Length} bytes.");
            var context = new H5Context(image, superblock);
            context.Header(superblock.RootObjectHeaderAddress);
            return new H5File(context, new H5Group(context, "/", superblock.RootObjectHeaderAddress));
        });
    }
}
