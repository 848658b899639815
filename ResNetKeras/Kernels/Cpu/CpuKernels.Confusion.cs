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
}
