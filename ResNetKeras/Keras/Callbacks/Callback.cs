namespace ResNetKeras.Keras;

/// <summary>
/// Base of training callbacks (<c>keras.callbacks.Callback</c>) with Keras's hooks. Logs are one shared,
/// insertion-ordered dictionary per epoch, so keys added by an earlier callback (e.g. <c>lr</c>) are
/// visible to later ones.
/// </summary>
public abstract class Callback
{
    /// <summary>The model being trained (<c>self.model</c>).</summary>
    public Model? Model { get; private set; }

    /// <summary>verbose, epochs, steps (<c>self.params</c>).</summary>
    public IReadOnlyDictionary<string, object> Params { get; private set; } = new Dictionary<string, object>();

    /// <summary>Sets the model.</summary>
    public virtual void SetModel(Model model) => Model = model;

    /// <summary>Sets the training parameters.</summary>
    public virtual void SetParams(IReadOnlyDictionary<string, object> parameters) => Params = parameters;

    /// <summary>Start of training.</summary>
    public virtual void OnTrainBegin(Dictionary<string, double> logs) { }
    /// <summary>End of training.</summary>
    public virtual void OnTrainEnd(Dictionary<string, double> logs) { }
    /// <summary>Start of an epoch (0-based).</summary>
    public virtual void OnEpochBegin(int epoch, Dictionary<string, double> logs) { }
    /// <summary>End of an epoch with its training and validation logs.</summary>
    public virtual void OnEpochEnd(int epoch, Dictionary<string, double> logs) { }
    /// <summary>Before a training batch.</summary>
    public virtual void OnTrainBatchBegin(int batch, Dictionary<string, double> logs) { }
    /// <summary>After a training batch, with the running epoch means.</summary>
    public virtual void OnTrainBatchEnd(int batch, Dictionary<string, double> logs) { }
    /// <summary>Start of evaluation (also validation inside fit).</summary>
    public virtual void OnTestBegin(Dictionary<string, double> logs) { }
    /// <summary>End of evaluation.</summary>
    public virtual void OnTestEnd(Dictionary<string, double> logs) { }
    /// <summary>After an evaluation batch.</summary>
    public virtual void OnTestBatchEnd(int batch, Dictionary<string, double> logs) { }
    /// <summary>After a prediction batch.</summary>
    public virtual void OnPredictBatchEnd(int batch, Dictionary<string, double> logs) { }

    /// <summary>
    /// Reads a monitored quantity. Unlike tf.keras 2.x (where the tutorial's <c>val_acc</c> silently never
    /// matched <c>val_accuracy</c>), <c>acc</c> and <c>accuracy</c> find each other, with or without <c>val_</c>.
    /// </summary>
    public static bool TryGetMonitor(IReadOnlyDictionary<string, double> logs, string monitor, out double value)
    {
        ArgumentNullException.ThrowIfNull(logs);
        if (logs.TryGetValue(monitor, out value)) return true;
        string? alias = monitor switch
        {
            "acc" => "accuracy",
            "accuracy" => "acc",
            "val_acc" => "val_accuracy",
            "val_accuracy" => "val_acc",
            _ => null,
        };
        return alias is not null && logs.TryGetValue(alias, out value);
    }

    /// <summary>Keras's mode 'auto': max when 'acc' is in the monitor name (or it starts with 'fmeasure'), else min.</summary>
    internal static bool ResolveMax(string mode, string monitor, string callback)
    {
        switch (mode)
        {
            case "min": return false;
            case "max": return true;
            case "auto": return monitor.Contains("acc", StringComparison.Ordinal) || monitor.StartsWith("fmeasure", StringComparison.Ordinal);
            default:
                throw new ArgumentException($"Invalid value for argument `mode` of {callback}. Expected one of {{\"auto\", \"min\", \"max\"}}. Received mode={mode}.", nameof(mode));
        }
    }

    /// <summary>Keras 2.6's epoch prefix of callback messages: <c>Epoch 00012</c>.</summary>
    internal static string EpochLabel(int epoch) => $"Epoch {epoch + 1:D5}";

    /// <summary>Python's str() of a float: shortest round-trip text, with ".0" for integral values.</summary>
    internal static string PyStr(double v)
    {
        if (double.IsNaN(v)) return "nan";
        if (double.IsPositiveInfinity(v)) return "inf";
        if (double.IsNegativeInfinity(v)) return "-inf";
        string r = v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        if (r.Contains('E'))
        {
            // Python writes 1e-05 and 1.5e-07 where .NET writes 1E-05 and 1.5E-07.
            var parts = r.Split('E');
            int exp = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
            return $"{parts[0]}e{(exp < 0 ? "-" : "+")}{Math.Abs(exp):D2}";
        }
        if (Math.Abs(v) >= 1e16) return v.ToString("0.0e+00", System.Globalization.CultureInfo.InvariantCulture);
        return r.Contains('.') ? r : r + ".0";
    }
}
