using ResNetKeras.Engine;

namespace ResNetKeras.IO.Hdf5;

/// <summary>A group being built by <see cref="H5Writer"/>: child groups, datasets and attributes.</summary>
public sealed class H5WriterGroup
{
    internal SortedDictionary<string, object> Children { get; } = new(StringComparer.Ordinal);
    internal List<(string Name, object Value)> Attributes { get; } = new();

    /// <summary>The child group <paramref name="name"/> (created if missing); '/' separates nested groups.</summary>
    public H5WriterGroup CreateGroup(string name)
    {
        var g = this;
        foreach (var part in Split(name))
        {
            if (!g.Children.TryGetValue(part, out var child))
                g.Children[part] = child = new H5WriterGroup();
            g = child as H5WriterGroup ?? throw new ArgumentException($"H5Writer: '{part}' already exists as a dataset.", nameof(name));
        }
        return g;
    }

    /// <summary>Adds a contiguous dataset; a '/' in <paramref name="path"/> creates intermediate groups (as Keras's weight names do).</summary>
    public void CreateDataset(string path, NDArray data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var parts = Split(path);
        var g = parts.Length > 1 ? CreateGroup(string.Join('/', parts[..^1])) : this;
        if (g.Children.ContainsKey(parts[^1])) throw new ArgumentException($"H5Writer: '{path}' already exists.", nameof(path));
        g.Children[parts[^1]] = data;
    }

    /// <summary>A scalar variable-length UTF-8 string attribute (what h5py 3 writes for a Python str).</summary>
    public void SetAttribute(string name, string value) => Attributes.Add((CheckName(name), value ?? throw new ArgumentNullException(nameof(value))));

    /// <summary>A fixed-length, NUL-padded string array attribute (NumPy's <c>S</c> dtype); an empty list is stored as an empty float64 array, as Keras does.</summary>
    public void SetAttribute(string name, IReadOnlyList<string> values) =>
        Attributes.Add((CheckName(name), values.Count == 0 ? NDArray.Zeros([0], DType.Float64) : (object)values.ToArray()));

    /// <summary>A numeric array attribute.</summary>
    public void SetAttribute(string name, NDArray values) => Attributes.Add((CheckName(name), values ?? throw new ArgumentNullException(nameof(values))));

    private static string CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return name;
    }

    private static string[] Split(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) throw new ArgumentException($"H5Writer: invalid path '{path}'.", nameof(path));
        return parts;
    }
}
