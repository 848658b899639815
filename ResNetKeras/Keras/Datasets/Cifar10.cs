using System.Buffers.Binary;
using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.datasets.cifar10</c>: 50,000 training and 10,000 test 32x32 colour images in 10 classes, as uint8
/// NHWC images and uint8 (N, 1) labels.
/// </summary>
public static class Cifar10
{
    /// <summary>Where Keras downloads the Python version from.</summary>
    public const string Origin = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz";

    /// <summary>SHA-256 of that archive (Keras's file_hash).</summary>
    public const string Sha256 = "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce";

    /// <summary>Class names, index 0..9.</summary>
    public static readonly string[] ClassNames = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    private const int Pixels = 32 * 32 * 3;

    /// <summary>
    /// <c>cifar10.load_data()</c>: downloads the Python version into the Keras cache (once), verifies it and returns
    /// ((xTrain, yTrain), (xTest, yTest)). With <paramref name="path"/>, loads a folder or .tar.gz archive of the
    /// Python version (<c>cifar-10-batches-py</c>) or of the binary version (<c>data_batch_1.bin</c> ... <c>test_batch.bin</c>).
    /// </summary>
    public static ((NDArray XTrain, NDArray YTrain), (NDArray XTest, NDArray YTest)) LoadData(string? path = null)
    {
        if (path is null) return LoadFromCache(new Uri(Origin), GetFile.CacheDir(), Sha256);
        if (File.Exists(path)) return LoadArchive(path);
        if (!Directory.Exists(path))
            throw new FileNotFoundException($"Cifar10.LoadData: '{path}' is neither a folder nor a .tar.gz archive of CIFAR-10.", path);
        return LoadFolder(path);
    }

    /// <summary>
    /// The download path of <see cref="LoadData"/> with the address, cache folder, hash, progress output and time-out
    /// injectable. As Keras's <c>get_file('cifar-10-batches-py', origin, untar=True, file_hash=...)</c>: the archive is
    /// kept as <c>{cacheDir}/cifar-10-batches-py.tar.gz</c> and extracted beside it into <c>cifar-10-batches-py</c>.
    /// Unlike Keras, a complete extracted folder is used without re-hashing the archive.
    /// </summary>
    internal static ((NDArray, NDArray), (NDArray, NDArray)) LoadFromCache(Uri origin, string cacheDir, string? sha256, TextWriter? progress = null, TimeSpan? timeout = null)
    {
        string folder = Path.Combine(cacheDir, DirName);
        if (!BatchNames("").All(n => File.Exists(Path.Combine(folder, n))))
        {
            string archive = GetFile.Download(origin, DirName + ".tar.gz", cacheDir, sha256, progress, timeout);
            GetFile.ExtractTarGz(archive, cacheDir);
        }
        return LoadFolder(folder);
    }

    private const string DirName = "cifar-10-batches-py";

    private static IEnumerable<string> BatchNames(string suffix) =>
        Enumerable.Range(1, 5).Select(i => $"data_batch_{i}{suffix}").Append($"test_batch{suffix}");

