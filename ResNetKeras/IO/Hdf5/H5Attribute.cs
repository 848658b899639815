using ResNetKeras.Engine;

namespace ResNetKeras.IO.Hdf5;

/// <summary>An attribute of a group or dataset (h5py's <c>attrs[name]</c>).</summary>
public sealed class H5Attribute
{
    private readonly H5Context context;
    private readonly AttributeMessage message;

    private H5Attribute(H5Context context, AttributeMessage message, string owner)
    {
        this.context = context;
        this.message = message;
        Owner = owner;
        Shape = H5Dataset.ToShape(context.File, message.Space, $"{owner}@{message.Name}");
    }

    internal static IReadOnlyDictionary<string, H5Attribute> All(H5Context context, ulong address, string owner) => context.Guard(() =>
    {
        var result = new OrderedDictionary<string, H5Attribute>(StringComparer.Ordinal);
        foreach (var m in AttributeTable.Read(context, context.Header(address))) result[m.Name] = new H5Attribute(context, m, owner);
        return (IReadOnlyDictionary<string, H5Attribute>)result;
    });

    /// <summary>Attribute name.</summary>
    public string Name => message.Name;

    /// <summary>Path of the group or dataset the attribute belongs to.</summary>
    public string Owner { get; }

    /// <summary>Dimensions; empty for a scalar; null for an empty (null-dataspace, h5py <c>Empty</c>) attribute.</summary>
    public int[]? Shape { get; }

    /// <summary>Number of elements.</summary>
    public int Count => Shape is null ? 0 : ShapeUtil.Size(Shape);

    /// <summary>Whether the elements are strings (fixed- or variable-length).</summary>
    public bool IsString => message.Type.IsString;

    /// <summary>NumPy's <c>dtype.str</c> as h5py reports it (<c>|O</c> for variable-length strings).</summary>
    public string TypeName => message.Type.NumpyName;

    /// <summary>The array type <see cref="ReadArray"/> returns.</summary>
    public DType DType => message.Type.ArrayDType;

    private string What => $"attribute '{Name}' of '{Owner}'";

    private ReadOnlySpan<byte> Raw(ulong count)
    {
        ulong bytes = count * (ulong)message.Type.Size;
        ulong available = message.DataEnd - message.DataStart;
        if (count > int.MaxValue || bytes > available)
            throw context.File.Error($"{What}: {count} elements of {message.Type.Size} bytes need more than the {available} bytes stored.");
        return context.File.Span(message.DataStart, bytes);
    }

    /// <summary>String elements (UTF-8 decoded); an empty numeric attribute (Keras's empty <c>weight_names</c>) gives none.</summary>
    public string[] ReadStrings() => context.Guard(() =>
    {
        if (Count == 0) return [];
        if (!IsString) throw context.File.Error($"{What} holds numbers ({TypeName}), not strings.");
        return StringDecoder.Decode(context, message.Type, Raw((ulong)Count), (ulong)Count, What);
    });

    /// <summary>The single string of a scalar (or one-element) string attribute.</summary>
    public string ReadString()
    {
        var s = ReadStrings();
        return s.Length == 1 ? s[0] : throw new InvalidDataException($"{context.File.Source}: {What} holds {s.Length} strings, not one.");
    }

    /// <summary>Numeric elements as an array (an empty attribute gives shape (0,)).</summary>
    public NDArray ReadArray() => context.Guard(() =>
    {
        if (IsString) throw context.File.Error($"{What} holds strings, not numbers.");
        var shape = Shape ?? [0];
        return message.Type.ToArray(Raw((ulong)ShapeUtil.Size(shape)), shape, context.File, What);
    });
}
