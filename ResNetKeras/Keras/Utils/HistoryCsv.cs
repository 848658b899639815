using System.Globalization;
using System.Text;
using ResNetKeras.IO;

namespace ResNetKeras.Keras;

/// <summary>
/// Writes training history as CSV, one row per epoch: <c>epoch</c> then each log key in order, as Keras's
/// <c>CSVLogger</c> lays out its file (numbers in invariant culture, shortest round-trip form; NaN and infinities as
/// Python writes them: <c>nan</c>, <c>inf</c>, <c>-inf</c>).
/// </summary>
public static class HistoryCsv
{
    /// <summary>The CSV text of <c>history.history</c> with the given epoch numbers (written as given).</summary>
    public static string Render(IReadOnlyDictionary<string, IReadOnlyList<double>> history, IReadOnlyList<int> epochs)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(epochs);
        foreach (var (k, v) in history)
        {
            if (v is null) throw new ArgumentException($"HistoryCsv: the values of key '{k}' are null.", nameof(history));
            if (v.Count > epochs.Count)
                throw new ArgumentException($"HistoryCsv: key '{k}' has {v.Count} values but there are only {epochs.Count} epochs.", nameof(history));
        }
        var keys = history.Keys.ToList();
        var sb = new StringBuilder("epoch");
        foreach (var k in keys) sb.Append(',').Append(Field(k));
        sb.Append('\n');
        for (int i = 0; i < epochs.Count; i++)
        {
            sb.Append(epochs[i].ToString(CultureInfo.InvariantCulture));
            // A key first logged in a later epoch (e.g. lr added midway) has fewer values, which belong to the last epochs; its earlier cells stay empty.
            foreach (var k in keys)
            {
                var values = history[k];
                int offset = epochs.Count - values.Count;
                sb.Append(',');
                if (i >= offset) sb.Append(Number(values[i - offset]));
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Writes <see cref="Render(IReadOnlyDictionary{string, IReadOnlyList{double}}, IReadOnlyList{int})"/> to <paramref name="path"/> (temporary file, then rename).</summary>
    public static void Write(string path, IReadOnlyDictionary<string, IReadOnlyList<double>> history, IReadOnlyList<int> epochs) =>
        AtomicFile.WriteAllText(path, Render(history, epochs));

    /// <summary>The CSV text of a <see cref="History"/>, epochs 1-based as the progress bar's <c>Epoch i/n</c> shows them.</summary>
    public static string Render(History history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var data = history.HistoryData.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<double>)kv.Value);
        return Render(data, history.Epoch.Select(e => e + 1).ToList());
    }

    /// <summary>Writes <see cref="Render(History)"/> to <paramref name="path"/> (temporary file, then rename).</summary>
    public static void Write(string path, History history) => AtomicFile.WriteAllText(path, Render(history));

    private static string Number(double v) =>
        double.IsNaN(v) ? "nan" : double.IsPositiveInfinity(v) ? "inf" : double.IsNegativeInfinity(v) ? "-inf" : v.ToString("R", CultureInfo.InvariantCulture);

    private static string Field(string s) =>
        s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
