using System.Globalization;
using System.Security;
using System.Text;

namespace ResNetKeras.Keras;

/// <summary>
/// A dependency-free SVG line chart (what matplotlib's plot of <c>history.history</c> gives a Keras user): panels side
/// by side, axes with ticks, one coloured line per series with a legend. NaN points break a line.
/// </summary>
public static class SvgChart
{
    private static readonly string[] Colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"];
    private static readonly string[] Dashes = ["", "6,3", "2,2", "8,3,2,3"];
    private const int PanelW = 420, PanelH = 300, Left = 62, Right = 16, Top = 40, Bottom = 48;

    /// <summary>The SVG document text.</summary>
    public static string Render(string title, string xLabel, IReadOnlyList<ChartPanel> panels)
    {
        ArgumentNullException.ThrowIfNull(panels);
        if (panels.Count == 0) throw new ArgumentException("SvgChart: expected at least one panel.", nameof(panels));
        int width = panels.Count * PanelW, height = PanelH + 30;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"11\">\n");
        sb.Append(CultureInfo.InvariantCulture, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{width / 2}\" y=\"20\" text-anchor=\"middle\" font-size=\"14\">{Esc(title)}</text>\n");
        for (int p = 0; p < panels.Count; p++) Panel(sb, panels[p], p * PanelW, 10, xLabel);
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    /// <summary>Writes the chart to <paramref name="path"/> (temporary file, then rename).</summary>
    public static void Write(string path, string title, string xLabel, IReadOnlyList<ChartPanel> panels)
    {
        var text = Render(title, xLabel, panels);
        IO.Npy.WriteAtomically(path, s => s.Write(Encoding.UTF8.GetBytes(text)));
    }

    private static void Panel(StringBuilder sb, ChartPanel panel, int ox, int oy, string xLabel)
    {
        var pts = panel.Series.SelectMany(s => s.X.Zip(s.Y)).Where(p => double.IsFinite(p.First) && double.IsFinite(p.Second)).ToList();
        double x0 = pts.Count > 0 ? pts.Min(p => p.First) : 0, x1 = pts.Count > 0 ? pts.Max(p => p.First) : 1;
        double y0 = pts.Count > 0 ? pts.Min(p => p.Second) : 0, y1 = pts.Count > 0 ? pts.Max(p => p.Second) : 1;
        if (x1 - x0 < 1e-12) { x0 -= 0.5; x1 += 0.5; }
        if (y1 - y0 < 1e-12) { y0 -= 0.5; y1 += 0.5; }
        var (yt, ystep) = Ticks(y0, y1);
        y0 = Math.Min(y0, yt[0]);
        y1 = Math.Max(y1, yt[^1]);
        var (xt, _) = Ticks(x0, x1);
        int pl = ox + Left, pr = ox + PanelW - Right, pt = oy + Top, pb = oy + PanelH - Bottom + 30;
        double Sx(double v) => pl + (v - x0) / (x1 - x0) * (pr - pl);
        double Sy(double v) => pb - (v - y0) / (y1 - y0) * (pb - pt);
        string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
        sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{pl}\" y=\"{pt}\" width=\"{pr - pl}\" height=\"{pb - pt}\" fill=\"none\" stroke=\"#333\"/>\n");
        foreach (double t in yt.Where(t => t >= y0 - 1e-9 && t <= y1 + 1e-9))
        {
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{pl}\" x2=\"{pr}\" y1=\"{F(Sy(t))}\" y2=\"{F(Sy(t))}\" stroke=\"#ddd\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{pl - 4}\" y=\"{F(Sy(t) + 4)}\" text-anchor=\"end\">{Esc(Label(t, ystep))}</text>\n");
        }
        foreach (double t in xt.Where(t => t >= x0 - 1e-9 && t <= x1 + 1e-9))
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(Sx(t))}\" y=\"{pb + 14}\" text-anchor=\"middle\">{Esc(Label(t, 1))}</text>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{(pl + pr) / 2}\" y=\"{pb + 32}\" text-anchor=\"middle\">{Esc(xLabel)}</text>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate({ox + 14},{(pt + pb) / 2}) rotate(-90)\" text-anchor=\"middle\">{Esc(panel.YLabel)}</text>\n");
        for (int i = 0; i < panel.Series.Count; i++)
        {
            var s = panel.Series[i];
            string color = Colors[i % Colors.Length], dash = Dashes[i / Colors.Length % Dashes.Length];
            var segment = new List<string>();
            void Flush()
            {
                if (segment.Count == 0) return;
                sb.Append(CultureInfo.InvariantCulture, $"<polyline class=\"series\" data-name=\"{Esc(s.Name)}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"{(dash.Length > 0 ? $" stroke-dasharray=\"{dash}\"" : "")} points=\"{string.Join(' ', segment)}\"/>\n");
                if (segment.Count == 1)
                {
                    var xy = segment[0].Split(',');
                    sb.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{xy[0]}\" cy=\"{xy[1]}\" r=\"3\" fill=\"{color}\"/>\n");
                }
                segment.Clear();
            }
            for (int k = 0; k < Math.Min(s.X.Count, s.Y.Count); k++)
            {
                if (!double.IsFinite(s.X[k]) || !double.IsFinite(s.Y[k])) { Flush(); continue; }
                segment.Add($"{F(Sx(s.X[k]))},{F(Sy(s.Y[k]))}");
            }
            Flush();
            int ly = pt + 14 + 16 * i;
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{pr - 130}\" x2=\"{pr - 108}\" y1=\"{ly - 4}\" y2=\"{ly - 4}\" stroke=\"{color}\" stroke-width=\"2\"{(dash.Length > 0 ? $" stroke-dasharray=\"{dash}\"" : "")}/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{pr - 104}\" y=\"{ly}\">{Esc(s.Name)}</text>\n");
        }
    }

    private static (double[] Ticks, double Step) Ticks(double lo, double hi)
    {
        double raw = (hi - lo) / 5;
        double mag = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * mag).First(s => s >= raw);
        double start = Math.Floor(lo / step) * step;
        var t = new List<double>();
        for (double v = start; v <= hi + step * 0.999 && t.Count < 20; v += step) t.Add(Math.Round(v / step) * step);
        return (t.ToArray(), step);
    }

    private static string Label(double v, double step) =>
        v.ToString(step >= 1 ? "0" : step >= 0.1 ? "0.0" : step >= 0.01 ? "0.00" : "0.000", CultureInfo.InvariantCulture);

    private static string Esc(string s) => SecurityElement.Escape(s) ?? "";
}
