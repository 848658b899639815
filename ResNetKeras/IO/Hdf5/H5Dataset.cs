using ResNetKeras.Engine;

namespace ResNetKeras.IO.Hdf5;

/// <summary>A dataset of an HDF5 file (h5py's <c>Dataset</c>).</summary>
public sealed class H5Dataset
{
    private readonly H5ObjectReader reader;
    private readonly H5Datatype type;

    internal H5Dataset(H5ObjectReader reader, string path, ulong address)
    {
        this.reader = reader;
        Path = path;
        Address = address;
        (type, Shape) = reader.DatasetInfo(address);
    }

    /// <summary>Full path.</summary>
    public string Path { get; }

    internal ulong Address { get; }

    /// <summary>Dimensions (empty for a scalar).</summary>
    public int[] Shape { get; }

    /// <summary>Element type as read.</summary>
    public DType DType => type.ToDType(reader.Buffer);

    /// <summary>The whole dataset as an array (<c>dataset[()]</c>).</summary>
    public NDArray Read()
    {
        var raw = reader.DatasetBytes(Address, type, Shape);
        return type.ToArray(reader.Buffer, raw, Shape);
    }

    /// <summary>String elements of a string dataset.</summary>
    public string[] ReadStrings()
    {
        var raw = reader.DatasetBytes(Address, type, Shape);
        var b = new H5Buffer(raw, reader.Buffer.Source);
        var r = new H5ObjectReader(b);
        if (type.Class == H5Datatype.String) return r.ReadStrings(type, ShapeUtil.Size(Shape), 0, (ulong)raw.Length);
        throw new InvalidDataException($"{reader.Buffer.Source}: '{Path}' is not a fixed-length string dataset.");
    }
}
