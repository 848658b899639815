namespace ResNetKeras.IO.Hdf5;

/// <summary>One open file: its image, superblock and the structures already decoded (object headers, global heaps).</summary>
internal sealed class H5Context
{
    private readonly Dictionary<ulong, ObjectHeader> headers = new();
    private readonly Dictionary<ulong, GlobalHeapCollection> globalHeaps = new();
    private readonly object gate = new();

    public H5Context(H5FileImage file, Superblock superblock)
    {
        File = file;
        Superblock = superblock;
    }

    public H5FileImage File { get; }

    public Superblock Superblock { get; }

    public ObjectHeader Header(ulong address)
    {
        lock (gate)
        {
            if (!headers.TryGetValue(address, out var h)) headers[address] = h = ObjectHeader.Read(File, address);
            return h;
        }
    }

    public GlobalHeapCollection GlobalHeap(ulong address)
    {
        lock (gate)
        {
            if (!globalHeaps.TryGetValue(address, out var g)) globalHeaps[address] = g = GlobalHeapCollection.Read(File, address);
            return g;
        }
    }

    /// <summary>
    /// Runs a read, turning anything but the documented exceptions into <see cref="InvalidDataException"/>: every
    /// structure is bounds-checked, so this only backs up that guarantee for arithmetic on corrupted values.
    /// </summary>
    public T Guard<T>(Func<T> read) => Guard(File.Source, read);

    private static int guardConversions;

    /// <summary>How many exceptions the guard had to convert (tests require none: every check is explicit).</summary>
    internal static int GuardConversions => Volatile.Read(ref guardConversions);

    public static T Guard<T>(string source, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is OverflowException or IndexOutOfRangeException or ArgumentException or InvalidCastException
                                      or System.Text.DecoderFallbackException or InvalidOperationException or NullReferenceException or DivideByZeroException)
        {
            Interlocked.Increment(ref guardConversions);
            throw new InvalidDataException($"{source}: corrupted structure ({e.GetType().Name}: {e.Message}).", e);
        }
    }
}
