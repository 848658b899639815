using ResNetKeras.Engine;
using ResNetKeras.Kernels;

namespace ResNetKeras.Ops;

public static partial class Op
{
    /// <summary>
    /// Adds per-threshold confusion counts of (yTrue ≠ 0, yPred &gt; θ) to the four (T,) count tensors in place (Keras's
    /// <c>update_confusion_matrix_variables</c>); <paramref name="sampleWeight"/> holds one weight per element or is null.
    /// Not recorded on any tape.
    /// </summary>
    public static void ConfusionUpdate(Tensor yTrue, Tensor yPred, Tensor? sampleWeight, Tensor thresholds, Tensor tp, Tensor fp, Tensor tn, Tensor fn)
    {
        const string op = "ConfusionUpdate";
        OpCheck.NotNull(op, "yTrue", yTrue);
        OpCheck.NotNull(op, "yPred", yPred);
        OpCheck.NotNull(op, "thresholds", thresholds);
        if (yTrue.Size != yPred.Size)
            throw new ArgumentException($"{op}: y_true of shape {ShapeUtil.Format(yTrue.ShapeSpan)} and y_pred of shape {ShapeUtil.Format(yPred.ShapeSpan)} must have the same number of elements.", nameof(yTrue));
        if (sampleWeight is not null && sampleWeight.Size != yPred.Size)
            throw new ArgumentException($"{op}: `sample_weight` of shape {ShapeUtil.Format(sampleWeight.ShapeSpan)} needs one weight per prediction ({yPred.Size}).", nameof(sampleWeight));
        foreach (var (name, t) in new[] { ("tp", tp), ("fp", fp), ("tn", tn), ("fn", fn) })
            if (t.Size != thresholds.Size) throw new ArgumentException($"{op}: `{name}` has {t.Size} counts for {thresholds.Size} thresholds.", name);
        var device = OpCheck.SameDevice(op, yTrue, yPred, sampleWeight, thresholds, tp, fp, tn, fn);
        device.ConfusionUpdate(yTrue.Storage, yPred.Storage, sampleWeight?.Storage, thresholds.Storage, tp.Storage, fp.Storage, tn.Storage, fn.Storage);
    }

    /// <summary>Precision or recall per threshold ((T,)), or an AUC (0-d), from confusion counts.</summary>
    public static Tensor ConfusionResult(ConfusionRatio ratio, Tensor tp, Tensor fp, Tensor tn, Tensor fn)
    {
        var device = OpCheck.SameDevice("ConfusionResult", tp, fp, tn, fn);
        var result = ratio is ConfusionRatio.Precision or ConfusionRatio.Recall ? Tensor.Rent(device, [tp.Size], zeroed: false) : Tensor.Rent(device, [], zeroed: false);
        device.ConfusionResult(ratio, tp.Storage, fp.Storage, tn.Storage, fn.Storage, result.Storage);
        return result;
    }

    /// <summary>Adds (true class, predicted class) pairs, weighted, to a (classes × classes) matrix in place; not recorded.</summary>
    public static void ClassConfusionUpdate(Tensor yTrue, Tensor yPred, Tensor? sampleWeight, Tensor matrix, int classes)
    {
        const string op = "ClassConfusionUpdate";
        OpCheck.NotNull(op, "yTrue", yTrue);
        OpCheck.NotNull(op, "yPred", yPred);
        OpCheck.NotNull(op, "matrix", matrix);
        if (matrix.Size != classes * classes)
            throw new ArgumentException($"{op}: `matrix` of shape {ShapeUtil.Format(matrix.ShapeSpan)} is not {classes} x {classes}.", nameof(matrix));
        if (yTrue.Size != yPred.Size || (sampleWeight is not null && sampleWeight.Size != yTrue.Size))
            throw new ArgumentException($"{op}: expected one predicted class{(sampleWeight is null ? "" : " and one weight")} per true class ({yTrue.Size}); received {yPred.Size}{(sampleWeight is null ? "" : $" and {sampleWeight.Size}")}.", nameof(yPred));
        var device = OpCheck.SameDevice(op, yTrue, yPred, sampleWeight, matrix);
        device.ClassConfusionUpdate(yTrue.Storage, yPred.Storage, sampleWeight?.Storage, matrix.Storage, classes);
    }

    /// <summary>MeanIoU of a class confusion matrix, a 0-d tensor.</summary>
    public static Tensor MeanIoU(Tensor matrix, int classes)
    {
        OpCheck.NotNull("MeanIoU", "matrix", matrix);
        var result = Tensor.Rent(matrix.Device, [], zeroed: false);
        matrix.Device.MeanIoUResult(matrix.Storage, result.Storage, classes);
        return result;
    }
}
