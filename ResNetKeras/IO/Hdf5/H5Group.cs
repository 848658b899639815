namespace ResNetKeras.IO.Hdf5;

/// <summary>A group of an HDF5 file (h5py's <c>Group</c>): named children (groups or datasets) and attributes.</summary>
public sealed class H5Group
{
    private readonly H5ObjectReader reader;
    private SortedDictionary<string, ulong>? links;
    private Dictionary<string, H5Attribute>? attributes;

    internal H5Group(H5ObjectReader reader, string path, ulong address)
    {
        this.reader = reader;
        Path = path;
        Address = address;
    }

    /// <summary>Full path, e.g. <c>/model_weights/conv2d</c>.</summary>
    public string Path { get; }

    internal ulong Address { get; }

    private SortedDictionary<string, ulong> Links => links ??= reader.Links(Address);

    /// <summary>Child names in name order.</summary>
    public IReadOnlyList<string> Keys => Links.Keys.ToList();

    /// <summary>Attributes by name.</summary>
    public IReadOnlyDictionary<string, H5Attribute> Attributes => attributes ??= reader.Attributes(Address);

    /// <summary>Whether a child (or a path of children separated by '/') exists.</summary>
    public bool Contains(string name)
    {
        var parts = name.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var g = this;
        for (int i = 0; i < parts.Length; i++)
        {
            if (!g.Links.TryGetValue(parts[i], out ulong addr)) return false;
            if (i == parts.Length - 1) return true;
            if (!g.IsGroup(addr)) return false;
            g = new H5Group(reader, Combine(g.Path, parts[i]), addr);
        }
        return true;
    }

    private bool IsGroup(ulong address)
    {
        var h = reader.Header(address);
        return h.First(0x11) is not null || h.First(0x02) is not null || h.First(0x06) is not null || h.First(0x08) is null;
    }

    private static string Combine(string a, string b) => a == "/" ? "/" + b : a + "/" + b;

    private ulong Resolve(string name, out string path)
    {
        var parts = name.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var g = this;
        ulong addr = Address;
        path = Path;
        foreach (var part in parts)
        {
            if (!g.Links.TryGetValue(part, out addr))
                throw new KeyError($"{g.Path}: no object named '{part}' (children: {string.Join(", ", g.Keys.Take(20))}).");
            path = Combine(path, part);
            g = new H5Group(reader, path, addr);
        }
        return addr;
    }

    /// <summary>The child group at a name or relative path.</summary>
    public H5Group Group(string name)
    {
        ulong addr = Resolve(name, out var path);
        if (!IsGroup(addr)) throw new InvalidDataException($"{reader.Buffer.Source}: '{path}' is a dataset, not a group.");
        return new H5Group(reader, path, addr);
    }

    /// <summary>The child dataset at a name or relative path.</summary>
    public H5Dataset Dataset(string name)
    {
        ulong addr = Resolve(name, out var path);
        if (IsGroup(addr)) throw new InvalidDataException($"{reader.Buffer.Source}: '{path}' is a group, not a dataset.");
        return new H5Dataset(reader, path, addr);
    }

    /// <summary>Whether the child is a group.</summary>
    public bool IsGroupChild(string name) => IsGroup(Resolve(name, out _));

    /// <summary>A missing child (h5py raises KeyError).</summary>
    public sealed class KeyError(string message) : KeyNotFoundException(message);
}
