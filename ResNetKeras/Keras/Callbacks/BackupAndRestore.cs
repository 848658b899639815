using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using ResNetKeras.IO;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.callbacks.BackupAndRestore(backup_dir, save_freq="epoch", delete_checkpoint=True)</c>: backs up the training
/// state so that a run killed at any moment and started again with the same program continues where the last backup
/// left it, and ends with the weights of an uninterrupted run.
/// </summary>
/// <remarks>
/// <para>The backup is one file, <see cref="BackupPath"/> (<c>backupDir/latest.h5</c>): the whole model as
/// <see cref="Model.Save(string)"/> writes it (weights, optimizer iterations and slots, learning rate) plus the training
/// position (<c>training_metadata</c>, Keras 3's <c>{"epoch": e, "batch": b}</c>: the next batch to train), written to a
/// hidden temporary file and renamed, so a kill during the write leaves the previous backup.</para>
/// <para>Saved after every epoch (<c>saveFreq: "epoch"</c>) or every <c>saveFreq</c> batches (at the epoch's end when the
/// count falls on its last batch), and where <c>Fit</c>'s cancellation token stopped training (Ctrl-C), so a cancelled run
/// resumes at the batch it stopped at. <c>OnTrainBegin</c> restores the backup into the model and <c>Fit</c> starts at
/// its position (overriding <c>initialEpoch</c>), skipping the batches of the epoch already trained; the backup is deleted
/// when training ends without cancellation (<c>deleteCheckpoint</c>).</para>
/// <para>Resumed training equals uninterrupted training bit for bit when everything random comes from seeds (an explicit
/// <c>seed</c> or <see cref="Utils.SetRandomSeed"/>), as for <c>Fit</c>'s shuffles and <c>ImageDataGenerator.Flow</c>.
/// Unlike Keras, the backup also holds the epoch-to-epoch state of the other callbacks of the same <c>Fit</c> that have
/// one (<c>ReduceLROnPlateau</c>'s best value, wait and cooldown counts; <c>ModelCheckpoint</c>'s best value), so a
/// resumed run reduces the learning rate and saves checkpoints when the uninterrupted run would. Not in it:
/// <c>EarlyStopping</c>'s state and the training logs of the part of an epoch trained before the interruption (the
/// resumed epoch's running means cover the batches after it). Dropout needs nothing in it: its masks follow the
/// optimizer's restored iteration count.</para>
/// </remarks>
public sealed class BackupAndRestore : Callback
{
    /// <summary>The root attribute holding the training position.</summary>
    internal const string MetadataAttribute = "training_metadata";

    private int epoch;
    private int batchesDone;
    private int batchesSinceSave;
    private bool saveAtEpochEnd;
    private bool trainedSinceSave;
    private Dictionary<string, Dictionary<string, double>>? pendingStates;

    private static readonly JsonSerializerOptions MetadataJson = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>The callbacks of the same <c>Fit</c>, whose epoch-to-epoch state (<see cref="IRestorableState"/>) goes into the backup.</summary>
    internal IReadOnlyList<Callback> Peers { get; set; } = [];

    /// <summary>Keras's signature: <paramref name="saveFreq"/> is <c>"epoch"</c> (the default) or a number of batches as a string.</summary>
    public BackupAndRestore(string backupDir, string saveFreq = "epoch", bool deleteCheckpoint = true)
        : this(backupDir, ParseFreq(saveFreq), deleteCheckpoint) { }

    /// <summary>Backs up every <paramref name="saveFreq"/> training batches.</summary>
    public BackupAndRestore(string backupDir, int saveFreq, bool deleteCheckpoint = true)
        : this(backupDir, (int?)CheckFreq(saveFreq), deleteCheckpoint) { }

    private BackupAndRestore(string backupDir, int? saveFreqBatches, bool deleteCheckpoint)
    {
        if (string.IsNullOrWhiteSpace(backupDir))
            throw new ArgumentException($"Invalid value for argument `backup_dir`. Expected a folder path. Received backup_dir='{backupDir}'.", nameof(backupDir));
        BackupDir = backupDir;
        SaveFreqBatches = saveFreqBatches;
        DeleteCheckpoint = deleteCheckpoint;
    }

