namespace ResNetKeras.Keras;

/// <summary><c>keras.callbacks.TerminateOnNaN</c>: stops training after a batch whose loss is NaN or infinite.</summary>
public sealed class TerminateOnNaN : Callback
{
    /// <inheritdoc/>
    public override void OnTrainBatchEnd(int batch, Dictionary<string, double> logs)
    {
        if (logs.TryGetValue("loss", out double loss) && (double.IsNaN(loss) || double.IsInfinity(loss)))
        {
            Console.WriteLine($"Batch {batch}: Invalid loss, terminating training");
            Model!.StopTraining = true;
        }
    }
}
