namespace ResNetKeras.Kernels.Cpu;

/// <summary>
/// Keras's confusion-matrix metrics: per-threshold counts accumulated in float32 (as Keras's count variables), then the
/// ratios and areas of <c>metrics_utils</c> (divide_no_nan; the ROC trapezoid; the PR interpolation of Davis and Goadrich).
/// </summary>
public sealed partial class CpuKernels
{
    /// <inheritdoc/>
    public void ConfusionUpdate(float[] yTrue, float[] yPred, float[]? weights, float[] thresholds, float[] tp, float[] fp, float[] tn, float[] fn)
    {
        for (int k = 0; k < thresholds.Length; k++)
        {
            float th = thresholds[k], a = 0, b = 0, c = 0, d = 0;
            for (int i = 0; i < yPred.Length; i++)
            {
                float w = weights?[i] ?? 1f;
                bool label = yTrue[i] != 0f, positive = yPred[i] > th;
                if (label && positive) a += w;
                else if (!label && positive) b += w;
                else if (!label) c += w;
                else d += w;
            }
            tp[k] += a;
            fp[k] += b;
            tn[k] += c;
            fn[k] += d;
        }
    }

    /// <inheritdoc/>
    public void ConfusionResult(ConfusionRatio ratio, float[] tp, float[] fp, float[] tn, float[] fn, float[] result)
    {
        static float Div(float a, float b) => b == 0 ? 0f : a / b;
        int n = tp.Length;
        switch (ratio)
        {
            case ConfusionRatio.Precision:
                for (int k = 0; k < n; k++) result[k] = Div(tp[k], tp[k] + fp[k]);
                return;
            case ConfusionRatio.Recall:
                for (int k = 0; k < n; k++) result[k] = Div(tp[k], tp[k] + fn[k]);
                return;
            case ConfusionRatio.RocAuc:
            {
                float area = 0;
                for (int k = 0; k < n - 1; k++)
                {
                    float x0 = Div(fp[k], fp[k] + tn[k]), x1 = Div(fp[k + 1], fp[k + 1] + tn[k + 1]);
                    float y0 = Div(tp[k], tp[k] + fn[k]), y1 = Div(tp[k + 1], tp[k + 1] + fn[k + 1]);
                    area += (x0 - x1) * (y0 + y1) / 2f;
                }
                result[0] = area;
                return;
            }
            case ConfusionRatio.PrAuc:
            {
                float area = 0;
                for (int k = 0; k < n - 1; k++)
                {
                    float dtp = tp[k] - tp[k + 1];
                    float p0 = tp[k] + fp[k], p1 = tp[k + 1] + fp[k + 1];
                    float slope = Div(dtp, MathF.Max(p0 - p1, 0f));
                    float intercept = tp[k + 1] - slope * p1;
                    float ratioP = p0 > 0 && p1 > 0 ? Div(p0, MathF.Max(p1, 0f)) : 1f;
                    area += Div(slope * (dtp + intercept * MathF.Log(ratioP)), MathF.Max(tp[k + 1] + fn[k + 1], 0f));
                }
                result[0] = area;
                return;
            }
            default: throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "Unknown confusion ratio.");
        }
    }

    /// <inheritdoc/>
    public void ClassConfusionUpdate(float[] yTrue, float[] yPred, float[]? weights, float[] matrix, int classes)
    {
        for (int i = 0; i < yTrue.Length; i++)
        {
            int t = LabelIndex(yTrue[i], classes), p = LabelIndex(yPred[i], classes);
            // Keras's confusion_matrix rejects out-of-range classes; on a device they are dropped, as a GPU kernel would.
            if (t < 0 || p < 0) continue;
            matrix[t * classes + p] += weights?[i] ?? 1f;
        }
    }

    /// <inheritdoc/>
    public void MeanIoUResult(float[] matrix, float[] result, int classes)
    {
        float sum = 0, valid = 0;
        for (int c = 0; c < classes; c++)
        {
            float tp = matrix[c * classes + c], row = 0, col = 0;
            for (int k = 0; k < classes; k++)
            {
                row += matrix[c * classes + k];
                col += matrix[k * classes + c];
            }
            float denominator = row + col - tp;
            if (denominator == 0) continue;
            sum += tp / denominator;
            valid++;
        }
        result[0] = valid == 0 ? 0f : sum / valid;
    }
}
