using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.callbacks.EarlyStopping</c> with Keras 2.6's rule: each epoch wait += 1, an improvement over the best value
/// (and over <c>baseline</c>, if given) resets it, and training stops once wait ≥ patience (checked after an improvement
/// too, so patience 0 stops after the first epoch).
/// </summary>
public sealed class EarlyStopping : Callback, IDisposable
{
    private readonly bool max;
    private double best;
    private int wait;
    private int stoppedEpoch;
    private List<NDArray>? bestWeights;
    private readonly TextWriter? output;

    /// <summary>Keras's signature with its defaults.</summary>
    public EarlyStopping(string monitor = "val_loss", double minDelta = 0, int patience = 0, int verbose = 0, string mode = "auto",
        double? baseline = null, bool restoreBestWeights = false, TextWriter? output = null)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        this.output = output;
        if (patience < 0) throw new ArgumentException($"Invalid value for argument `patience`. Expected a value >= 0. Received patience={patience}.", nameof(patience));
        Monitor = monitor;
        Patience = patience;
        Verbose = verbose;
        Baseline = baseline;
        RestoreBestWeights = restoreBestWeights;
        max = ResolveMax(mode, monitor, nameof(EarlyStopping));
        MinDelta = max ? Math.Abs(minDelta) : -Math.Abs(minDelta);
    }

    /// <summary>Monitored log key.</summary>
    public string Monitor { get; }
    /// <summary>Signed minimum change (positive for max mode).</summary>
    public double MinDelta { get; }
    /// <summary>Epochs without improvement before stopping.</summary>
    public int Patience { get; }
    /// <summary>Prints the stop when &gt; 0.</summary>
    public int Verbose { get; }
    /// <summary>Value the monitor must beat.</summary>
    public double? Baseline { get; }
    /// <summary>Whether the best weights are restored at the stop.</summary>
    public bool RestoreBestWeights { get; }
    /// <summary>Epoch (0-based) at which training stopped; 0 when it did not.</summary>
    public int StoppedEpoch => stoppedEpoch;

    private bool Improved(double current, double reference) => max ? current - MinDelta > reference : current - MinDelta < reference;

    /// <inheritdoc/>
    public override void OnTrainBegin(Dictionary<string, double> logs)
    {
        wait = 0;
        stoppedEpoch = 0;
        best = max ? double.NegativeInfinity : double.PositiveInfinity;
        ReleaseBestWeights();
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, Dictionary<string, double> logs)
    {
        if (!TryGetMonitor(logs, Monitor, out double current))
        {
            (output ?? Console.Error).WriteLine($"WARNING: Early stopping conditioned on metric `{Monitor}` which is not available. Available metrics are: {string.Join(",", logs.Keys)}");
            return;
        }
        // Keras 2.6 keeps the first epoch's weights in case no epoch ever improves.
        if (RestoreBestWeights && bestWeights is null) bestWeights = Snapshot();
        wait++;
        if (Improved(current, best))
        {
            best = current;
            if (RestoreBestWeights)
            {
                ReleaseBestWeights();
                bestWeights = Snapshot();
            }
            // Only restart waiting when the value beats both the previous best and the baseline.
            if (Baseline is null || Improved(current, Baseline.Value)) wait = 0;
        }
        if (wait >= Patience)
        {
            stoppedEpoch = epoch;
            Model!.StopTraining = true;
            if (RestoreBestWeights && bestWeights is not null)
            {
                if (Verbose > 0) (output ?? Console.Out).WriteLine("Restoring model weights from the end of the best epoch.");
                Model.SetWeights(bestWeights);
            }
        }
    }

    private List<NDArray> Snapshot() => Model!.GetWeights();

    /// <inheritdoc/>
    public override void OnTrainEnd(Dictionary<string, double> logs)
    {
        if (stoppedEpoch > 0 && Verbose > 0) (output ?? Console.Out).WriteLine($"{EpochLabel(stoppedEpoch)}: early stopping");
        // The snapshot is only needed during training: its unmanaged memory goes back now, not at finalization.
        ReleaseBestWeights();
    }

    private void ReleaseBestWeights()
    {
        foreach (var w in bestWeights ?? []) w.Dispose();
        bestWeights = null;
    }

    /// <summary>Frees the weight snapshot of a training run that did not reach <c>OnTrainEnd</c>.</summary>
    public void Dispose()
    {
        if (bestWeights is not null)
            foreach (var w in bestWeights) w.Dispose();
        bestWeights = null;
    }
}
