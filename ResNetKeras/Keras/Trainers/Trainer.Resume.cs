namespace ResNetKeras.Keras;

public abstract partial class Trainer
{
    /// <summary>
    /// Whether the last <c>Fit</c> stopped because its <c>cancellationToken</c> was cancelled (Ctrl-C) rather than by
    /// finishing its epochs or <see cref="StopTraining"/>; callbacks read it in <c>OnTrainEnd</c> (BackupAndRestore then
    /// keeps its backup).
    /// </summary>
    public bool TrainingCancelled { get; internal set; }

    /// <summary>Whether this process writes training files: always, except a non-chief worker of a multi-worker strategy.</summary>
    internal bool WritesFiles => Distributed is not { IsChief: false };

    /// <summary>
    /// Positions the model's per-step random streams (Dropout masks) at training step <paramref name="step"/>; <c>Fit</c>
    /// calls it with the optimizer's iterations, so a model restored from a checkpoint continues the uninterrupted run's draws.
    /// </summary>
    internal virtual void PositionRandomStreams(long step) { }

    /// <summary>The (epoch, batch) a <see cref="BackupAndRestore"/> among <paramref name="callbacks"/> restored in its <c>OnTrainBegin</c>, if any.</summary>
    internal static (int Epoch, int Batch)? RestoredPosition(IEnumerable<Callback> callbacks)
    {
        foreach (var c in callbacks)
            if (c is BackupAndRestore { RestoredPosition: { } p }) return p;
        return null;
    }
}
