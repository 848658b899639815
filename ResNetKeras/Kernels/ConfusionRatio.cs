namespace ResNetKeras.Kernels;

/// <summary>What a confusion-matrix metric reports from its per-threshold counts (Keras's Precision, Recall, AUC).</summary>
public enum ConfusionRatio
{
    /// <summary>tp / (tp + fp) per threshold (0 where undefined).</summary>
    Precision,
    /// <summary>tp / (tp + fn) per threshold (0 where undefined).</summary>
    Recall,
    /// <summary>Area under the ROC curve by the trapezoidal rule over the thresholds.</summary>
    RocAuc,
    /// <summary>Area under the precision-recall curve with Davis and Goadrich's interpolation, as Keras's AUC(curve="PR").</summary>
    PrAuc,
}
