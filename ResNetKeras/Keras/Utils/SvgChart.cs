using System.Globalization;
using System.Text;
using ResNetKeras.IO;

namespace ResNetKeras.Keras;

/// <summary>
/// A dependency-free SVG line chart, what a Keras user gets from matplotlib's <c>plt.plot(history.history[...])</c>:
/// one or more panels side by side, each with axes, ticks, axis labels, a grid, one line per series (each series its
/// own colour and dash pattern) and a legend. NaN or infinite points break a line; a lone point is drawn as a dot;
/// an empty series still gets its legend entry. Every series is one <c>&lt;g class="series"&gt;</c> holding a
/// <c>&lt;polyline&gt;</c> for each unbroken run of points (one for a series without gaps), plus a <c>&lt;circle&gt;</c>
/// for a run of a single point.
/// </summary>
public static class SvgChart
{
    private static readonly string[] Colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
    private static readonly string[] Dashes = ["", "7,4", "2,3", "9,3,2,3"];
    private const int PanelW = 460, PanelH = 340, Left = 70, Right = 20, Top = 46, Bottom = 52, TitleH = 28;

    /// <summary>
    /// Writes a chart with one panel (and optionally a second to its right, e.g. loss and accuracy) to
    /// <paramref name="path"/> (temporary file, then rename).
    /// </summary>
    public static void Write(string path, string title, string xLabel, string yLabel,
        IReadOnlyList<(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y)> series,
        (string YLabel, IReadOnlyList<(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y)> Series)? secondPanel = null) =>
        AtomicFile.WriteAllText(path, Render(title, xLabel, yLabel, series, secondPanel));

    /// <summary>The SVG text of <see cref="Write(string, string, string, string, IReadOnlyList{ValueTuple{string, IReadOnlyList{double}, IReadOnlyList{double}}}, ValueTuple{string, IReadOnlyList{ValueTuple{string, IReadOnlyList{double}, IReadOnlyList{double}}}}?)"/>.</summary>
    public static string Render(string title, string xLabel, string yLabel,
        IReadOnlyList<(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y)> series,
        (string YLabel, IReadOnlyList<(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y)> Series)? secondPanel = null)
    {
        ArgumentNullException.ThrowIfNull(series);
        var panels = new List<ChartPanel> { new(yLabel, series.Select(s => new ChartSeries(s.Name, s.X, s.Y)).ToList()) };
        if (secondPanel is { } p)
        {
            ArgumentNullException.ThrowIfNull(p.Series, nameof(secondPanel));
            panels.Add(new ChartPanel(p.YLabel, p.Series.Select(s => new ChartSeries(s.Name, s.X, s.Y)).ToList()));
        }
        return Render(title, xLabel, panels);
    }

    /// <summary>Writes a chart of any number of panels to <paramref name="path"/> (temporary file, then rename).</summary>
    public static void Write(string path, string title, string xLabel, IReadOnlyList<ChartPanel> panels) =>
        AtomicFile.WriteAllText(path, Render(title, xLabel, panels));

    /// <summary>The SVG text of a chart of any number of panels side by side.</summary>
    public static string Render(string title, string xLabel, IReadOnlyList<ChartPanel> panels)
    {
        ArgumentNullException.ThrowIfNull(panels);
        if (panels.Count == 0) throw new ArgumentException("SvgChart: expected at least one panel, received none.", nameof(panels));
        for (int p = 0; p < panels.Count; p++)
        {
            if (panels[p]?.Series is null) throw new ArgumentException($"SvgChart: panel {p} or its series list is null.", nameof(panels));
            for (int i = 0; i < panels[p].Series.Count; i++)
            {
                var s = panels[p].Series[i];
                if (s?.X is null || s.Y is null) throw new ArgumentException($"SvgChart: series {i} of panel {p} or its X/Y values are null.", nameof(panels));
                if (s.X.Count != s.Y.Count)
                    throw new ArgumentException($"SvgChart: series '{s.Name}' has {s.X.Count} x values and {s.Y.Count} y values; expected as many of each.", nameof(panels));
            }
        }
        int width = panels.Count * PanelW, height = PanelH + TitleH;
        var sb = new StringBuilder();
        sb.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"12\">\n");
        sb.Append(CultureInfo.InvariantCulture, $"<title>{Esc(title)}</title>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\" font-weight=\"bold\">{Esc(title)}</text>\n");
        for (int p = 0; p < panels.Count; p++) Panel(sb, panels[p], p * PanelW, TitleH, xLabel);
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    /// <summary>Points too large to place (or not numbers at all) break the line instead of distorting the axes.</summary>
    private static bool Plottable(double v) => double.IsFinite(v) && Math.Abs(v) < 1e300;

