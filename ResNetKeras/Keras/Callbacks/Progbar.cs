using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ResNetKeras.Keras;

/// <summary>
/// Keras 2.6's progress bar (<c>keras.utils.Progbar</c>): width 30, ETA while running, elapsed time and
/// time per step when final, then <c> - key: value</c> for each metric. On a terminal each update
/// rewrites the line (backspaces and <c>\r</c>); when output is redirected each update is a new line.
/// </summary>
public sealed class Progbar
{
    private readonly TextWriter output;
    private readonly bool dynamicDisplay;
    private readonly List<string> valuesOrder = new();
    private readonly Dictionary<string, (double Sum, double Count)> values = new();
    private readonly HashSet<string> statefulMetrics;
    private readonly Func<double> clock;
    private readonly double start;
    private double lastUpdate;
    private double? timeAfterFirstStep;
    private int seenSoFar;
    private int totalWidth;

    /// <summary>A bar for <paramref name="target"/> steps (Keras's <c>Progbar(target, width=30, verbose=1, interval=0.05, stateful_metrics, unit_name='step')</c>).</summary>
    public Progbar(int target, int width = 30, int verbose = 1, double interval = 0.05, IEnumerable<string>? statefulMetrics = null,
        string unitName = "step", TextWriter? output = null, bool? dynamicDisplay = null, Func<double>? clock = null)
    {
        if (target <= 0) throw new ArgumentException($"Invalid value for argument `target`. Expected a strictly positive value. Received target={target}.", nameof(target));
        Target = target;
        Width = width;
        Verbose = verbose;
        Interval = interval;
        UnitName = unitName;
        this.output = output ?? Console.Out;
        this.dynamicDisplay = dynamicDisplay ?? (output is null && !Console.IsOutputRedirected);
        this.statefulMetrics = new HashSet<string>(statefulMetrics ?? []);
        var sw = Stopwatch.StartNew();
        this.clock = clock ?? (() => sw.Elapsed.TotalSeconds);
        start = this.clock();
        // Keras starts from _last_update = 0 against wall-clock seconds, so the first update is never skipped.
        lastUpdate = double.NegativeInfinity;
    }

    /// <summary>Number of steps.</summary>
    public int Target { get; }
    /// <summary>Bar width in characters.</summary>
    public int Width { get; }
    /// <summary>1: bar; 2: one line at the end.</summary>
    public int Verbose { get; }
    /// <summary>Minimum seconds between non-final updates.</summary>
    public double Interval { get; }
    /// <summary>Unit of the per-step time.</summary>
    public string UnitName { get; }

