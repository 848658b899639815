using System.Text;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.callbacks.CSVLogger(filename, separator=',', append=False)</c>: header <c>epoch</c> plus the log keys
/// sorted alphabetically (fixed at the first epoch), one row per epoch, values as Python's str, rows ended with \r\n.
/// </summary>
public sealed class CSVLogger : Callback
{
    private string[]? keys;
    private StreamWriter? writer;

    /// <summary>Keras's signature with its defaults.</summary>
    public CSVLogger(string filename, string separator = ",", bool append = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(filename);
        Filename = filename;
        Separator = separator;
        Append = append;
    }

    /// <summary>Output path.</summary>
    public string Filename { get; }
    /// <summary>Field separator.</summary>
    public string Separator { get; }
    /// <summary>Whether to append to an existing file.</summary>
    public bool Append { get; }

    /// <inheritdoc/>
    public override void OnTrainBegin(Dictionary<string, double> logs)
    {
        bool hasHeader = Append && File.Exists(Filename) && new FileInfo(Filename).Length > 0;
        writer = new StreamWriter(Filename, Append, new UTF8Encoding(false)) { NewLine = "\r\n" };
        keys = hasHeader ? [] : null;
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, Dictionary<string, double> logs)
    {
        if (writer is null) return;
        if (keys is null)
        {
            keys = logs.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray();
            writer.WriteLine(string.Join(Separator, new[] { "epoch" }.Concat(keys)));
        }
        else if (keys.Length == 0) keys = logs.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray();
        var row = new List<string> { epoch.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        // Keras's logs hold Python floats except `lr`, a NumPy float32 read from the optimizer, whose str() is shorter.
        foreach (var k in keys) row.Add(logs.TryGetValue(k, out var v) ? (k == "lr" ? PyStr((float)v) : PyStr(v)) : "NA");
        writer.WriteLine(string.Join(Separator, row));
        writer.Flush();
    }

    /// <inheritdoc/>
    public override void OnTrainEnd(Dictionary<string, double> logs)
    {
        writer?.Dispose();
        writer = null;
    }
}