    private static void Panel(StringBuilder sb, ChartPanel panel, int ox, int oy, string xLabel)
    {
        var pts = panel.Series.SelectMany(s => s.X.Zip(s.Y)).Where(p => Plottable(p.First) && Plottable(p.Second)).ToList();
        bool integerX = pts.All(p => p.First == Math.Floor(p.First));
        var (x0, x1) = Range(pts.Select(p => p.First), pad: true);
        var (y0, y1) = Range(pts.Select(p => p.Second), pad: true);
        var (xt, xstep) = Ticks(x0, x1, integerX ? 1 : 0);
        var (yt, ystep) = Ticks(y0, y1, 0);
        int pl = ox + Left, pr = ox + PanelW - Right, pt = oy + Top - 20, pb = oy + PanelH - Bottom;
        double Sx(double v) => pl + (v - x0) / (x1 - x0) * (pr - pl);
        double Sy(double v) => pb - (v - y0) / (y1 - y0) * (pb - pt);

        sb.Append(CultureInfo.InvariantCulture, $"<g class=\"panel\">\n");
        foreach (double t in yt)
        {
            string y = F(Sy(t));
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{pl}\" x2=\"{pr}\" y1=\"{y}\" y2=\"{y}\" stroke=\"#e4e4e4\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{pl - 5}\" x2=\"{pl}\" y1=\"{y}\" y2=\"{y}\" stroke=\"#333\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{pl - 8}\" y=\"{F(Sy(t) + 4)}\" text-anchor=\"end\">{Esc(Label(t, ystep))}</text>\n");
        }
        foreach (double t in xt)
        {
            string x = F(Sx(t));
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x}\" x2=\"{x}\" y1=\"{pt}\" y2=\"{pb}\" stroke=\"#f0f0f0\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x}\" x2=\"{x}\" y1=\"{pb}\" y2=\"{pb + 5}\" stroke=\"#333\"/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{x}\" y=\"{pb + 18}\" text-anchor=\"middle\">{Esc(Label(t, xstep))}</text>\n");
        }
        sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{pl}\" y=\"{pt}\" width=\"{pr - pl}\" height=\"{pb - pt}\" fill=\"none\" stroke=\"#333\"/>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{(pl + pr) / 2}\" y=\"{pb + 38}\" text-anchor=\"middle\">{Esc(xLabel)}</text>\n");
        sb.Append(CultureInfo.InvariantCulture, $"<text transform=\"translate({ox + 18},{(pt + pb) / 2}) rotate(-90)\" text-anchor=\"middle\">{Esc(panel.YLabel)}</text>\n");

        var drawn = new List<(double X, double Y)>();
        sb.Append(CultureInfo.InvariantCulture, $"<clipPath id=\"clip{ox}\"><rect x=\"{pl}\" y=\"{pt}\" width=\"{pr - pl}\" height=\"{pb - pt}\"/></clipPath>\n");
        for (int i = 0; i < panel.Series.Count; i++)
        {
            var s = panel.Series[i];
            var runs = new List<List<(double X, double Y)>>();
            List<(double X, double Y)>? current = null;
            for (int k = 0; k < s.X.Count; k++)
            {
                if (!Plottable(s.X[k]) || !Plottable(s.Y[k]))
                {
                    current = null;
                    continue;
                }
                double px = Sx(s.X[k]), py = Sy(s.Y[k]);
                if (current is null) runs.Add(current = []);
                else
                {
                    // Samples along the segment, so the legend avoids lines and not only their vertices.
                    var (qx, qy) = current[^1];
                    for (int m = 1; m < 8; m++) drawn.Add((qx + (px - qx) * m / 8, qy + (py - qy) * m / 8));
                }
                current.Add((px, py));
                drawn.Add((px, py));
            }
            sb.Append(CultureInfo.InvariantCulture,
                $"<g class=\"series\" data-name=\"{Esc(s.Name)}\" clip-path=\"url(#clip{ox})\" fill=\"none\" stroke=\"{Color(i)}\" stroke-width=\"2\" stroke-linejoin=\"round\"{DashAttr(i)}>\n");
            foreach (var run in runs)
            {
                sb.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{string.Join(' ', run.Select(q => F(q.X) + "," + F(q.Y)))}\"/>\n");
                // A one-point polyline draws nothing; the dot makes the point visible (e.g. after one epoch).
                if (run.Count == 1)
                    sb.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{F(run[0].X)}\" cy=\"{F(run[0].Y)}\" r=\"3.5\" fill=\"{Color(i)}\" stroke=\"none\"/>\n");
            }
            sb.Append("</g>\n");
        }
        Legend(sb, panel, pl, pr, pt, pb, drawn);
        sb.Append("</g>\n");
    }

    /// <summary>The legend goes in the corner it hides the least of the lines in, as matplotlib's <c>loc='best'</c>.</summary>
    private static void Legend(StringBuilder sb, ChartPanel panel, int pl, int pr, int pt, int pb, List<(double X, double Y)> drawn)
    {
        if (panel.Series.Count == 0) return;
        // Text width is estimated (no font metrics here): about 0.6 em per character at 12 px.
        int textW = (int)Math.Ceiling(panel.Series.Max(s => Clean(s.Name).Length) * 7.2);
        int w = 38 + textW, h = 10 + 18 * panel.Series.Count;
        // matplotlib's order of preference: upper right, upper left, lower left, lower right.
        var corners = new[] { (pr - w - 8, pt + 8), (pl + 8, pt + 8), (pl + 8, pb - h - 8), (pr - w - 8, pb - h - 8) };
        var (lx, ly) = corners.MinBy(c => drawn.Count(p => p.X >= c.Item1 - 4 && p.X <= c.Item1 + w + 4 && p.Y >= c.Item2 - 4 && p.Y <= c.Item2 + h + 4));
        sb.Append(CultureInfo.InvariantCulture, $"<g class=\"legend\"><rect x=\"{lx}\" y=\"{ly}\" width=\"{w}\" height=\"{h}\" fill=\"white\" fill-opacity=\"0.85\" stroke=\"#bbb\" rx=\"3\"/>\n");
        for (int i = 0; i < panel.Series.Count; i++)
        {
            int y = ly + 17 + 18 * i;
            sb.Append(CultureInfo.InvariantCulture, $"<line x1=\"{lx + 6}\" x2=\"{lx + 30}\" y1=\"{y - 4}\" y2=\"{y - 4}\" stroke=\"{Color(i)}\" stroke-width=\"2\"{DashAttr(i)}/>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{lx + 34}\" y=\"{y}\">{Esc(panel.Series[i].Name)}</text>\n");
        }
        sb.Append("</g>\n");
    }

    private static string Color(int i) => Colors[i % Colors.Length];

    private static string DashAttr(int i)
    {
        string dash = Dashes[i % Dashes.Length];
        return dash.Length > 0 ? $" stroke-dasharray=\"{dash}\"" : "";
    }

    /// <summary>Data range with matplotlib's 5% margins; a flat or empty range is widened so the axis has extent.</summary>
    private static (double Lo, double Hi) Range(IEnumerable<double> values, bool pad)
    {
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (var v in values) { lo = Math.Min(lo, v); hi = Math.Max(hi, v); }
        if (lo > hi) return (0, 1);
        if (hi - lo <= 1e-12 * Math.Max(1, Math.Abs(hi)))
        {
            double half = Math.Max(0.5, Math.Abs(hi) * 0.05);
            return (lo - half, hi + half);
        }
        if (!pad) return (lo, hi);
        double m = (hi - lo) * 0.05;
        return (lo - m, hi + m);
    }

    /// <summary>About five "nice" ticks (1, 2, 2.5, 5 × 10^k) inside [lo, hi]; steps at least <paramref name="minStep"/>.</summary>
    private static (List<double> Ticks, double Step) Ticks(double lo, double hi, double minStep)
    {
        double raw = (hi - lo) / 5;
        double mag = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double step = new[] { 1, 2, 2.5, 5, 10 }.Select(m => m * mag).First(s => s >= raw * 0.999);
        if (step < minStep) step = minStep;
        var t = new List<double>();
        for (double k = Math.Ceiling(lo / step - 1e-9); k * step <= hi + step * 1e-9 && t.Count < 50; k++)
            t.Add(k * step);
        return (t, step);
    }

    private static string Label(double v, double step)
    {
        if (Math.Abs(v) < step * 1e-9) v = 0;
        if (Math.Abs(v) >= 1e6 || step < 1e-4) return v.ToString("G4", CultureInfo.InvariantCulture);
        int decimals = Math.Max(0, (int)Math.Ceiling(-Math.Log10(step) - 1e-9));
        if (Math.Abs(step * Math.Pow(10, decimals) - Math.Round(step * Math.Pow(10, decimals))) > 1e-6) decimals++;
        return v.ToString("F" + decimals, CultureInfo.InvariantCulture);
    }

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>XML 1.0 cannot hold most control characters, even escaped; they are dropped.</summary>
    private static string Clean(string? s) =>
        string.Concat((s ?? "").Where(c => c is '\t' or '\n' or '\r' or >= ' ' and not ('\uFFFE' or '\uFFFF')));

    private static string Esc(string? s) => System.Security.SecurityElement.Escape(Clean(s)) ?? "";
}