    /// <summary>Updates the bar to step <paramref name="current"/> with metric values; final when <paramref name="finalize"/> (default: current ≥ target).</summary>
    public void Update(int current, IEnumerable<KeyValuePair<string, double>>? logValues = null, bool? finalize = null)
    {
        bool fin = finalize ?? current >= Target;
        foreach (var (k, v) in logValues ?? [])
        {
            if (!valuesOrder.Contains(k)) valuesOrder.Add(k);
            if (!statefulMetrics.Contains(k))
            {
                int baseCount = Math.Max(current - seenSoFar, 1);
                values[k] = values.TryGetValue(k, out var acc) ? (acc.Sum + v * baseCount, acc.Count + baseCount) : (v * baseCount, baseCount);
            }
            else values[k] = (v, 1);
        }
        seenSoFar = current;
        double now = clock();
        string info = " - " + Fixed0(now - start) + "s";
        if (Verbose == 1)
        {
            if (now - lastUpdate < Interval && !fin) return;
            int prevTotalWidth = totalWidth;
            var sb = new StringBuilder();
            if (dynamicDisplay)
            {
                sb.Append('\b', prevTotalWidth);
                sb.Append('\r');
            }
            else sb.Append('\n');
            int digits = (int)Math.Floor(Math.Log10(Target)) + 1;
            var bar = new StringBuilder();
            bar.Append(current.ToString(CultureInfo.InvariantCulture).PadLeft(digits)).Append('/').Append(Target).Append(" [");
            int progWidth = (int)(Width * ((double)current / Target));
            if (progWidth > 0)
            {
                bar.Append('=', progWidth - 1);
                bar.Append(current < Target ? '>' : '=');
            }
            bar.Append('.', Math.Max(0, Width - progWidth));
            bar.Append(']');
            totalWidth = bar.Length;
            sb.Append(bar);
            double timePerUnit = EstimateStepDuration(current, now);
            if (fin)
            {
                if (timePerUnit >= 1 || timePerUnit == 0) info += " " + Fixed0(timePerUnit) + "s/" + UnitName;
                else if (timePerUnit >= 1e-3) info += " " + Fixed0(timePerUnit * 1e3) + "ms/" + UnitName;
                else info += " " + Fixed0(timePerUnit * 1e6) + "us/" + UnitName;
            }
            else
            {
                double eta = timePerUnit * (Target - current);
                string etaFormat = eta > 3600
                    ? $"{(long)(eta / 3600)}:{(long)(eta % 3600 / 60):D2}:{(long)(eta % 60):D2}"
                    : eta > 60 ? $"{(long)(eta / 60)}:{(long)(eta % 60):D2}" : $"{(long)eta}s";
                info = " - ETA: " + etaFormat;
            }
            foreach (var k in valuesOrder) info += $" - {k}: " + FormatValue(Mean(k), absolute: true);
            totalWidth += info.Length;
            if (prevTotalWidth > totalWidth) info += new string(' ', prevTotalWidth - totalWidth);
            if (fin) info += "\n";
            sb.Append(info);
            output.Write(sb.ToString());
            output.Flush();
        }
        else if (Verbose == 2 && fin)
        {
            int digits = (int)Math.Floor(Math.Log10(Target)) + 1;
            var line = current.ToString(CultureInfo.InvariantCulture).PadLeft(digits) + "/" + Target + info;
            foreach (var k in valuesOrder) line += $" - {k}: " + FormatValue(Mean(k), absolute: false);
            output.Write(line + "\n");
            output.Flush();
        }
        lastUpdate = now;
    }

    private double Mean(string k) => values[k].Sum / Math.Max(1, values[k].Count);

    private double EstimateStepDuration(int current, double now)
    {
        if (current == 0) return 0;
        double t = timeAfterFirstStep is { } first && current > 1 ? (now - first) / (current - 1) : (now - start) / current;
        if (current == 1) timeAfterFirstStep = now;
        return t;
    }

    /// <summary>Python's <c>'%.0f'</c> (round half to even).</summary>
    internal static string Fixed0(double v) => Math.Round(v, MidpointRounding.ToEven).ToString("F0", CultureInfo.InvariantCulture);

    /// <summary><c>%.4f</c> when |v| &gt; 1e-3 (verbose 2 compares v itself), else <c>%.4e</c>.</summary>
    internal static string FormatValue(double v, bool absolute)
    {
        bool big = absolute ? Math.Abs(v) > 1e-3 : v > 1e-3;
        if (big) return v.ToString("F4", CultureInfo.InvariantCulture);
        return PyExp4(v);
    }

    /// <summary>Python's <c>'%.4e'</c>: mantissa with 4 decimals, exponent sign and at least two digits.</summary>
    internal static string PyExp4(double v)
    {
        if (double.IsNaN(v)) return "nan";
        if (double.IsInfinity(v)) return v > 0 ? "inf" : "-inf";
        // "E4" rounds the exact binary value half-to-even as Python does (a custom "0.0000e+00" format would
        // round half away from zero); then Python's exponent form: sign and at least two digits.
        string s = v.ToString("E4", CultureInfo.InvariantCulture);
        int e = s.IndexOf('E');
        int exp = int.Parse(s[(e + 1)..], CultureInfo.InvariantCulture);
        return $"{s[..e]}e{(exp < 0 ? '-' : '+')}{Math.Abs(exp):D2}";
    }
}
