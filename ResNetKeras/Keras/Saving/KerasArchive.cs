using System.IO.Compression;
using System.Text;
using System.Text.Json;
using ResNetKeras.IO;
using ResNetKeras.IO.Hdf5;

namespace ResNetKeras.Keras;

/// <summary>
/// Keras 3's <c>.keras</c> archive (<c>saving_lib.save_model</c>/<c>load_model</c>): a zip of <c>metadata.json</c>,
/// <c>config.json</c> and <c>model.weights.h5</c>, entries stored uncompressed as Keras writes them.
/// </summary>
internal static class KerasArchive
{
    /// <summary>The Keras version written into metadata.json: the release whose file layout (vars groups named by an attribute) is written.</summary>
    public const string Keras3Version = "3.12.0";

    public const string ConfigEntry = "config.json";
    public const string MetadataEntry = "metadata.json";
    public const string WeightsEntry = "model.weights.h5";

    /// <summary>Whether the file starts with a zip local-file header (<c>zipfile.is_zipfile</c> in spirit).</summary>
    public static bool IsZip(string path)
    {
        using var fs = File.OpenRead(path);
        Span<byte> head = stackalloc byte[4];
        return fs.Read(head) == 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] == 3 && head[3] == 4;
    }

    public static void Save(Model model, string path)
    {
        var config = JsonSerializer.Serialize(Keras3Config.Serialize(model));
        var metadata = JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["keras_version"] = Keras3Version,
            ["date_saved"] = DateTime.Now.ToString("yyyy-MM-dd@HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
        });
        var weights = new H5Writer();
        Keras3Weights.Write(model, weights.Root);
        var h5 = weights.ToBytes();
        IO.AtomicFile.Write(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            void Add(string name, byte[] bytes)
            {
                using var s = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
                s.Write(bytes);
            }
            Add(MetadataEntry, Encoding.UTF8.GetBytes(metadata));
            Add(ConfigEntry, Encoding.UTF8.GetBytes(config));
            Add(WeightsEntry, h5);
        });
    }

    /// <summary>The three entries of an archive, each checked: a damaged file names what is wrong.</summary>
    public static (JsonDocument Config, H5File Weights) Open(string path)
    {
        byte[] configBytes, weightBytes;
        try
        {
            using var fs = File.OpenRead(path);
            using var zip = new ZipArchive(fs, ZipArchiveMode.Read);
            byte[] Entry(string name, bool required)
            {
                var e = zip.GetEntry(name);
                if (e is null)
                {
                    if (!required) return [];
                    throw new InvalidDataException($"{path}: the .keras archive has no '{name}' entry (entries: {string.Join(", ", zip.Entries.Select(x => x.FullName))}).");
                }
                using var s = e.Open();
                using var ms = new MemoryStream();
                s.CopyTo(ms);
                return ms.ToArray();
            }
            configBytes = Entry(ConfigEntry, true);
            if (zip.GetEntry(WeightsEntry) is null && zip.GetEntry("model.weights.npz") is not null)
                throw new InvalidDataException($"{path}: the archive stores its weights as model.weights.npz (weights_format='npz'); only model.weights.h5 is supported.");
            weightBytes = Entry(WeightsEntry, true);
            var metadata = Entry(MetadataEntry, false);
            if (metadata.Length > 0) ParseJson(metadata, $"{path}!{MetadataEntry}").Dispose();
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(path, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{path}: not a readable .keras archive (damaged or truncated zip): {e.Message}", e);
        }
        var config = ParseJson(configBytes, $"{path}!{ConfigEntry}");
        return (config, H5File.Parse(weightBytes, $"{path}!{WeightsEntry}"));
    }

    public static JsonDocument ParseJson(byte[] bytes, string source)
    {
        try { return JsonDocument.Parse(bytes); }
        catch (JsonException e) { throw new InvalidDataException($"{source}: invalid JSON: {e.Message}", e); }
    }

    /// <summary><c>keras.saving.load_model</c> for an archive: architecture, weights, and when compiled, optimizer state.</summary>
    public static Model Load(string path, bool compile)
    {
        var (doc, weights) = Open(path);
        using (doc)
        {
            var root = doc.RootElement;
            var model = ModelConfigReader.Build(root, $"{path}!{ConfigEntry}");
            if (compile && root.TryGetProperty("compile_config", out var cc) && cc.ValueKind == JsonValueKind.Object)
                CompileConfigReader.Compile(model, cc, $"{path}!{ConfigEntry}");
            Keras3Weights.Read(model, weights.Root, $"{path}!{WeightsEntry}", loadOptimizer: true);
            return model;
        }
    }
}
