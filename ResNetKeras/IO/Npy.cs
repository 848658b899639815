using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using ResNetKeras.Engine;

namespace ResNetKeras.IO;

/// <summary>
/// NumPy's <c>.npy</c> (format versions 1.0, 2.0, 3.0) and <c>.npz</c> files: float32, float64, uint8, int32 and int64,
/// C order, little-endian. Fortran order, big-endian, object (pickled) arrays and other dtypes are refused with
/// <see cref="InvalidDataException"/>. Files are written to a temporary name and renamed into place.
/// </summary>
public static partial class Npy
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary><c>np.load(path)</c> of a .npy file.</summary>
    public static NDArray Load(string path)
    {
        using var s = File.OpenRead(path);
        return Read(s, path);
    }

    /// <summary>Reads one array from a stream.</summary>
    public static NDArray Read(Stream stream, string source = "stream")
    {
        ArgumentNullException.ThrowIfNull(stream);
        var pre = ReadExactly(stream, 8, source, "magic string and version");
        if (!pre.AsSpan(0, 6).SequenceEqual(Magic)) throw new InvalidDataException($"{source}: not a NumPy .npy file (bad magic string).");
        int major = pre[6];
        int headerLen = major switch
        {
            1 => BinaryPrimitives.ReadUInt16LittleEndian(ReadExactly(stream, 2, source, "header length")),
            2 or 3 => checked((int)BinaryPrimitives.ReadUInt32LittleEndian(ReadExactly(stream, 4, source, "header length"))),
            _ => throw new InvalidDataException($"{source}: unsupported .npy format version {major}.{pre[7]}; expected 1.0, 2.0 or 3.0."),
        };
        if (headerLen > 1 << 20) throw new InvalidDataException($"{source}: header length {headerLen} is implausibly large.");
        var header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(ReadExactly(stream, headerLen, source, "header"));
        var (descr, fortran, shape) = ParseHeader(header, source);
        if (fortran) throw new InvalidDataException($"{source}: Fortran-order arrays are not supported; save the array in C order (np.ascontiguousarray).");
        DType dtype = descr switch
        {
            "<f4" => DType.Float32,
            "<f8" => DType.Float64,
            "|u1" or "<u1" or "u1" => DType.UInt8,
            "<i4" => DType.Int32,
            "<i8" => DType.Int64,
            _ when descr.StartsWith('>') => throw new InvalidDataException($"{source}: big-endian dtype '{descr}' is not supported; convert with astype('<...').") ,
            "|O" or "<O" => throw new InvalidDataException($"{source}: object (pickled) arrays are not supported."),
            _ => throw new InvalidDataException($"{source}: unsupported dtype '{descr}'; expected float32, float64, uint8, int32 or int64 (little-endian)."),
        };
        long count = 1;
        foreach (int d in shape)
        {
            count *= d;
            if (count > int.MaxValue) throw new InvalidDataException($"{source}: shape {ShapeUtil.Format(shape)} has too many elements.");
        }
        long bytes = count * DTypes.SizeOf(dtype);
        if (stream.CanSeek && bytes > stream.Length - stream.Position)
            throw new InvalidDataException($"{source}: the data is truncated: shape {ShapeUtil.Format(shape)} needs {bytes} bytes, {stream.Length - stream.Position} remain.");
        var raw = ReadExactly(stream, checked((int)bytes), source, "array data");
        var storage = DTypes.Allocate(dtype, (int)count);
        Buffer.BlockCopy(raw, 0, storage, 0, raw.Length);
        return new NDArray(storage, shape);
    }

    private static byte[] ReadExactly(Stream s, int n, string source, string what)
    {
        var b = new byte[n];
        int read = 0;
        while (read < n)
        {
            int r = s.Read(b, read, n - read);
            if (r <= 0) throw new InvalidDataException($"{source}: the file ends inside the {what} ({read} of {n} bytes).");
            read += r;
        }
        return b;
    }

    [GeneratedRegex(@"^\{\s*'descr'\s*:\s*'([^']*)'\s*,\s*'fortran_order'\s*:\s*(True|False)\s*,\s*'shape'\s*:\s*\(([^)]*)\)\s*,?\s*\}\s*$")]
    private static partial Regex HeaderPattern();

    private static (string Descr, bool Fortran, int[] Shape) ParseHeader(string header, string source)
    {
        var m = HeaderPattern().Match(header.TrimEnd('\n', ' ', '\0'));
        if (!m.Success) throw new InvalidDataException($"{source}: cannot parse the .npy header {header.Trim()}.");
        var dims = m.Groups[3].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var shape = new int[dims.Length];
        for (int i = 0; i < dims.Length; i++)
            if (!int.TryParse(dims[i].TrimEnd('L'), NumberStyles.None, CultureInfo.InvariantCulture, out shape[i]))
                throw new InvalidDataException($"{source}: invalid dimension '{dims[i]}' in the .npy header.");
        return (m.Groups[1].Value, m.Groups[2].Value == "True", shape);
    }

    /// <summary><c>np.save(path, array)</c> (format 1.0, or 2.0 when the header needs it).</summary>
    public static void Save(string path, NDArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        WriteAtomically(path, s => Write(s, array));
    }

    /// <summary>Writes one array to a stream.</summary>
    public static void Write(Stream stream, NDArray array)
    {
        string descr = array.DType switch
        {
            DType.Float32 => "<f4",
            DType.Float64 => "<f8",
            DType.UInt8 => "|u1",
            DType.Int32 => "<i4",
            _ => "<i8",
        };
        var shape = array.Shape;
        string shapeText = shape.Length == 1 ? $"({shape[0]},)" : "(" + string.Join(", ", shape) + ")";
        string dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shapeText}, }}";
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
        var raw = new byte[(long)array.Size * DTypes.SizeOf(array.DType)];
        Buffer.BlockCopy(ArrayOf(array), 0, raw, 0, raw.Length);
        stream.Write(raw);
    }

    private static Array ArrayOf(NDArray a) => a.DType switch
    {
        DType.Float32 => a.Data<float>(),
        DType.Float64 => a.Data<double>(),
        DType.UInt8 => a.Data<byte>(),
        DType.Int32 => a.Data<int>(),
        _ => a.Data<long>(),
    };

    /// <summary><c>np.load(path)</c> of a .npz archive: name (without .npy) → array.</summary>
    public static IReadOnlyDictionary<string, NDArray> LoadNpz(string path)
    {
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var result = new Dictionary<string, NDArray>();
            foreach (var e in zip.Entries)
            {
                string name = e.FullName.EndsWith(".npy", StringComparison.Ordinal) ? e.FullName[..^4] : e.FullName;
                using var es = e.Open();
                using var ms = new MemoryStream();
                try { es.CopyTo(ms); }
                catch (Exception ex) when (ex is IOException or InvalidDataException)
                {
                    throw new InvalidDataException($"{path}: member '{e.FullName}' is corrupted: {ex.Message}", ex);
                }
                ms.Position = 0;
                result[name] = Read(ms, $"{path}:{e.FullName}");
            }
            return result;
        }
        catch (InvalidDataException) { throw; }
        catch (Exception e) when (e is IOException or ArgumentException or NotSupportedException)
        {
            throw new InvalidDataException($"{path}: not a readable .npz archive: {e.Message}", e);
        }
    }

    /// <summary><c>np.savez</c> / <c>np.savez_compressed</c>.</summary>
    public static void SaveNpz(string path, IReadOnlyDictionary<string, NDArray> arrays, bool compressed = false)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        WriteAtomically(path, s =>
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
