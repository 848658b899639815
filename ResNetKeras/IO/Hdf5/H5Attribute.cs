using ResNetKeras.Engine;

namespace ResNetKeras.IO.Hdf5;

/// <summary>An attribute of a group or dataset (h5py's <c>attrs[name]</c>).</summary>
public sealed class H5Attribute
{
    private readonly H5ObjectReader reader;
    private readonly H5Datatype type;
    private readonly ulong data, end;

    internal H5Attribute(H5ObjectReader reader, string name, H5Datatype type, int[]? shape, ulong data, ulong end)
    {
        this.reader = reader;
        this.type = type;
        Name = name;
        Shape = shape;
        this.data = data;
        this.end = end;
    }

    /// <summary>Attribute name.</summary>
    public string Name { get; }

    /// <summary>Dimensions; empty for a scalar; null for an empty (null-dataspace) attribute.</summary>
    public int[]? Shape { get; }

    /// <summary>Number of elements.</summary>
    public int Count => Shape is null ? 0 : ShapeUtil.Size(Shape);

    /// <summary>Whether the elements are strings (fixed- or variable-length).</summary>
    public bool IsString => type.Class == H5Datatype.String || (type.Class == H5Datatype.VariableLength && type.VariableString);

    /// <summary>String elements (UTF-8 decoded); an empty numeric attribute (Keras's empty <c>weight_names</c>) gives none.</summary>
    public string[] ReadStrings()
    {
        if (Count == 0) return [];
        if (!IsString) throw new InvalidDataException($"{reader.Buffer.Source}: attribute '{Name}' holds numbers, not strings.");
        return reader.ReadStrings(type, Count, data, end);
    }

    /// <summary>The single string of a scalar string attribute.</summary>
    public string ReadString()
    {
        var s = ReadStrings();
        return s.Length == 1 ? s[0] : throw new InvalidDataException($"{reader.Buffer.Source}: attribute '{Name}' holds {s.Length} strings, not one.");
    }

    /// <summary>Numeric elements as an array.</summary>
    public NDArray ReadArray()
    {
        if (IsString) throw new InvalidDataException($"{reader.Buffer.Source}: attribute '{Name}' holds strings, not numbers.");
        var shape = Shape ?? [0];
        long bytes = (long)ShapeUtil.Size(shape) * type.Size;
        if (data + (ulong)bytes > end) throw new InvalidDataException($"{reader.Buffer.Source}: attribute '{Name}' data overruns its message.");
        return type.ToArray(reader.Buffer, reader.Buffer.Span(data, (ulong)bytes), shape);
    }
}
