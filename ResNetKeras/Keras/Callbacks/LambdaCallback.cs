namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.callbacks.LambdaCallback(on_epoch_begin, on_epoch_end, on_train_begin, on_train_end, on_train_batch_begin,
/// on_train_batch_end)</c>: a callback from functions, each optional, called with the same arguments as the methods.
/// </summary>
public sealed class LambdaCallback : Callback
{
    private readonly Action<int, Dictionary<string, double>>? onEpochBegin, onEpochEnd, onTrainBatchBegin, onTrainBatchEnd;
    private readonly Action<Dictionary<string, double>>? onTrainBegin, onTrainEnd;

    /// <summary>Keras's signature (every function defaults to doing nothing).</summary>
    public LambdaCallback(Action<int, Dictionary<string, double>>? onEpochBegin = null, Action<int, Dictionary<string, double>>? onEpochEnd = null,
        Action<Dictionary<string, double>>? onTrainBegin = null, Action<Dictionary<string, double>>? onTrainEnd = null,
        Action<int, Dictionary<string, double>>? onTrainBatchBegin = null, Action<int, Dictionary<string, double>>? onTrainBatchEnd = null)
    {
        this.onEpochBegin = onEpochBegin;
        this.onEpochEnd = onEpochEnd;
        this.onTrainBegin = onTrainBegin;
        this.onTrainEnd = onTrainEnd;
        this.onTrainBatchBegin = onTrainBatchBegin;
        this.onTrainBatchEnd = onTrainBatchEnd;
    }

    /// <inheritdoc/>
    public override void OnEpochBegin(int epoch, Dictionary<string, double> logs) => onEpochBegin?.Invoke(epoch, logs);

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, Dictionary<string, double> logs) => onEpochEnd?.Invoke(epoch, logs);

    /// <inheritdoc/>
    public override void OnTrainBegin(Dictionary<string, double> logs) => onTrainBegin?.Invoke(logs);

    /// <inheritdoc/>
    public override void OnTrainEnd(Dictionary<string, double> logs) => onTrainEnd?.Invoke(logs);

    /// <inheritdoc/>
    public override void OnTrainBatchBegin(int batch, Dictionary<string, double> logs) => onTrainBatchBegin?.Invoke(batch, logs);

    /// <inheritdoc/>
    public override void OnTrainBatchEnd(int batch, Dictionary<string, double> logs) => onTrainBatchEnd?.Invoke(batch, logs);
}
