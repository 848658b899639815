using ResNetKeras.Engine;

namespace ResNetKeras.Ops;

public static partial class Op
{
    /// <summary>Keras's <c>backend.epsilon()</c>, the probability clip of cross-entropy on probabilities.</summary>
    public const float Epsilon = 1e-7f;

    /// <summary>
    /// Per-sample categorical cross-entropy from logits, ℓ = Σ_j y_j·(logsumexp(z) − z_j), shape (N,)
    /// (<c>tf.nn.softmax_cross_entropy_with_logits</c>; what tf.keras computes when the model ends in a softmax).
    /// </summary>
    public static Tensor SoftmaxCrossEntropyWithLogits(Tensor logits, Tensor labels)
    {
        const string op = "SoftmaxCrossEntropyWithLogits";
        var (n, k) = CheckLossShapes(op, logits, labels);
        var loss = Tensor.Zeros(n);
        var softmax = new float[logits.Size];
        var ySum = new float[n];
        for (int r = 0; r < n; r++)
        {
            int o = r * k;
            float max = float.NegativeInfinity;
            for (int j = 0; j < k; j++) max = Math.Max(max, logits.Data[o + j]);
            double se = 0;
            for (int j = 0; j < k; j++) se += Math.Exp(logits.Data[o + j] - max);
            double lse = max + Math.Log(se);
            double l = 0, ys = 0;
            for (int j = 0; j < k; j++)
            {
                double y = labels.Data[o + j];
                l += y * (lse - logits.Data[o + j]);
                ys += y;
                softmax[o + j] = (float)(Math.Exp(logits.Data[o + j] - max) / se);
            }
            loss.Data[r] = (float)l;
            ySum[r] = (float)ys;
        }
        GradientTape.Record(loss, [logits, labels], (dl, needs) =>
        {
            Tensor? dz = null;
            if (needs[0])
            {
                dz = OpCheck.Like(logits);
                for (int r = 0; r < n; r++)
                    for (int j = 0; j < k; j++)
                    {
                        int i = r * k + j;
                        dz.Data[i] = dl.Data[r] * (softmax[i] * ySum[r] - labels.Data[i]);
                    }
            }
            return [dz, null];
        });
        return loss;
    }

    /// <summary>
    /// Per-sample categorical cross-entropy from probabilities as Keras computes it when the logits are
    /// unknown: p ← p/Σp, clipped to [ε, 1 − ε], ℓ = −Σ y·log p; shape (N,).
    /// </summary>
    public static Tensor CategoricalCrossentropy(Tensor probs, Tensor labels)
    {
        const string op = "CategoricalCrossentropy";
        var (n, k) = CheckLossShapes(op, probs, labels);
        var loss = Tensor.Zeros(n);
        var clipped = new double[probs.Size];
        var sums = new double[n];
        for (int r = 0; r < n; r++)
        {
            int o = r * k;
            double s = 0;
            for (int j = 0; j < k; j++) s += probs.Data[o + j];
            sums[r] = s;
            double l = 0;
            for (int j = 0; j < k; j++)
            {
                double p = Math.Clamp(probs.Data[o + j] / s, Epsilon, 1 - Epsilon);
                clipped[o + j] = p;
                l -= labels.Data[o + j] * Math.Log(p);
            }
            loss.Data[r] = (float)l;
        }
        GradientTape.Record(loss, [probs, labels], (dl, needs) =>
        {
            Tensor? dp = null;
            if (needs[0])
            {
                dp = OpCheck.Like(probs);
                for (int r = 0; r < n; r++)
                {
                    int o = r * k;
                    // d/dp_n, zero where the clip is active; then through the renormalization p/S.
                    var g = new double[k];
                    double dot = 0;
                    for (int j = 0; j < k; j++)
                    {
                        double pn = probs.Data[o + j] / sums[r];
                        g[j] = pn < Epsilon || pn > 1 - Epsilon ? 0 : -labels.Data[o + j] / clipped[o + j];
                        dot += g[j] * probs.Data[o + j];
                    }
                    for (int j = 0; j < k; j++)
                        dp.Data[o + j] = (float)(dl.Data[r] * (g[j] / sums[r] - dot / (sums[r] * sums[r])));
                }
            }
            return [dp, null];
        });
        return loss;
    }

