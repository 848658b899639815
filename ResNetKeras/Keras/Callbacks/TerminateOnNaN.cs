namespace ResNetKeras.Keras;

/// <summary><c>keras.callbacks.TerminateOnNaN</c>: stops training after a batch whose loss is NaN or infinite.</summary>
public sealed class TerminateOnNaN : Callback
{
    private readonly TextWriter? output;

    /// <summary>A callback printing its message to <paramref name="output"/> (stdout when null).</summary>
    public TerminateOnNaN(TextWriter? output = null) => this.output = output;

    /// <inheritdoc/>
    public override void OnBatchEnd(int batch, Dictionary<string, double> logs)
    {
        if (logs.TryGetValue("loss", out double loss) && (double.IsNaN(loss) || double.IsInfinity(loss)))
        {
            (output ?? Console.Out).WriteLine($"Batch {batch}: Invalid loss, terminating training");
            if (Model is not null) Model.StopTraining = true;
        }
    }
}
