using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.metrics.MeanIoU(num_classes, sparse_y_true=True, sparse_y_pred=True)</c>: a (classes × classes) confusion
/// matrix accumulated on the device, result the mean over classes of tp / (tp + fp + fn), classes never seen left out.
/// Sparse class indices on both sides; <c>sparse_y_pred=False</c> takes the argmax of the prediction rows.
/// </summary>
public sealed class MeanIoU : Metric
{
    /// <summary>Keras's signature with its defaults.</summary>
    public MeanIoU(int numClasses, string? name = "mean_io_u", bool sparseYTrue = true, bool sparseYPred = true) : base(name)
    {
        if (numClasses < 2)
            throw new ArgumentException($"Invalid value for argument `num_classes`. Expected an integer >= 2. Received: num_classes={numClasses}", nameof(numClasses));
        NumClasses = numClasses;
        SparseYTrue = sparseYTrue;
        SparseYPred = sparseYPred;
        TotalConfusionMatrix = AddVariable("total_cm", numClasses, numClasses);
    }

    /// <summary>Number of classes.</summary>
    public int NumClasses { get; }
    /// <summary>Whether y_true holds class indices (else one-hot rows).</summary>
    public bool SparseYTrue { get; }
    /// <summary>Whether y_pred holds class indices (else scores whose argmax is the class).</summary>
    public bool SparseYPred { get; }

    /// <summary>The accumulated confusion matrix, rows the true class (<c>total_cm</c>).</summary>
    public Variable TotalConfusionMatrix { get; }

    /// <inheritdoc/>
    public override void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        var device = TotalConfusionMatrix.Value.Device;
        var t = SparseYTrue ? yTrue : Op.Argmax(yTrue);
        var p = SparseYPred ? yPred : Op.Argmax(yPred);
        Op.ClassConfusionUpdate(t.To(device), p.To(device), sampleWeight?.To(device), TotalConfusionMatrix.Value, NumClasses);
    }

    /// <inheritdoc/>
    public override Tensor Result() => Op.MeanIoU(TotalConfusionMatrix.Value, NumClasses);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["num_classes"] = NumClasses;
        c["ignore_class"] = null;
        c["sparse_y_true"] = SparseYTrue;
        c["sparse_y_pred"] = SparseYPred;
        c["axis"] = -1;
        return c;
    }

    /// <summary><c>MeanIoU.from_config(config)</c>: <c>ignore_class</c> must be null and <c>axis</c> -1.</summary>
    public static MeanIoU FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        ArgumentNullException.ThrowIfNull(config);
        ConfigValues.ExpectDefault(config, "ignore_class", null, nameof(MeanIoU));
        ConfigValues.ExpectDefault(config, "axis", -1, nameof(MeanIoU));
        if (!config.ContainsKey("num_classes")) throw new ArgumentException("MeanIoU: config key 'num_classes' is missing.", nameof(config));
        return new MeanIoU(ConfigValues.Int(config, "num_classes", 0), ConfigValues.String(config, "name") ?? "mean_io_u",
            ConfigValues.Bool(config, "sparse_y_true", true), ConfigValues.Bool(config, "sparse_y_pred", true));
    }
}
