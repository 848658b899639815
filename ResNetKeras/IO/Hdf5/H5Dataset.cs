using ResNetKeras.Engine;

namespace ResNetKeras.IO.Hdf5;

/// <summary>A dataset of an HDF5 file (h5py's <c>Dataset</c>).</summary>
public sealed class H5Dataset
{
    private readonly H5Context context;
    private readonly DatatypeMessage type;
    private readonly DataspaceMessage space;
    private IReadOnlyDictionary<string, H5Attribute>? attributes;

    internal H5Dataset(H5Context context, string path, ulong address)
    {
        this.context = context;
        Path = path;
        Address = address;
        var f = context.File;
        var header = context.Header(address);
        var dt = header.First(HeaderMessage.Datatype) ?? throw f.Error($"'{path}' has no datatype message.");
        var ds = header.First(HeaderMessage.Dataspace) ?? throw f.Error($"'{path}' has no dataspace message.");
        type = DatatypeMessage.Read(dt.Body(f, $"datatype of '{path}'"));
        space = DataspaceMessage.Read(ds.Body(f, $"dataspace of '{path}'"));
        Shape = ToShape(f, space, path) ?? [0];
    }

    /// <summary>Full path.</summary>
    public string Path { get; }

    internal ulong Address { get; }

    /// <summary>Dimensions (<c>dataset.shape</c>; empty for a scalar).</summary>
    public int[] Shape { get; }

    /// <summary>The array type <see cref="Read"/> returns (int8/int16/uint16 widen to int32, uint32/uint64 to int64).</summary>
    public DType DType => type.ArrayDType;

    /// <summary>NumPy's <c>dataset.dtype.str</c> as h5py reports it: <c>&lt;f4</c>, <c>|u1</c>, <c>&gt;i4</c>, <c>|S5</c>, <c>|O</c>.</summary>
    public string TypeName => type.NumpyName;

    /// <summary>Whether the elements are strings (fixed- or variable-length).</summary>
    public bool IsString => type.IsString;

    /// <summary>How the data is stored: <c>contiguous</c>, <c>compact</c> or <c>chunked/&lt;index&gt;</c>.</summary>
    internal string Layout => context.Guard(() => DatasetStorage.LayoutDescription(context, context.Header(Address)));

    /// <summary>The dataset's attributes, in name order.</summary>
    public IReadOnlyDictionary<string, H5Attribute> Attributes => attributes ??= H5Attribute.All(context, Address, Path);

    /// <summary>The whole dataset as an array (<c>dataset[()]</c>).</summary>
    public NDArray Read() => context.Guard(() =>
    {
        var raw = DatasetStorage.ReadRaw(context, context.Header(Address), type, space, $"dataset '{Path}'");
        return type.ToArray(raw, Shape, context.File, $"dataset '{Path}'");
    });

    /// <summary>The elements of a string dataset, flattened in C order.</summary>
    public string[] ReadStrings() => context.Guard(() =>
    {
        if (!type.IsString) throw context.File.Error($"dataset '{Path}' holds numbers ({TypeName}), not strings.");
        var raw = DatasetStorage.ReadRaw(context, context.Header(Address), type, space, $"dataset '{Path}'");
        return StringDecoder.Decode(context, type, raw, space.ElementCount, $"dataset '{Path}'");
    });

    internal static int[]? ToShape(H5FileImage f, DataspaceMessage space, string what)
    {
        if (space.IsNull) return null;
        var shape = new int[space.Dimensions.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            if (space.Dimensions[i] > int.MaxValue) throw f.Error($"'{what}': dimension {space.Dimensions[i]} is too large.");
            shape[i] = (int)space.Dimensions[i];
        }
        if (space.ElementCount > int.MaxValue) throw f.Error($"'{what}': {space.ElementCount} elements are too many.");
        return shape;
    }
}
