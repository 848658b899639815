namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.callbacks.LearningRateScheduler(schedule, verbose=0)</c>: at each epoch start sets the learning
/// rate to schedule(epoch) or schedule(epoch, lr); at each epoch end logs <c>lr</c>.
/// </summary>
public sealed class LearningRateScheduler : Callback
{
    private readonly Func<int, double, double> schedule;
    private readonly TextWriter? output;

    /// <summary>A schedule of the 0-based epoch (the tutorial's <c>lr_schedule</c>).</summary>
    public LearningRateScheduler(Func<int, double> schedule, int verbose = 0, TextWriter? output = null)
        : this(OneArgument(schedule), verbose, output) { }

    private static Func<int, double, double> OneArgument(Func<int, double> schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return (epoch, _) => schedule(epoch);
    }

    /// <summary>A schedule of the 0-based epoch and the current learning rate.</summary>
    public LearningRateScheduler(Func<int, double, double> schedule, int verbose = 0, TextWriter? output = null)
    {
        this.output = output;
        this.schedule = schedule ?? throw new ArgumentNullException(nameof(schedule));
        Verbose = verbose;
    }

    /// <summary>Prints the new rate when &gt; 0.</summary>
    public int Verbose { get; }

    /// <inheritdoc/>
    public override void OnEpochBegin(int epoch, Dictionary<string, double> logs)
    {
        var opt = Model?.Optimizer ?? throw new InvalidOperationException("LearningRateScheduler: the model has no optimizer; call Compile first.");
        double lr = schedule(epoch, opt.LearningRate);
        if (double.IsNaN(lr) || double.IsInfinity(lr))
            throw new ArgumentException($"The output of the \"schedule\" function should be a finite float. Received lr={lr} at epoch {epoch}.");
        opt.LearningRate = lr;
        if (Verbose > 0)
            (output ?? Console.Out).WriteLine($"\n{EpochLabel(epoch)}: LearningRateScheduler setting learning rate to {PyStr(lr)}.");
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, Dictionary<string, double> logs)
    {
        if (Model?.Optimizer is { } opt) logs["lr"] = opt.LearningRate;
    }
}
