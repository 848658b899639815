using System.Globalization;
using System.Text;

namespace ResNetKeras.Keras;

/// <summary>Writes a <see cref="History"/> as CSV: <c>epoch</c> (1-based, as progress bars show it) then each log key.</summary>
public static class HistoryCsv
{
    /// <summary>The CSV text.</summary>
    public static string Render(History history)
    {
        ArgumentNullException.ThrowIfNull(history);
        var keys = history.HistoryData.Keys.ToList();
        var sb = new StringBuilder("epoch");
        foreach (var k in keys) sb.Append(',').Append(k);
        sb.Append('\n');
        for (int i = 0; i < history.Epoch.Count; i++)
        {
            sb.Append((history.Epoch[i] + 1).ToString(CultureInfo.InvariantCulture));
            foreach (var k in keys)
                sb.Append(',').Append(i < history.HistoryData[k].Count ? history.HistoryData[k][i].ToString("R", CultureInfo.InvariantCulture) : "");
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Writes the CSV (temporary file, then rename).</summary>
    public static void Write(string path, History history)
    {
        var text = Render(history);
        IO.Npy.WriteAtomically(path, s => s.Write(Encoding.UTF8.GetBytes(text)));
    }
}