    private static ((NDArray, NDArray), (NDArray, NDArray)) LoadArchive(string archive)
    {
        string temp = Path.Combine(Path.GetTempPath(), $"cifar10_{Guid.NewGuid():N}");
        try
        {
            GetFile.ExtractTarGz(archive, temp);
            return LoadFolder(temp);
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
    }

    private static ((NDArray, NDArray), (NDArray, NDArray)) LoadFolder(string folder)
    {
        foreach (var candidate in new[] { folder, Path.Combine(folder, "cifar-10-batches-py"), Path.Combine(folder, "cifar-10-batches-bin") })
        {
            if (File.Exists(Path.Combine(candidate, "data_batch_1")))
                return Load(candidate, "", ReadPythonBatch);
            if (File.Exists(Path.Combine(candidate, "data_batch_1.bin")))
                return LoadBinary(candidate);
        }
        throw new FileNotFoundException(
            $"Cifar10.LoadData: '{folder}' holds neither the Python version (data_batch_1 ... data_batch_5, test_batch) nor the binary version (data_batch_1.bin ... test_batch.bin) of CIFAR-10.", folder);
    }

    private static ((NDArray, NDArray), (NDArray, NDArray)) Load(string dir, string suffix, Func<string, (byte[] Planes, byte[] Labels)> read)
    {
        var train = Enumerable.Range(1, 5).Select(i => read(Require(dir, $"data_batch_{i}{suffix}"))).ToList();
        var test = read(Require(dir, $"test_batch{suffix}"));
        return (ToArrays(train), ToArrays([test]));
    }

    /// <summary>
    /// The binary version: the record count is known from the file sizes, so each file goes straight from its bytes
    /// into the channels-last array, and only one file's bytes are held at a time (not every batch plus the result).
    /// </summary>
    private static ((NDArray, NDArray), (NDArray, NDArray)) LoadBinary(string dir)
    {
        var names = BatchNames(".bin").Select(n => Require(dir, n)).ToList();
        return (ReadBinarySplit(names.Take(5).ToList()), ReadBinarySplit([names[5]]));
    }

    private static (NDArray X, NDArray Y) ReadBinarySplit(IReadOnlyList<string> files)
    {
        var counts = files.Select(f => RecordCount(f, new FileInfo(f).Length)).ToList();
        int n = counts.Sum();
        // Decoded straight into the NumSharp arrays that are returned: the dataset exists once in memory.
        var xa = np.empty(new NumSharp.Shape(n, 32, 32, 3), np.uint8);
        var ya = np.empty(new NumSharp.Shape(n, 1), np.uint8);
        var x = xa.WriteSpan<byte>();
        var y = ya.WriteSpan<byte>();
        int at = 0;
        for (int f = 0; f < files.Count; f++)
        {
            var bytes = File.ReadAllBytes(files[f]);
            if (RecordCount(files[f], bytes.Length) != counts[f])
                throw new InvalidDataException($"{files[f]}: the file changed size while CIFAR-10 was loading ({counts[f] * (Pixels + 1)} bytes, then {bytes.Length}).");
            for (int i = 0; i < counts[f]; i++, at++)
            {
                y[at] = CheckedLabel(files[f], i, bytes[i * (Pixels + 1)]);
                ToChannelsLast(bytes.AsSpan(i * (Pixels + 1) + 1, Pixels), x.Slice(at * Pixels, Pixels));
            }
        }
        return (xa, ya);
    }

    private static int RecordCount(string path, long length) =>
        length % (Pixels + 1) == 0 ? (int)(length / (Pixels + 1))
        : throw new InvalidDataException($"{path}: size {length} is not a multiple of the 3073-byte CIFAR-10 record (1 label byte + 3072 pixels); the file is truncated or not a CIFAR-10 binary batch.");

    private static byte CheckedLabel(string path, int record, byte label) =>
        label <= 9 ? label : throw new InvalidDataException($"{path}: record {record} has label {label}; CIFAR-10 labels are 0..9.");

    /// <summary>One image from planes (3, 32, 32) to channels-last (32, 32, 3), as Keras's transpose(0, 2, 3, 1).</summary>
    private static void ToChannelsLast(ReadOnlySpan<byte> planes, Span<byte> hwc)
    {
        for (int p = 0; p < 1024; p++)
            for (int k = 0; k < 3; k++)
                hwc[p * 3 + k] = planes[k * 1024 + p];
    }

    private static string Require(string dir, string name)
    {
        string p = Path.Combine(dir, name);
        return File.Exists(p) ? p : throw new FileNotFoundException($"Cifar10.LoadData: missing batch file '{p}'.", p);
    }

    /// <summary>Planes (N, 3, 32, 32) to channels-last (N, 32, 32, 3), as Keras's transpose(0, 2, 3, 1).</summary>
    private static (NDArray X, NDArray Y) ToArrays(IReadOnlyList<(byte[] Planes, byte[] Labels)> batches)
    {
        int n = batches.Sum(b => b.Labels.Length);
        var xa = np.empty(new NumSharp.Shape(n, 32, 32, 3), np.uint8);
        var ya = np.empty(new NumSharp.Shape(n, 1), np.uint8);
        var x = xa.WriteSpan<byte>();
        var y = ya.WriteSpan<byte>();
        int at = 0;
        foreach (var (planes, labels) in batches)
        {
            for (int i = 0; i < labels.Length; i++, at++)
            {
                y[at] = labels[i];
                ToChannelsLast(planes.AsSpan(i * Pixels, Pixels), x.Slice(at * Pixels, Pixels));
            }
        }
        return (xa, ya);
    }

    /// <summary>Python version: a pickled dict with <c>data</c> (N×3072 uint8) and <c>labels</c> (N ints).</summary>
    internal static (byte[] Planes, byte[] Labels) ReadPythonBatch(string path)
    {
        var obj = SafeUnpickler.Load(File.ReadAllBytes(path), path);
        if (obj is not Dictionary<object, object?> d)
            throw new InvalidDataException($"{path}: expected a pickled dict, found {obj?.GetType().Name ?? "None"}.");
        if (!d.TryGetValue("data", out var data) || data is not SafeUnpickler.PickledArray a)
            throw new InvalidDataException($"{path}: the batch has no 'data' array.");
        if (!d.TryGetValue("labels", out var lab) || lab is null)
            throw new InvalidDataException($"{path}: the batch has no 'labels'.");
        if (a.DType != "u1" || a.Shape.Length != 2 || a.Shape[1] != Pixels)
            throw new InvalidDataException($"{path}: 'data' must be a uint8 array of shape (N, 3072); found dtype '{a.DType}', shape ({string.Join(", ", a.Shape)}).");
        var labels = Labels(lab, path);
        if (labels.Count != a.Shape[0])
            throw new InvalidDataException($"{path}: {labels.Count} labels for {a.Shape[0]} images.");
        var y = new byte[labels.Count];
        for (int i = 0; i < y.Length; i++)
            y[i] = labels[i] is long l and >= 0 and <= 9 ? (byte)l : throw new InvalidDataException($"{path}: label {i} is {labels[i] ?? "None"}; CIFAR-10 labels are integers 0..9.");
        return (a.Data, y);
    }

    /// <summary>Labels as the real files have them (a list of ints) or as a re-pickled 1-D integer array.</summary>
    private static List<object?> Labels(object lab, string path)
    {
        if (lab is List<object?> list) return list;
        if (lab is SafeUnpickler.PickledArray arr && arr.Shape.Length == 1)
        {
            int size = arr.DType switch { "u1" or "i1" => 1, "u2" or "i2" => 2, "u4" or "i4" => 4, "u8" or "i8" => 8, _ => 0 };
            if (size > 0)
            {
                bool signed = arr.DType[0] == 'i';
                var result = new List<object?>(arr.Shape[0]);
                for (int i = 0; i < arr.Shape[0]; i++)
                {
                    var s = arr.Data.AsSpan(i * size, size);
                    long v = size switch
                    {
                        1 => signed ? (sbyte)s[0] : s[0],
                        2 => signed ? BinaryPrimitives.ReadInt16LittleEndian(s) : BinaryPrimitives.ReadUInt16LittleEndian(s),
                        4 => signed ? BinaryPrimitives.ReadInt32LittleEndian(s) : BinaryPrimitives.ReadUInt32LittleEndian(s),
                        _ => BinaryPrimitives.ReadInt64LittleEndian(s),
                    };
                    result.Add(v);
                }
                return result;
            }
        }
        throw new InvalidDataException($"{path}: 'labels' must be a list of ints or a 1-D integer array.");
    }
}
