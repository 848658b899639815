using ResNetKeras.Engine;

namespace ResNetKeras.IO.Hdf5;

/// <summary>A group being built by <see cref="H5Writer"/>: child groups, datasets and attributes (h5py's <c>Group</c> in write mode).</summary>
public sealed class H5WriterGroup : H5WriterObject
{
    internal SortedDictionary<string, H5WriterObject> Children { get; } = new(StringComparer.Ordinal);

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

    /// <summary>
    /// Adds a contiguous dataset (<c>create_dataset(path, data=array)</c>); a '/' in <paramref name="path"/> creates
    /// intermediate groups, as Keras's weight names (<c>conv2d/kernel:0</c>) do.
    /// </summary>
    public H5WriterDataset CreateDataset(string path, NDArray data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var parts = Split(path);
        var g = parts.Length > 1 ? CreateGroup(string.Join('/', parts[..^1])) : this;
        if (g.Children.ContainsKey(parts[^1])) throw new ArgumentException($"H5Writer: '{path}' already exists.", nameof(path));
        var d = new H5WriterDataset(data);
        g.Children[parts[^1]] = d;
        return d;
    }

    private static string[] Split(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || parts.Any(p => p is "." or ".."))
            throw new ArgumentException($"H5Writer: invalid path '{path}'.", nameof(path));
        return parts;
    }
}