    private static int? ParseFreq(string saveFreq)
    {
        if (saveFreq == "epoch") return null;
        if (int.TryParse(saveFreq, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0) return n;
        throw new ArgumentException($"Invalid value for argument `save_freq`. Expected either 'epoch' or a positive integer. Received save_freq={saveFreq}.", nameof(saveFreq));
    }

    private static int CheckFreq(int saveFreq) => saveFreq > 0 ? saveFreq
        : throw new ArgumentException($"Invalid value for argument `save_freq`. Expected either 'epoch' or a positive integer. Received save_freq={saveFreq}.", nameof(saveFreq));

    /// <summary>The backup folder (<c>backup_dir</c>).</summary>
    public string BackupDir { get; }

    /// <summary>Batches between backups, or null for one backup per epoch (<c>save_freq="epoch"</c>).</summary>
    public int? SaveFreqBatches { get; }

    /// <summary>Whether the backup is deleted when training ends (<c>delete_checkpoint</c>).</summary>
    public bool DeleteCheckpoint { get; }

    /// <summary>The backup file.</summary>
    public string BackupPath => Path.Combine(Path.GetFullPath(BackupDir), "latest.h5");

    /// <summary>The (epoch, next batch) restored by the last <c>OnTrainBegin</c>, or null when there was no backup.</summary>
    public (int Epoch, int Batch)? RestoredPosition { get; private set; }

    /// <summary>The (epoch, next batch) of the last backup written, or null when none was written in this run.</summary>
    public (int Epoch, int Batch)? LastSaved { get; private set; }

    /// <summary>Restores the backup, if there is one, into the model (Keras's <c>on_train_begin</c>).</summary>
    public override void OnTrainBegin(Dictionary<string, double> logs)
    {
        RestoredPosition = null;
        pendingStates = null;
        LastSaved = null;
        epoch = 0;
        batchesDone = 0;
        batchesSinceSave = 0;
        saveAtEpochEnd = false;
        trainedSinceSave = false;
        var model = Model ?? throw new InvalidOperationException("BackupAndRestore: no model is set; it runs as a callback of Model.Fit.");
        // A folder that cannot be written fails here, before the first epoch trains.
        AtomicFile.CheckWritableFolder(BackupDir);
        string path = BackupPath;
        if (!File.Exists(path)) return;
        string meta = model.RestoreTrainingState(path, MetadataAttribute)
            ?? throw new InvalidDataException($"{path}: the backup has no '{MetadataAttribute}' attribute; it was not written by BackupAndRestore.");
        (RestoredPosition, pendingStates) = ParseMetadata(meta, path);
    }

    private static ((int Epoch, int Batch), Dictionary<string, Dictionary<string, double>>?) ParseMetadata(string json, string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            int e = doc.RootElement.GetProperty("epoch").GetInt32();
            int b = doc.RootElement.TryGetProperty("batch", out var bp) ? bp.GetInt32() : 0;
            if (e < 0 || b < 0) throw new InvalidDataException($"{path}: invalid training position epoch={e}, batch={b}.");
            var states = doc.RootElement.TryGetProperty("callbacks", out var cb)
                ? cb.Deserialize<Dictionary<string, Dictionary<string, double>>>(MetadataJson) : null;
            return ((e, b), states);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path}: invalid '{MetadataAttribute}' {json}: {ex.Message}", ex);
        }
    }

    /// <inheritdoc/>
    public override void OnEpochBegin(int epoch, Dictionary<string, double> logs)
    {
        // The other callbacks' states go in here, after every OnTrainBegin has reset them.
        if (pendingStates is { } states)
        {
            foreach (var (key, peer) in StatefulPeers())
                if (states.TryGetValue(key, out var state)) peer.RestoreState(state);
            pendingStates = null;
        }
        this.epoch = epoch;
        batchesDone = RestoredPosition is { } p && p.Epoch == epoch ? p.Batch : 0;
        saveAtEpochEnd = false;
    }

    /// <inheritdoc/>
    public override void OnTrainBatchEnd(int batch, Dictionary<string, double> logs)
    {
        batchesDone = batch + 1;
        trainedSinceSave = true;
        if (SaveFreqBatches is not { } freq || ++batchesSinceSave < freq) return;
        batchesSinceSave = 0;
        // A backup after the last batch is taken at the epoch's end instead, so that the resumed run does not replay the
        // end of an epoch it has not trained.
        if (Params.TryGetValue("steps", out var s) && s is int steps && batchesDone >= steps) saveAtEpochEnd = true;
        else Save(epoch, batchesDone);
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, Dictionary<string, double> logs)
    {
        if (SaveFreqBatches is null || saveAtEpochEnd) Save(epoch + 1, 0);
        saveAtEpochEnd = false;
    }

    /// <summary>Deletes the backup when training completed; after a cancellation, backs up the position reached instead.</summary>
    public override void OnTrainEnd(Dictionary<string, double> logs)
    {
        if (Model is { TrainingCancelled: true })
        {
            if (trainedSinceSave) Save(epoch, batchesDone);
            return;
        }
        if (!DeleteCheckpoint || !Model!.WritesFiles) return;
        try { if (File.Exists(BackupPath)) File.Delete(BackupPath); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot delete the backup '{BackupPath}': {e.Message}", e);
        }
    }

    private void Save(int nextEpoch, int nextBatch)
    {
        // Under a multi-worker strategy every worker restores the chief's backup, and only the chief writes it.
        if (!Model!.WritesFiles)
        {
            LastSaved = (nextEpoch, nextBatch);
            trainedSinceSave = false;
            return;
        }
        var metadata = new Dictionary<string, object> { ["epoch"] = nextEpoch, ["batch"] = nextBatch };
        var states = StatefulPeers().ToDictionary(p => p.Key, p => p.Peer.SaveState());
        if (states.Count > 0) metadata["callbacks"] = states;
        string meta = JsonSerializer.Serialize(metadata, MetadataJson);
        Model!.Save(BackupPath, new Dictionary<string, string> { [MetadataAttribute] = meta });
        LastSaved = (nextEpoch, nextBatch);
        trainedSinceSave = false;
    }

    /// <summary>The callbacks with state, keyed by class name and position among them (<c>0:ReduceLROnPlateau</c>).</summary>
    private IEnumerable<(string Key, IRestorableState Peer)> StatefulPeers() =>
        Peers.OfType<IRestorableState>().Select((p, i) => ($"{i}:{p.GetType().Name}", p));
}
