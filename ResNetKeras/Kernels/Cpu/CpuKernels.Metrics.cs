namespace ResNetKeras.Kernels.Cpu;

/// <summary>The comparisons of the accuracy metrics: one 0/1 value per row or element, summed by the metric on the device.</summary>
public sealed partial class CpuKernels
{
    /// <inheritdoc/>
    public void Matches(MatchKind kind, float[] predictions, float[] labels, float[] result, int classes, int k, float threshold)
    {
        switch (kind)
        {
            case MatchKind.Equal:
                for (int i = 0; i < result.Length; i++) result[i] = predictions[i] == labels[i] ? 1f : 0f;
                return;
            case MatchKind.Threshold:
                for (int i = 0; i < result.Length; i++) result[i] = (predictions[i] > threshold ? 1f : 0f) == labels[i] ? 1f : 0f;
                return;
        }
        for (int r = 0; r < result.Length; r++)
        {
            int o = r * classes;
            bool match;
            if (kind == MatchKind.SparseInTopK)
            {
                int label = LabelIndex(labels[r], classes);
                float target = label < 0 ? float.NaN : predictions[o + label];
                // in_top_k: a non-finite target is never in; ties at the boundary are.
                int greater = 0;
                if (float.IsFinite(target))
                    for (int j = 0; j < classes; j++) if (predictions[o + j] > target) greater++;
                match = float.IsFinite(target) && greater < k;
            }
            else
            {
                int pred = ArgMax(predictions, o, classes);
                int truth = kind == MatchKind.Argmax ? ArgMax(labels, o, classes) : LabelIndex(labels[r], classes);
                match = pred == truth;
            }
            result[r] = match ? 1f : 0f;
        }
    }

    /// <inheritdoc/>
    public void ArgMaxRows(float[] x, float[] y, int classes)
    {
        for (int r = 0; r < y.Length; r++) y[r] = ArgMax(x, r * classes, classes);
    }

    /// <inheritdoc/>
    public void DivideNoNan(float[] a, float[] b, float[] y)
    {
        for (int i = 0; i < y.Length; i++) y[i] = b[i] == 0 ? 0f : a[i] / b[i];
    }

    private static int ArgMax(float[] a, int o, int n)
    {
        int best = 0;
        for (int j = 1; j < n; j++) if (a[o + j] > a[o + best]) best = j;
        return best;
    }
}
