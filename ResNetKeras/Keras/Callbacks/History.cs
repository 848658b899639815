namespace ResNetKeras.Keras;

/// <summary><c>keras.callbacks.History</c>, returned by <c>Fit</c>: one value per epoch for each log key.</summary>
public sealed class History : Callback
{
    /// <summary>history.history[key] → per-epoch values, keys in first-seen order.</summary>
    public Dictionary<string, List<double>> HistoryData { get; } = new();

    /// <summary>The epoch indices recorded (history.epoch).</summary>
    public List<int> Epoch { get; } = new();

    /// <inheritdoc/>
    public override void OnTrainBegin(Dictionary<string, double> logs) => Epoch.Clear();

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, Dictionary<string, double> logs)
    {
        Epoch.Add(epoch);
        foreach (var (k, v) in logs)
        {
            if (!HistoryData.TryGetValue(k, out var list)) HistoryData[k] = list = new List<double>();
            list.Add(v);
        }
    }
}
