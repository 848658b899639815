namespace ResNetKeras.IO.Hdf5;

/// <summary>A group of an HDF5 file (h5py's <c>Group</c>): named children (groups or datasets) and attributes.</summary>
public sealed class H5Group
{
    private readonly H5Context context;
    private Dictionary<string, ulong>? links;
    private IReadOnlyList<string>? keys;
    private IReadOnlyDictionary<string, H5Attribute>? attributes;

    internal H5Group(H5Context context, string path, ulong address)
    {
        this.context = context;
        Path = path;
        Address = address;
    }

    /// <summary>Full path, e.g. <c>/model_weights/conv2d</c>.</summary>
    public string Path { get; }

    internal ulong Address { get; }

    private Dictionary<string, ulong> Links
    {
        get
        {
            if (links is null)
            {
                var list = context.Guard(() => GroupLinks.Read(context, context.Header(Address)));
                keys = list.Select(l => l.Name).ToList();
                links = list.ToDictionary(l => l.Name, l => l.Target, StringComparer.Ordinal);
            }
            return links;
        }
    }

    /// <summary>Child names as h5py's <c>keys()</c> lists them: in name order, or in creation order for a <c>track_order</c> group.</summary>
    public IReadOnlyList<string> Keys
    {
        get
        {
            _ = Links;
            return keys!;
        }
    }

    /// <summary>Attributes by name, listed as h5py's <c>attrs</c> lists them (name order, or creation order when tracked).</summary>
    public IReadOnlyDictionary<string, H5Attribute> Attributes =>
        attributes ??= H5Attribute.All(context, Address, Path);

    /// <summary>The child groups, in name order.</summary>
    public IEnumerable<H5Group> Groups => Keys.Where(IsGroupChild).Select(Group);

    /// <summary>The child datasets, in name order.</summary>
    public IEnumerable<H5Dataset> Datasets => Keys.Where(k => !IsGroupChild(k)).Select(Dataset);

    /// <summary>Whether a child (or a path of children separated by '/') exists.</summary>
    public bool Contains(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var parts = name.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var g = this;
        for (int i = 0; i < parts.Length; i++)
        {
            if (!g.Links.TryGetValue(parts[i], out ulong address)) return false;
            if (i == parts.Length - 1) return true;
            if (!IsGroupAt(address)) return false;
            g = new H5Group(context, Combine(g.Path, parts[i]), address);
        }
        return true;
    }

    /// <summary>The child group at a name or relative path (<c>group[name]</c>).</summary>
    public H5Group Group(string name)
    {
        ulong address = Resolve(name, out var path);
        if (!IsGroupAt(address)) throw new InvalidDataException($"{context.File.Source}: '{path}' is a dataset, not a group.");
        return new H5Group(context, path, address);
    }

    /// <summary>The child dataset at a name or relative path (<c>group[name]</c>).</summary>
    public H5Dataset Dataset(string name)
    {
        ulong address = Resolve(name, out var path);
        if (IsGroupAt(address)) throw new InvalidDataException($"{context.File.Source}: '{path}' is a group, not a dataset.");
        return context.Guard(() => new H5Dataset(context, path, address));
    }

    /// <summary>Whether the child at a name or relative path is a group.</summary>
    public bool IsGroupChild(string name) => IsGroupAt(Resolve(name, out _));

    private bool IsGroupAt(ulong address) => context.Guard(() =>
    {
        var h = context.Header(address);
        return h.First(HeaderMessage.SymbolTable) is not null || h.First(HeaderMessage.LinkInfo) is not null
            || h.First(HeaderMessage.Link) is not null || h.First(HeaderMessage.DataLayout) is null;
    });

    private static string Combine(string a, string b) => a == "/" ? "/" + b : a + "/" + b;

    private ulong Resolve(string name, out string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var parts = name.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) throw new ArgumentException($"'{name}' names no child.", nameof(name));
        var g = this;
        ulong address = Address;
        path = Path;
        foreach (var part in parts)
        {
            if (!g.Links.TryGetValue(part, out address))
                throw new KeyError($"{context.File.Source}: '{g.Path}' has no object named '{part}' (children: {string.Join(", ", g.Keys.Take(20))}{(g.Keys.Count > 20 ? ", ..." : "")}).");
            path = Combine(path, part);
            g = new H5Group(context, path, address);
        }
        return address;
    }

    /// <summary>A missing child (h5py raises KeyError).</summary>
    public sealed class KeyError(string message) : KeyNotFoundException(message);
}