    /// <summary>Per-sample sparse softmax cross-entropy from logits, ℓ = logsumexp(z) − z_label; shape (N,).</summary>
    public static Tensor SparseSoftmaxCrossEntropyWithLogits(Tensor logits, int[] labels) =>
        SoftmaxCrossEntropyWithLogits(logits, OneHot("SparseSoftmaxCrossEntropyWithLogits", logits, labels));

    /// <summary>
    /// Per-sample sparse categorical cross-entropy from probabilities as Keras computes it when the logits are unknown:
    /// p is clipped to [ε, 1 − ε] first and its log fed to the sparse softmax cross-entropy, so
    /// ℓ = −log(p̃_label / Σ_j p̃_j) with p̃ the clipped p (unlike <see cref="CategoricalCrossentropy"/>, which
    /// renormalizes before clipping); shape (N,).
    /// </summary>
    public static Tensor SparseCategoricalCrossentropy(Tensor probs, int[] labels)
    {
        const string op = "SparseCategoricalCrossentropy";
        var onehot = OneHot(op, probs, labels);
        int n = probs.Dim(0), k = probs.Dim(1);
        var loss = Tensor.Zeros(n);
        var sums = new double[n];
        for (int r = 0; r < n; r++)
        {
            int o = r * k;
            double s = 0;
            for (int j = 0; j < k; j++) s += Math.Clamp(probs.Data[o + j], Epsilon, 1 - Epsilon);
            sums[r] = s;
            loss.Data[r] = (float)(Math.Log(s) - Math.Log(Math.Clamp(probs.Data[o + labels[r]], Epsilon, 1 - Epsilon)));
        }
        GradientTape.Record(loss, [probs], (dl, needs) =>
        {
            var dp = OpCheck.Like(probs);
            for (int r = 0; r < n; r++)
                for (int j = 0; j < k; j++)
                {
                    int i = r * k + j;
                    double p = probs.Data[i];
                    // ∂ℓ/∂p̃_j = 1/Σp̃ − [j = label]/p̃_label; clip_by_value passes the gradient only inside [ε, 1 − ε].
                    double g = p < Epsilon || p > 1 - Epsilon ? 0 : 1 / sums[r] - onehot.Data[i] / Math.Clamp(p, Epsilon, 1 - Epsilon);
                    dp.Data[i] = (float)(dl.Data[r] * g);
                }
            return [dp];
        });
        return loss;
    }

    private static Tensor OneHot(string op, Tensor scores, int[] labels)
    {
        OpCheck.Rank(op, "logits", scores, 2, "(batch, classes)");
        OpCheck.NotNull(op, "labels", labels);
        int n = scores.Dim(0), k = scores.Dim(1);
        if (labels.Length != n)
            throw new ArgumentException($"{op}: expected {n} labels for predictions of shape {ShapeUtil.Format(scores.ShapeSpan)}; received {labels.Length}.", nameof(labels));
        var t = Tensor.Zeros(n, k);
        for (int i = 0; i < n; i++)
        {
            if ((uint)labels[i] >= (uint)k)
                throw new ArgumentException($"{op}: label {labels[i]} at index {i} is outside the valid range [0, {k}).", nameof(labels));
            t.Data[i * k + labels[i]] = 1f;
        }
        return t;
    }

    private static (int N, int K) CheckLossShapes(string op, Tensor scores, Tensor labels)
    {
        OpCheck.Rank(op, "predictions", scores, 2, "(batch, classes)");
        OpCheck.NotNull(op, "labels", labels);
        OpCheck.SameShape(op, "predictions", scores, "labels", labels);
        return (scores.Dim(0), scores.Dim(1));
    }
}
