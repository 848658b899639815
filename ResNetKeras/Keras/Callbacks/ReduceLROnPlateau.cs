namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.callbacks.ReduceLROnPlateau</c>: multiplies the learning rate by <c>factor</c> after
/// <c>patience</c> epochs without improvement of <c>monitor</c> (by more than <c>min_delta</c>), then waits
/// <c>cooldown</c> epochs; never below <c>min_lr</c>. Keras's wait/cooldown algorithm exactly.
/// </summary>
public sealed class ReduceLROnPlateau : Callback, IRestorableState
{
    private readonly bool max;
    private double best;
    private int wait;
    private int cooldownCounter;
    private readonly TextWriter? output;

    /// <summary>Keras's signature with its defaults.</summary>
    public ReduceLROnPlateau(string monitor = "val_loss", double factor = 0.1, int patience = 10, int verbose = 0, string mode = "auto",
        double minDelta = 1e-4, int cooldown = 0, double minLr = 0, TextWriter? output = null)
    {
        ArgumentNullException.ThrowIfNull(monitor);
        this.output = output;
        if (factor >= 1.0)
            throw new ArgumentException($"ReduceLROnPlateau does not support a factor >= 1.0. Got {factor}", nameof(factor));
        if (patience < 0) throw new ArgumentException($"Invalid value for argument `patience`. Expected a value >= 0. Received patience={patience}.", nameof(patience));
        if (cooldown < 0) throw new ArgumentException($"Invalid value for argument `cooldown`. Expected a value >= 0. Received cooldown={cooldown}.", nameof(cooldown));
        Monitor = monitor;
        Factor = factor;
        Patience = patience;
        Verbose = verbose;
        MinDelta = minDelta;
        Cooldown = cooldown;
        MinLr = minLr;
        max = ResolveMax(mode, monitor, nameof(ReduceLROnPlateau));
        Reset();
    }

    /// <summary>Monitored log key.</summary>
    public string Monitor { get; }
    /// <summary>Reduction factor.</summary>
    public double Factor { get; }
    /// <summary>Epochs without improvement before reducing.</summary>
    public int Patience { get; }
    /// <summary>Prints reductions when &gt; 0.</summary>
    public int Verbose { get; }
    /// <summary>Minimum change counted as improvement.</summary>
    public double MinDelta { get; }
    /// <summary>Epochs to wait after a reduction.</summary>
    public int Cooldown { get; }
    /// <summary>Lower bound of the learning rate.</summary>
    public double MinLr { get; }

    private bool Improved(double current) => max ? current > best + MinDelta : current < best - MinDelta;

    private void Reset()
    {
        best = max ? double.NegativeInfinity : double.PositiveInfinity;
        cooldownCounter = 0;
        wait = 0;
    }

    /// <inheritdoc/>
    public override void OnTrainBegin(Dictionary<string, double> logs) => Reset();

    Dictionary<string, double> IRestorableState.SaveState() => new() { ["best"] = best, ["wait"] = wait, ["cooldown_counter"] = cooldownCounter };

    void IRestorableState.RestoreState(IReadOnlyDictionary<string, double> state)
    {
        best = state["best"];
        wait = (int)state["wait"];
        cooldownCounter = (int)state["cooldown_counter"];
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, Dictionary<string, double> logs)
    {
        var opt = Model?.Optimizer ?? throw new InvalidOperationException("ReduceLROnPlateau: the model has no optimizer; call Compile first.");
        logs["lr"] = opt.LearningRate;
        if (!TryGetMonitor(logs, Monitor, out double current))
        {
            (output ?? Console.Error).WriteLine($"WARNING: Learning rate reduction is conditioned on metric `{Monitor}` which is not available. Available metrics are: {string.Join(",", logs.Keys)}");
            return;
        }
        if (cooldownCounter > 0)
        {
            cooldownCounter--;
            wait = 0;
        }
        if (Improved(current))
        {
            best = current;
            wait = 0;
        }
        else if (cooldownCounter == 0)
        {
            wait++;
            if (wait >= Patience)
            {
                double old = opt.LearningRate;
                if (old > (float)MinLr)
                {
                    double next = Math.Max(old * Factor, MinLr);
                    opt.LearningRate = next;
                    if (Verbose > 0)
                        (output ?? Console.Out).WriteLine($"\n{EpochLabel(epoch)}: ReduceLROnPlateau reducing learning rate to {PyStr(next)}.");
                    cooldownCounter = Cooldown;
                    wait = 0;
                }
            }
        }
    }
}
