using System.Globalization;
using System.Text.RegularExpressions;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.callbacks.ModelCheckpoint(filepath, monitor='val_loss', verbose=0, save_best_only=False,
/// save_weights_only=False, mode='auto', save_freq='epoch')</c>: saves after each epoch to <c>filepath</c> formatted with
/// Python format fields (<c>{epoch:03d}</c>, 1-based; any log key, e.g. <c>{val_accuracy:.4f}</c>). The tutorial's
/// <c>monitor="val_acc"</c> finds <c>val_accuracy</c>. Each save goes to a temporary file renamed into place.
/// </summary>
public sealed partial class ModelCheckpoint : Callback, IRestorableState
{
    private readonly bool max;
    private double best;
    private int currentEpoch, batchesSinceSave;

    /// <summary>
    /// Keras's signature with its defaults. <paramref name="saveFreq"/>: "epoch" (default) or a number of batches, after
    /// which the model is saved with <c>{epoch}</c> and <c>{batch}</c> in the path; <paramref name="initialValueThreshold"/>:
    /// the value the monitor must beat before the first save with <paramref name="saveBestOnly"/>.
    /// </summary>
    public ModelCheckpoint(string filepath, string monitor = "val_loss", int verbose = 0, bool saveBestOnly = false,
        bool saveWeightsOnly = false, string mode = "auto", TextWriter? output = null, object? saveFreq = null, double? initialValueThreshold = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(filepath);
        Filepath = filepath;
        Monitor = monitor;
        Verbose = verbose;
        SaveBestOnly = saveBestOnly;
        SaveWeightsOnly = saveWeightsOnly;
        if (mode is not ("auto" or "min" or "max"))
        {
            Console.Error.WriteLine($"WARNING: ModelCheckpoint mode {mode} is unknown, fallback to auto mode.");
            mode = "auto";
        }
        max = ResolveMax(mode, monitor, nameof(ModelCheckpoint), fmeasureIsMax: true);
        best = initialValueThreshold ?? (max ? double.NegativeInfinity : double.PositiveInfinity);
        InitialValueThreshold = initialValueThreshold;
        SaveFreq = saveFreq switch
        {
            null or "epoch" => 0,
            int n when n > 0 => n,
            _ => throw new ArgumentException($"Unrecognized save_freq: {saveFreq}. Expected save_freq are 'epoch' or integer values", nameof(saveFreq)),
        };
        Output = output ?? Console.Out;
    }

    /// <summary>Batches between saves, or 0 for once per epoch (<c>save_freq="epoch"</c>).</summary>
    public int SaveFreq { get; }

    /// <summary>The initial best value of the monitor (<c>initial_value_threshold</c>), if given.</summary>
    public double? InitialValueThreshold { get; }

    /// <inheritdoc/>
    public override void OnEpochBegin(int epoch, Dictionary<string, double> logs) => currentEpoch = epoch;

    /// <inheritdoc/>
    public override void OnTrainBatchEnd(int batch, Dictionary<string, double> logs)
    {
        if (SaveFreq == 0 || ++batchesSinceSave < SaveFreq) return;
        batchesSinceSave = 0;
        Save(currentEpoch, batch, logs);
    }

    /// <summary>Path template.</summary>
    public string Filepath { get; }
    /// <summary>Monitored log key.</summary>
    public string Monitor { get; }
    /// <summary>Prints save messages when &gt; 0.</summary>
    public int Verbose { get; }
    /// <summary>Save only when the monitor improves.</summary>
    public bool SaveBestOnly { get; }
    /// <summary>Save weights (<c>SaveWeights</c>) instead of the whole model (<c>Save</c>).</summary>
    public bool SaveWeightsOnly { get; }
    /// <summary>Best monitored value so far.</summary>
    public double Best => best;

    Dictionary<string, double> IRestorableState.SaveState() => new() { ["best"] = best };

    void IRestorableState.RestoreState(IReadOnlyDictionary<string, double> state) => best = state["best"];

    private TextWriter Output { get; }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, Dictionary<string, double> logs)
    {
        if (SaveFreq == 0) Save(epoch, null, logs);
    }

    private void Save(int epoch, int? batch, Dictionary<string, double> logs)
    {
        string path = FormatPath(Filepath, epoch, logs, batch);
        string label = EpochLabel(epoch);
        if (SaveBestOnly)
        {
            if (!TryGetMonitor(logs, Monitor, out double current))
            {
                Output.WriteLine($"WARNING: Can save best model only with {Monitor} available, skipping.");
                return;
            }
            bool improved = max ? current > best : current < best;
            if (improved)
            {
                if (Verbose > 0)
                    Output.WriteLine($"\n{label}: {Monitor} improved from {Fmt5(best)} to {Fmt5(current)}, saving model to {path}");
                best = current;
                SaveModel(path);
            }
            else if (Verbose > 0)
                Output.WriteLine($"\n{label}: {Monitor} did not improve from {Fmt5(best)}");
            return;
        }
        if (Verbose > 0) Output.WriteLine($"\n{label}: saving model to {path}");
        SaveModel(path);
    }

    private void SaveModel(string path)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        if (SaveWeightsOnly) Model!.SaveWeights(path); else Model!.Save(path);
    }

    /// <summary>Python's <c>'%0.5f'</c>, with <c>inf</c>/<c>-inf</c> for the initial best.</summary>
    private static string Fmt5(double v) => double.IsInfinity(v) ? (v > 0 ? "inf" : "-inf") : v.ToString("F5", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\{([A-Za-z_][A-Za-z0-9_]*)(?::([^{}]*))?\}")]
    private static partial Regex Field();

    /// <summary>
    /// Python's <c>str.format(epoch=epoch + 1, batch=batch + 1, **logs)</c> for the specs Keras users write (<c>03d</c>,
    /// <c>.4f</c>, <c>.2e</c>, none); <c>{batch}</c> only for a save within an epoch.
    /// </summary>
    public static string FormatPath(string template, int epoch, IReadOnlyDictionary<string, double> logs, int? batch = null)
    {
        return Field().Replace(template, m =>
        {
            string key = m.Groups[1].Value;
            string spec = m.Groups[2].Success ? m.Groups[2].Value : "";
            double value;
            bool isInt = false;
            if (key == "epoch") { value = epoch + 1; isInt = true; }
            else if (key == "batch" && batch is { } b) { value = b + 1; isInt = true; }
            else if (!TryGetMonitor(logs, key, out value))
                throw new KeyNotFoundException($"Failed to format this callback filepath: \"{template}\". Reason: '{key}' is not in the logs (available: epoch, {string.Join(", ", logs.Keys)}).");
            return FormatSpec(value, spec, isInt, template);
        });
    }

    private static string FormatSpec(double value, string spec, bool isInt, string template)
    {
        var m = Regex.Match(spec, @"^(0?)(\d*)(?:\.(\d+))?([dfeg%]?)$");
        if (!m.Success) throw new FormatException($"Failed to format this callback filepath: \"{template}\". Unsupported format spec '{spec}'.");
        bool zero = m.Groups[1].Value == "0";
        int width = m.Groups[2].Value.Length > 0 ? int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) : 0;
        int? precision = m.Groups[3].Success ? int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture) : null;
        string type = m.Groups[4].Value;
        string body = type switch
        {
            "d" => ((long)value).ToString(CultureInfo.InvariantCulture),
            "f" => value.ToString("F" + (precision ?? 6), CultureInfo.InvariantCulture),
            "%" => (value * 100).ToString("F" + (precision ?? 6), CultureInfo.InvariantCulture) + "%",
            "e" => value.ToString((precision ?? 6) == 0 ? "0e+00" : "0." + new string('0', precision ?? 6) + "e+00", CultureInfo.InvariantCulture),
            _ => isInt ? ((long)value).ToString(CultureInfo.InvariantCulture) : PyStr(value),
        };
        if (body.Length < width)
        {
            if (zero)
            {
                bool neg = body.StartsWith('-');
                body = (neg ? "-" : "") + new string('0', width - body.Length) + (neg ? body[1..] : body);
            }
            else body = body.PadLeft(width);
        }
        return body;
    }
}
