namespace ResNetKeras.IO.Hdf5;

/// <summary>
/// Object header (spec IV.A.1): version 1 (8-byte aligned messages, continuation chunks without signature) and
/// version 2 ("OHDR", checksummed chunks, continuation chunks "OCHK"). The messages describe a group or dataset.
/// </summary>
internal sealed partial class ObjectHeader
{
    public int Version { get; init; }

    /// <summary>Version 2 flag bit 2: attribute creation order is tracked (h5py's <c>track_order=True</c>).</summary>
    public bool AttributeCreationOrderTracked { get; private set; }

    public List<HeaderMessage> Messages { get; } = new();

    public HeaderMessage? First(ushort type)
    {
        foreach (var m in Messages) if (m.Type == type) return m;
        return null;
    }

    public IEnumerable<HeaderMessage> All(ushort type) => Messages.Where(m => m.Type == type);
}

/// <summary>One header message: its type (spec IV.A.2), flags and the physical range of its body.</summary>
internal readonly record struct HeaderMessage(ushort Type, byte Flags, ulong Start, ulong Size, long CreationOrder = -1)
{
    public const ushort Nil = 0x00;
    public const ushort Dataspace = 0x01;
    public const ushort LinkInfo = 0x02;
    public const ushort Datatype = 0x03;
    public const ushort FillValue = 0x05;
    public const ushort Link = 0x06;
    public const ushort DataLayout = 0x08;
    public const ushort GroupInfo = 0x0A;
    public const ushort FilterPipeline = 0x0B;
    public const ushort Attribute = 0x0C;
    public const ushort Continuation = 0x10;
    public const ushort SymbolTable = 0x11;
    public const ushort AttributeInfo = 0x15;

    /// <summary>Flag bit 1: the body is a reference to a shared message elsewhere.</summary>
    public bool IsShared => (Flags & 0x02) != 0;

    public H5Cursor Body(H5FileImage f, string what)
    {
        if (IsShared) throw f.Error($"{what} is a shared (committed) message, which is not supported.");
        return f.Range(Start, Start + Size, what);
    }
}
