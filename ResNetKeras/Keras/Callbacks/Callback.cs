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

    /// <summary>Start of training (<c>on_train_begin</c>).</summary>
    public virtual void OnTrainBegin(Dictionary<string, double> logs) { }
    /// <summary>End of training, with the last epoch's logs (<c>on_train_end</c>).</summary>
    public virtual void OnTrainEnd(Dictionary<string, double> logs) { }
    /// <summary>Start of an epoch, 0-based (<c>on_epoch_begin</c>).</summary>
    public virtual void OnEpochBegin(int epoch, Dictionary<string, double> logs) { }
    /// <summary>End of an epoch with its training and validation logs (<c>on_epoch_end</c>).</summary>
    public virtual void OnEpochEnd(int epoch, Dictionary<string, double> logs) { }
    /// <summary>Before a training batch (<c>on_train_batch_begin</c>); by default forwards to <see cref="OnBatchBegin"/> as Keras does.</summary>
    public virtual void OnTrainBatchBegin(int batch, Dictionary<string, double> logs) => OnBatchBegin(batch, logs);
    /// <summary>After a training batch, with the running epoch means (<c>on_train_batch_end</c>); by default forwards to <see cref="OnBatchEnd"/>.</summary>
    public virtual void OnTrainBatchEnd(int batch, Dictionary<string, double> logs) => OnBatchEnd(batch, logs);
    /// <summary>Keras's backwards-compatible alias of <see cref="OnTrainBatchBegin"/> (<c>on_batch_begin</c>).</summary>
    public virtual void OnBatchBegin(int batch, Dictionary<string, double> logs) { }
    /// <summary>Keras's backwards-compatible alias of <see cref="OnTrainBatchEnd"/> (<c>on_batch_end</c>).</summary>
    public virtual void OnBatchEnd(int batch, Dictionary<string, double> logs) { }
    /// <summary>Start of evaluation, also validation inside Fit (<c>on_test_begin</c>).</summary>
    public virtual void OnTestBegin(Dictionary<string, double> logs) { }
    /// <summary>End of evaluation with its logs (<c>on_test_end</c>).</summary>
    public virtual void OnTestEnd(Dictionary<string, double> logs) { }
    /// <summary>Before an evaluation batch (<c>on_test_batch_begin</c>).</summary>
    public virtual void OnTestBatchBegin(int batch, Dictionary<string, double> logs) { }
    /// <summary>After an evaluation batch, with the running means (<c>on_test_batch_end</c>).</summary>
    public virtual void OnTestBatchEnd(int batch, Dictionary<string, double> logs) { }
    /// <summary>Start of prediction (<c>on_predict_begin</c>).</summary>
    public virtual void OnPredictBegin(Dictionary<string, double> logs) { }
    /// <summary>End of prediction (<c>on_predict_end</c>).</summary>
    public virtual void OnPredictEnd(Dictionary<string, double> logs) { }
    /// <summary>Before a prediction batch (<c>on_predict_batch_begin</c>).</summary>
    public virtual void OnPredictBatchBegin(int batch, Dictionary<string, double> logs) { }
    /// <summary>After a prediction batch (<c>on_predict_batch_end</c>).</summary>
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

    /// <summary>
    /// Keras's mode 'auto': max when 'acc' is in the monitor name, else min; ModelCheckpoint alone also counts a
    /// monitor starting with 'fmeasure' as max (<paramref name="fmeasureIsMax"/>). An unknown mode is refused.
    /// </summary>
    internal static bool ResolveMax(string mode, string monitor, string callback, bool fmeasureIsMax = false)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        switch (mode)
        {
            case "min": return false;
            case "max": return true;
            case "auto": return monitor.Contains("acc", StringComparison.Ordinal) || (fmeasureIsMax && monitor.StartsWith("fmeasure", StringComparison.Ordinal));
            default:
                throw new ArgumentException($"Invalid value for argument `mode` of {callback}. Expected one of {{\"auto\", \"min\", \"max\"}}. Received mode={mode}.", nameof(mode));
        }
    }

    /// <summary>Keras 2.6's epoch prefix of callback messages: <c>Epoch 00012</c>.</summary>
    internal static string EpochLabel(int epoch) => $"Epoch {epoch + 1:D5}";

    /// <summary>
    /// Python's str() of a float (repr since 3.2): the shortest digits that round-trip, written positionally when the
    /// decimal exponent is in [-4, 15] (with ".0" for integral values), else as <c>1.5e-07</c> / <c>1e+16</c>.
    /// </summary>
    public static string PyStr(double v)
    {
        if (double.IsNaN(v)) return "nan";
        if (double.IsPositiveInfinity(v)) return "inf";
        if (double.IsNegativeInfinity(v)) return "-inf";
        if (v == 0) return double.IsNegative(v) ? "-0.0" : "0.0";
        var (digits, exp) = ShortestDigits(Math.Abs(v).ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        return (v < 0 ? "-" : "") + FormatRepr(digits, exp);
    }

    /// <summary>
    /// NumPy's str() of a float32 scalar (what Keras logs for <c>lr</c>): the shortest digits that round-trip in float32,
    /// positional when 1e-4 ≤ |v| &lt; 1e16, else scientific (so float32 1e-4, just below 1e-4, prints <c>1e-04</c>).
    /// </summary>
    public static string PyStr(float v)
    {
        if (float.IsNaN(v)) return "nan";
        if (float.IsPositiveInfinity(v)) return "inf";
        if (float.IsNegativeInfinity(v)) return "-inf";
        if (v == 0) return float.IsNegative(v) ? "-0.0" : "0.0";
        float a = Math.Abs(v);
        var (digits, exp) = ShortestDigits(a.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        bool positional = a >= 1e-4 && a < 1e16;
        return (v < 0 ? "-" : "") + (positional ? Positional(digits, exp) : Scientific(digits, exp));
    }

    /// <summary>Significant digits (no leading/trailing zeros) and the decimal exponent of the first one, from .NET's "R" text.</summary>
    private static (string Digits, int Exponent) ShortestDigits(string r)
    {
        int e = r.IndexOfAny(['E', 'e']);
        int exp = e < 0 ? 0 : int.Parse(r[(e + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        string mantissa = e < 0 ? r : r[..e];
        int dot = mantissa.IndexOf('.');
        int intDigits = dot < 0 ? mantissa.Length : dot;
        string all = mantissa.Replace(".", "");
        int lead = 0;
        while (lead < all.Length - 1 && all[lead] == '0') lead++;
        string digits = all[lead..].TrimEnd('0');
        if (digits.Length == 0) digits = "0";
        return (digits, intDigits - 1 - lead + exp);
    }

    private static string FormatRepr(string digits, int exp) =>
        exp < -4 || exp > 15 ? Scientific(digits, exp) : Positional(digits, exp);

    private static string Scientific(string digits, int exp)
    {
        string mant = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
        return $"{mant}e{(exp < 0 ? '-' : '+')}{Math.Abs(exp):D2}";
    }

    private static string Positional(string digits, int exp)
    {
        if (exp < 0) return "0." + new string('0', -exp - 1) + digits;
        if (digits.Length <= exp + 1) return digits + new string('0', exp + 1 - digits.Length) + ".0";
        return digits[..(exp + 1)] + "." + digits[(exp + 1)..];
    }
}
