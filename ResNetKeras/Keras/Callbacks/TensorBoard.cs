using ResNetKeras.IO.TensorBoard;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.callbacks.TensorBoard(log_dir="logs", histogram_freq=0, update_freq="epoch")</c>: event files TensorBoard
/// reads, one in <c>log_dir/train</c> and one in <c>log_dir/validation</c>, with Keras 3's tags: per epoch
/// <c>epoch_loss</c>, <c>epoch_&lt;metric&gt;</c> and <c>epoch_learning_rate</c>; per batch (<c>updateFreq</c>
/// "batch" or every N batches) <c>batch_&lt;log&gt;</c> at the global step; with <c>histogramFreq</c> &gt; 0,
/// a histogram of every weight every that many epochs. Scalars are written as simple values, which TensorBoard shows
/// like the tensor summaries TensorFlow writes.
/// </summary>
public sealed class TensorBoard : Callback, IDisposable
{
    private EventFileWriter? train, validation;
    private long globalStep;

    /// <summary>Keras's signature with its defaults (the arguments this library supports).</summary>
    public TensorBoard(string logDir = "logs", int histogramFreq = 0, object? updateFreq = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(logDir);
        if (histogramFreq < 0)
            throw new ArgumentException($"Invalid value for argument `histogram_freq`. Expected a non-negative integer. Received: histogram_freq={histogramFreq}", nameof(histogramFreq));
        LogDir = logDir;
        HistogramFreq = histogramFreq;
        UpdateFreq = updateFreq switch
        {
            null or "epoch" => 0,
            "batch" => 1,
            int n when n > 0 => n,
            _ => throw new ArgumentException($"Invalid value for argument `update_freq`. Expected \"epoch\", \"batch\" or a positive integer. Received: update_freq={updateFreq}", nameof(updateFreq)),
        };
    }

    /// <summary>The log folder.</summary>
    public string LogDir { get; }

    /// <summary>Epochs between weight histograms (0: none).</summary>
    public int HistogramFreq { get; }

    /// <summary>Batches between batch-level scalars (0: per epoch only).</summary>
    public int UpdateFreq { get; }

    /// <summary>The training event file of the last run (for tests and tools), once training has begun.</summary>
    public string? TrainEventFile { get; private set; }

    /// <summary>The validation event file of the last run, once validation logs have been written.</summary>
    public string? ValidationEventFile { get; private set; }

    /// <inheritdoc/>
    public override void OnTrainBegin(Dictionary<string, double> logs)
    {
        Dispose();
        train = new EventFileWriter(Path.Combine(LogDir, "train"));
        TrainEventFile = train.Path;
        ValidationEventFile = null;
        globalStep = 0;
    }

    /// <inheritdoc/>
    public override void OnTrainBatchEnd(int batch, Dictionary<string, double> logs)
    {
        globalStep++;
        if (UpdateFreq == 0 || train is null || globalStep % UpdateFreq != 0) return;
        foreach (var (key, value) in logs) train.Scalar("batch_" + key, (float)value, globalStep);
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, Dictionary<string, double> logs)
    {
        if (train is null) return;
        foreach (var (key, value) in logs)
        {
            if (key.StartsWith("val_", StringComparison.Ordinal))
            {
                if (validation is null)
                {
                    validation = new EventFileWriter(Path.Combine(LogDir, "validation"));
                    ValidationEventFile = validation.Path;
                }
                validation.Scalar("epoch_" + key[4..], (float)value, epoch);
            }
            else if (key is not ("lr" or "learning_rate")) train.Scalar("epoch_" + key, (float)value, epoch);
        }
        if (Model?.Optimizer is { } optimizer) train.Scalar("epoch_learning_rate", (float)optimizer.LearningRate, epoch);
        if (HistogramFreq > 0 && epoch % HistogramFreq == 0 && Model is { } model)
            foreach (var w in model.Weights)
                train.Histogram(w.Name.EndsWith(":0", StringComparison.Ordinal) ? w.Name[..^2] : w.Name, w.Value.ToArray(), epoch);
        train.Flush();
        validation?.Flush();
    }

    /// <inheritdoc/>
    public override void OnTrainEnd(Dictionary<string, double> logs) => Dispose();

    /// <summary>Closes the event files.</summary>
    public void Dispose()
    {
        train?.Dispose();
        validation?.Dispose();
        train = validation = null;
    }
}
