namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.callbacks.ProgbarLogger</c> as in Keras 2.6: prints <c>Epoch i/n</c> (when epochs &gt; 1) and drives a
/// <see cref="Progbar"/> over the steps; added first to the callback list by <c>Fit</c> when verbose &gt; 0.
/// </summary>
public sealed class ProgbarLogger : Callback
{
    private readonly TextWriter? output;
    private Progbar? progbar;
    private int target;
    private int epochs;
    private int verbose;

    /// <summary>A logger writing to <paramref name="output"/> (stdout when null).</summary>
    public ProgbarLogger(TextWriter? output = null) => this.output = output;

    /// <inheritdoc/>
    public override void SetParams(IReadOnlyDictionary<string, object> parameters)
    {
        base.SetParams(parameters);
        verbose = (int)parameters["verbose"];
        epochs = (int)parameters["epochs"];
        target = (int)parameters["steps"];
    }

    /// <inheritdoc/>
    public override void OnEpochBegin(int epoch, Dictionary<string, double> logs)
    {
        if (verbose > 0 && epochs > 1) (output ?? Console.Out).WriteLine($"Epoch {epoch + 1}/{epochs}");
        progbar = new Progbar(target, verbose: verbose, statefulMetrics: Model?.MetricsNames ?? [], output: output);
    }

    /// <inheritdoc/>
    public override void OnTrainBatchEnd(int batch, Dictionary<string, double> logs) =>
        progbar?.Update(batch + 1, logs.ToList(), finalize: false);

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, Dictionary<string, double> logs) =>
        progbar?.Update(target, logs.ToList(), finalize: true);
}
