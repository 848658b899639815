using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using ResNetKeras.Engine;

namespace ResNetKeras.IO;

/// <summary>
/// NumPy's <c>.npy</c> (format versions 1.0, 2.0, 3.0) and <c>.npz</c> (zip, stored or deflated) files
/// (<c>np.save</c>, <c>np.load</c>, <c>np.savez</c>, <c>np.savez_compressed</c>): float32, float64, uint8, int32
/// and int64, C order, little-endian. Fortran order, big-endian, object (pickled) arrays and other dtypes are
/// refused with <see cref="InvalidDataException"/>, as are truncated or corrupted files. Files are written to a
/// temporary name and renamed into place.
/// </summary>
public static class Npy
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>The longest header accepted (NumPy itself refuses headers over 10,000 bytes by default).</summary>
    private const int MaxHeaderLength = 1 << 20;

    /// <summary><c>np.load(path)</c> of a .npy file.</summary>
    public static NDArray Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var s = File.OpenRead(path);
        return Read(s, path);
    }

    /// <summary>Reads one array from a stream (<c>np.lib.format.read_array</c>).</summary>
    public static NDArray Read(Stream stream, string source = "stream")
    {
        ArgumentNullException.ThrowIfNull(stream);
        var pre = ReadExactly(stream, 8, source, "magic string and version");
        if (!pre.AsSpan(0, 6).SequenceEqual(Magic)) throw new InvalidDataException($"{source}: not a NumPy .npy file (bad magic string).");
        int major = pre[6], minor = pre[7];
        uint headerLength = major switch
        {
            1 when minor == 0 => BinaryPrimitives.ReadUInt16LittleEndian(ReadExactly(stream, 2, source, "header length")),
            2 or 3 when minor == 0 => BinaryPrimitives.ReadUInt32LittleEndian(ReadExactly(stream, 4, source, "header length")),
            _ => throw new InvalidDataException($"{source}: unsupported .npy format version {major}.{minor}; expected 1.0, 2.0 or 3.0."),
        };
        if (headerLength > MaxHeaderLength) throw new InvalidDataException($"{source}: header length {headerLength} is implausibly large.");
        var headerBytes = ReadExactly(stream, (int)headerLength, source, "header");
        string text;
        try { text = (major == 3 ? new UTF8Encoding(false, throwOnInvalidBytes: true) : Encoding.Latin1).GetString(headerBytes); }
        catch (DecoderFallbackException) { throw new InvalidDataException($"{source}: the format 3.0 header is not valid UTF-8."); }
        var header = NpyHeader.Parse(text.TrimEnd('\n', ' ', '\0'), source);
        var dtype = header.DType(source);
        if (header.FortranOrder)
            throw new InvalidDataException($"{source}: Fortran-order arrays are not supported; save the array in C order (np.ascontiguousarray(array)) first.");
        long count = 1;
        foreach (int d in header.Shape)
        {
            count *= d;
            if (count > Array.MaxLength) throw new InvalidDataException($"{source}: shape {ShapeUtil.Format(header.Shape)} has too many elements.");
        }
        long bytes = count * DTypes.SizeOf(dtype);
        if (bytes > Array.MaxLength || (stream.CanSeek && bytes > stream.Length - stream.Position))
            throw new InvalidDataException($"{source}: the data is truncated: shape {ShapeUtil.Format(header.Shape)} of {DTypes.Name(dtype)} needs {bytes} bytes{(stream.CanSeek ? $", {stream.Length - stream.Position} remain" : "")}.");
        var array = NDArrays.Zeros(header.Shape, dtype);
        try { ReadExactly(stream, array.WriteBytes(), source, "array data"); }
        catch { array.Dispose(); throw; }
        return array;
    }

    private static byte[] ReadExactly(Stream s, int n, string source, string what)
    {
        var b = new byte[n];
        ReadExactly(s, b, source, what);
        return b;
    }

    private static void ReadExactly(Stream s, Span<byte> b, string source, string what)
    {
        int n = b.Length, read = 0;
        try
        {
            while (read < n)
            {
                int r = s.Read(b[read..]);
                if (r <= 0) throw new InvalidDataException($"{source}: the file ends inside the {what} ({read} of {n} bytes).");
                read += r;
            }
        }
        catch (IOException e)
        {
            throw new InvalidDataException($"{source}: reading the {what} failed: {e.Message}", e);
        }
    }

    /// <summary><c>np.save(path, array)</c> (format 1.0, or 2.0 when the header needs it); atomic.</summary>
    public static void Save(string path, NDArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        AtomicFile.Write(path, s => Write(s, array));
    }

    /// <summary>Writes one array to a stream, byte for byte as <c>np.save</c> does.</summary>
    public static void Write(Stream stream, NDArray array)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(array);
        string dict = new NpyHeader(NpyHeader.Descriptor(array.DType), false, array.IntShape).Format();
        // The header ends with '\n' and is padded with spaces so the data starts at a multiple of 64 bytes.
        bool v2 = dict.Length + 1 + 10 > ushort.MaxValue;
        int pre = v2 ? 12 : 10;
        int total = (pre + dict.Length + 1 + 63) / 64 * 64;
        var header = dict.PadRight(total - pre - 1) + "\n";
        stream.Write(Magic);
        stream.Write([(byte)(v2 ? 2 : 1), 0]);
        var lenBytes = new byte[v2 ? 4 : 2];
        if (v2) BinaryPrimitives.WriteUInt32LittleEndian(lenBytes, (uint)header.Length);
        else BinaryPrimitives.WriteUInt16LittleEndian(lenBytes, (ushort)header.Length);
        stream.Write(lenBytes);
        stream.Write(Encoding.Latin1.GetBytes(header));
        stream.Write(array.ReadBytes());
    }

    /// <summary><c>np.load(path)</c> of a .npz archive: name (without .npy) → array, in archive order.</summary>
    public static IReadOnlyDictionary<string, NDArray> LoadNpz(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var s = File.OpenRead(path);
        return ReadNpz(s, path);
    }

    /// <summary>Reads a .npz archive from a seekable stream.</summary>
    public static IReadOnlyDictionary<string, NDArray> ReadNpz(Stream stream, string source = "stream")
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            var result = new OrderedDictionary<string, NDArray>(StringComparer.Ordinal);
            long budget = Math.Max(64L << 20, (stream.CanSeek ? stream.Length : 0) * 1100);
            foreach (var e in zip.Entries)
            {
                string name = e.FullName.EndsWith(".npy", StringComparison.Ordinal) ? e.FullName[..^4] : e.FullName;
                string where = $"{source}:{e.FullName}";
                if (e.Length > Array.MaxLength || e.Length > budget)
                    throw new InvalidDataException($"{where}: member of {e.Length} bytes is larger than this archive could hold.");
                budget -= e.Length;
                var data = new byte[e.Length];
                try
                {
                    using var es = e.Open();
                    int read = 0;
                    while (read < data.Length)
                    {
                        int r = es.Read(data, read, data.Length - read);
                        if (r <= 0) throw new InvalidDataException($"{where}: member ends after {read} of {data.Length} bytes.");
                        read += r;
                    }
                }
                catch (Exception ex) when (ex is IOException or NotSupportedException || (ex is InvalidDataException && !ex.Message.StartsWith(where, StringComparison.Ordinal)))
                {
                    throw new InvalidDataException($"{where}: member is corrupted: {ex.Message}", ex);
                }
                if (!result.TryAdd(name, Read(new MemoryStream(data, writable: false), where)))
                    throw new InvalidDataException($"{source}: the archive holds '{name}' twice.");
            }
            return result;
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(source, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{source}: not a readable .npz archive: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or ArgumentException or NotSupportedException)
        {
            throw new InvalidDataException($"{source}: not a readable .npz archive: {e.Message}", e);
        }
    }

    /// <summary><c>np.savez</c> (stored) or, with <paramref name="compressed"/>, <c>np.savez_compressed</c> (deflated); atomic.</summary>
    public static void SaveNpz(string path, IReadOnlyDictionary<string, NDArray> arrays, bool compressed = false)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        foreach (var (name, a) in arrays)
        {
            if (string.IsNullOrEmpty(name)) throw new ArgumentException("Invalid value for argument `arrays`. Expected non-empty array names.", nameof(arrays));
            if (a is null) throw new ArgumentException($"Invalid value for argument `arrays`. Expected an array for '{name}'. Received null.", nameof(arrays));
        }
        AtomicFile.Write(path, s =>
        {
            using var zip = new ZipArchive(s, ZipArchiveMode.Create, leaveOpen: true);
            foreach (var (name, a) in arrays)
            {
                var e = zip.CreateEntry(name + ".npy", compressed ? CompressionLevel.Optimal : CompressionLevel.NoCompression);
                using var es = e.Open();
                Write(es, a);
            }
        });
    }

    /// <summary>Fault-injection point for tests (forwards to the shared atomic writer): runs after the temporary file is complete, before the rename.</summary>
    internal static Action<string>? BeforeRename
    {
        get => AtomicFile.BeforeRename;
        set => AtomicFile.BeforeRename = value;
    }

    internal static void WriteAtomically(string path, Action<Stream> write) => AtomicFile.Write(path, write);
}
