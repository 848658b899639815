namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.callbacks.ProgbarLogger(count_mode='steps')</c> as in Keras 2.6: in <c>Fit</c> prints <c>Epoch i/n</c>
/// (when epochs &gt; 1) and drives a <see cref="Progbar"/> over the steps of each epoch, finalized with the epoch logs
/// (validation inside Fit stays silent); in <c>Evaluate</c> and <c>Predict</c> one bar over their steps. Put first in
/// the callback list by <c>Fit</c>, <c>Evaluate</c> and <c>Predict</c> when verbose &gt; 0.
/// </summary>
public sealed class ProgbarLogger : Callback
{
    private readonly TextWriter? output;
    private readonly bool? dynamicDisplay;
    private Progbar? progbar;
    private bool calledInFit;
    private int target;
    private int epochs;
    private int verbose;

    /// <summary>
    /// A logger writing to <paramref name="output"/> (stdout when null); <paramref name="dynamicDisplay"/> forces or
    /// forbids rewriting the line in place (default: only on a terminal).
    /// </summary>
    public ProgbarLogger(TextWriter? output = null, bool? dynamicDisplay = null)
    {
        this.output = output;
        this.dynamicDisplay = dynamicDisplay;
    }

    /// <inheritdoc/>
    public override void SetParams(IReadOnlyDictionary<string, object> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        base.SetParams(parameters);
        verbose = parameters.TryGetValue("verbose", out var v) ? Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture) : 1;
        // Standard output going to a file or pipe: a bar redrawn per batch would become one line per update, so the log
        // gets Keras's verbose=2 look instead, one line per epoch. An explicit writer or display mode keeps verbose 1.
        if (verbose == 1 && output is null && dynamicDisplay is null && StdoutRedirected()) verbose = 2;
        epochs = parameters.TryGetValue("epochs", out var e) ? Convert.ToInt32(e, System.Globalization.CultureInfo.InvariantCulture) : 1;
        target = parameters.TryGetValue("steps", out var s) ? Convert.ToInt32(s, System.Globalization.CultureInfo.InvariantCulture) : 1;
    }

    /// <inheritdoc/>
    public override void OnTrainBegin(Dictionary<string, double> logs) => calledInFit = true;

    /// <inheritdoc/>
    public override void OnEpochBegin(int epoch, Dictionary<string, double> logs)
    {
        NewBar();
        if (verbose > 0 && epochs > 1) (output ?? Console.Out).WriteLine($"Epoch {epoch + 1}/{epochs}");
    }

    /// <inheritdoc/>
    public override void OnTrainBatchEnd(int batch, Dictionary<string, double> logs) => BatchUpdate(batch, logs);

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, Dictionary<string, double> logs) => progbar?.Update(target, logs.ToList(), finalize: true);

    /// <inheritdoc/>
    public override void OnTestBegin(Dictionary<string, double> logs)
    {
        if (!calledInFit) NewBar();
    }

    /// <inheritdoc/>
    public override void OnTestBatchEnd(int batch, Dictionary<string, double> logs)
    {
        if (!calledInFit) BatchUpdate(batch, logs);
    }

    /// <inheritdoc/>
    public override void OnTestEnd(Dictionary<string, double> logs)
    {
        if (!calledInFit) progbar?.Update(target, logs.ToList(), finalize: true);
    }

    /// <inheritdoc/>
    public override void OnPredictBegin(Dictionary<string, double> logs) => NewBar();

    /// <inheritdoc/>
    public override void OnPredictBatchEnd(int batch, Dictionary<string, double> logs) => BatchUpdate(batch, null);

    /// <inheritdoc/>
    public override void OnPredictEnd(Dictionary<string, double> logs) => progbar?.Update(target, logs.ToList(), finalize: true);

    /// <summary>Whether standard output is a file or pipe (replaced by tests).</summary>
    internal static Func<bool> StdoutRedirected { get; set; } = () => Console.IsOutputRedirected;

    /// <summary>Seconds source for the bars (tests use a scripted clock).</summary>
    internal Func<double>? Clock { get; set; }

    private void NewBar() =>
        progbar = new Progbar(Math.Max(1, target), verbose: verbose, statefulMetrics: Model?.MetricsNames ?? [], output: output,
            dynamicDisplay: dynamicDisplay, clock: Clock);

    // Keras updates the bar per batch only at verbose 1; verbose 2 prints the final line alone.
    private void BatchUpdate(int batch, Dictionary<string, double>? logs)
    {
        if (verbose == 1) progbar?.Update(batch + 1, logs?.ToList(), finalize: false);
    }
}
