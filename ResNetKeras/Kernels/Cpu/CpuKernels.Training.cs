using System.Numerics.Tensors;

namespace ResNetKeras.Kernels.Cpu;

/// <summary>
/// The training kernels beyond convolution and the per-channel passes: batch norm as one call each way,
/// cross-entropies, reductions, dropout masks and optimizer updates. Arithmetic is written out in the order and
/// precision the ops used when they ran on the host, so every value is bit-identical to those earlier versions.
/// </summary>
public sealed unsafe partial class CpuKernels
{
    /// <summary>Keras's <c>backend.epsilon()</c>, the probability clip of cross-entropy on probabilities.</summary>
    private const float ClipEpsilon = 1e-7f;

    /// <inheritdoc/>
    public void BatchNormTrainingForward(float[] x, float[]? gamma, float[]? beta, float[] y, float[] saveMean, float[] saveInvStd,
        float[]? movingMean, float[]? movingVariance, int channels, float epsilon, float momentum, bool besselCorrection, bool relu)
    {
        var variance = new float[channels];
        ChannelMoments(x, channels, saveMean, variance);
        var (scale, shift) = AffineParameters(variance, gamma, beta, epsilon, saveInvStd);
        ChannelAffine(x, saveMean, scale, shift, y, channels, relu);
        if (movingMean is null || movingVariance is null) return;
        int count = channels == 0 ? 0 : x.Length / channels;
        float f = 1f - momentum;
        float correction = besselCorrection && count > 1 ? (float)count / (count - 1) : 1f;
        for (int i = 0; i < channels; i++)
        {
            if (besselCorrection)
            {
                movingMean[i] = (1f - f) * movingMean[i] + f * saveMean[i];
                movingVariance[i] = (1f - f) * movingVariance[i] + f * variance[i] * correction;
            }
            else
            {
                movingMean[i] -= (movingMean[i] - saveMean[i]) * f;
                movingVariance[i] -= (movingVariance[i] - variance[i]) * f;
            }
        }
    }

    /// <inheritdoc/>
    public void BatchNormTrainingBackward(float[] x, float[] dy, float[]? reluOutput, float[]? gamma, float[] saveMean, float[] saveInvStd,
        float[]? dx, float[] dgamma, float[] dbeta, int channels)
    {
        BatchNormReductions(x, dy, reluOutput, saveMean, saveInvStd, channels, dbeta, dgamma);
        if (dx is null) return;
        BatchNormBackwardData(x, dy, reluOutput, saveMean, saveInvStd, gamma ?? Ones(channels), dbeta, dgamma, channels, dx);
    }

    /// <inheritdoc/>
    public void BatchNormInferenceForward(float[] x, float[]? gamma, float[]? beta, float[] movingMean, float[] movingVariance, float[] y,
        int channels, float epsilon, bool relu)
    {
        var (scale, shift) = AffineParameters(movingVariance, gamma, beta, epsilon, new float[channels]);
        ChannelAffine(x, movingMean, scale, shift, y, channels, relu);
    }

    /// <inheritdoc/>
    public void BatchNormInferenceBackward(float[] x, float[] dy, float[]? reluOutput, float[]? gamma, float[] movingMean, float[] movingVariance,
        float[]? dx, float[] dgamma, float[] dbeta, int channels, float epsilon)
    {
        var invStd = new float[channels];
        var (scale, _) = AffineParameters(movingVariance, gamma, null, epsilon, invStd);
        if (reluOutput is not null)
        {
            // The kernels size their loops by array length, so the mask needs an exact-length buffer.
            var masked = GC.AllocateUninitializedArray<float>(dy.Length);
            UnaryGrad(UnaryKind.Relu, reluOutput, dy, masked);
            dy = masked;
        }
        BatchNormReductions(x, dy, null, movingMean, invStd, channels, dbeta, dgamma);
        if (dx is not null) ChannelAffine(dy, new float[channels], scale, new float[channels], dx, channels, relu: false);
    }

    /// <summary>Per channel: 1/√(σ² + ε) into <paramref name="invStd"/>, the scale γ·invStd and the shift β (γ = 1, β = 0 when absent).</summary>
    private static (float[] Scale, float[] Shift) AffineParameters(float[] variance, float[]? gamma, float[]? beta, float epsilon, float[] invStd)
    {
        int c = variance.Length;
        var scale = new float[c];
        var shift = new float[c];
        for (int i = 0; i < c; i++)
        {
            invStd[i] = 1f / MathF.Sqrt(variance[i] + epsilon);
            scale[i] = (gamma?[i] ?? 1f) * invStd[i];
            shift[i] = beta?[i] ?? 0f;
        }
        return (scale, shift);
    }

    private static float[] Ones(int c)
    {
        var a = new float[c];
        Array.Fill(a, 1f);
        return a;
    }

    /// <inheritdoc/>
    public void SoftmaxBackward(float[] y, float[] dy, float[] dx, int classes)
    {
        int rows = classes == 0 ? 0 : y.Length / classes;
        for (int r = 0; r < rows; r++)
        {
            int o = r * classes;
            double dot = 0;
            for (int j = 0; j < classes; j++) dot += dy[o + j] * y[o + j];
            for (int j = 0; j < classes; j++) dx[o + j] = y[o + j] * (float)(dy[o + j] - dot);
        }
    }

    /// <inheritdoc/>
    public void CrossEntropyForward(CrossEntropyKind kind, float[] predictions, float[] labels, float[] loss, int classes)
    {
        int rows = loss.Length, k = classes;
        for (int r = 0; r < rows; r++)
        {
            int o = r * k;
            switch (kind)
            {
                case CrossEntropyKind.SoftmaxLogits:
                {
                    var (max, se) = LogSumExpParts(predictions, o, k);
                    double lse = max + Math.Log(se), l = 0;
                    for (int j = 0; j < k; j++) l += labels[o + j] * (lse - predictions[o + j]);
                    loss[r] = (float)l;
                    break;
                }
                case CrossEntropyKind.SparseSoftmaxLogits:
                {
                    int label = LabelIndex(labels[r], k);
                    if (label < 0) { loss[r] = float.NaN; break; }
                    var (max, se) = LogSumExpParts(predictions, o, k);
                    loss[r] = (float)(max + Math.Log(se) - predictions[o + label]);
                    break;
                }
                case CrossEntropyKind.Probabilities:
                {
                    double s = 0, l = 0;
                    for (int j = 0; j < k; j++) s += predictions[o + j];
                    for (int j = 0; j < k; j++) l -= labels[o + j] * Math.Log(Math.Clamp(predictions[o + j] / s, ClipEpsilon, 1 - ClipEpsilon));
                    loss[r] = (float)l;
                    break;
                }
                case CrossEntropyKind.SparseProbabilities:
                {
                    int label = LabelIndex(labels[r], k);
                    if (label < 0) { loss[r] = float.NaN; break; }
                    double s = 0;
                    for (int j = 0; j < k; j++) s += Math.Clamp(predictions[o + j], ClipEpsilon, 1 - ClipEpsilon);
                    loss[r] = (float)(Math.Log(s) - Math.Log(Math.Clamp(predictions[o + label], ClipEpsilon, 1 - ClipEpsilon)));
                    break;
                }
                default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown cross-entropy kind.");
            }
        }
    }

    /// <inheritdoc/>
    public void CrossEntropyBackward(CrossEntropyKind kind, float[] predictions, float[] labels, float[] dloss, float[] dpredictions, int classes)
    {
        int rows = dloss.Length, k = classes;
        for (int r = 0; r < rows; r++)
        {
            int o = r * k;
            float dl = dloss[r];
            switch (kind)
            {
                case CrossEntropyKind.SoftmaxLogits:
                case CrossEntropyKind.SparseSoftmaxLogits:
                {
                    bool sparse = kind == CrossEntropyKind.SparseSoftmaxLogits;
                    int label = sparse ? LabelIndex(labels[r], k) : 0;
                    var (max, se) = LogSumExpParts(predictions, o, k);
                    double ys = 0;
                    if (!sparse) for (int j = 0; j < k; j++) ys += labels[o + j];
                    float ySum = sparse ? 1f : (float)ys;
                    for (int j = 0; j < k; j++)
                    {
                        float y = sparse ? (j == label ? 1f : 0f) : labels[o + j];
                        float softmax = (float)(Math.Exp(predictions[o + j] - max) / se);
                        dpredictions[o + j] = sparse && label < 0 ? float.NaN : dl * (softmax * ySum - y);
                    }
                    break;
                }
                case CrossEntropyKind.Probabilities:
                {
                    double s = 0, dot = 0;
                    for (int j = 0; j < k; j++) s += predictions[o + j];
                    // d/dp_n, zero where the clip is active; then through the renormalization p/S.
                    Span<double> g = k <= 256 ? stackalloc double[k] : new double[k];
                    for (int j = 0; j < k; j++)
                    {
                        double pn = predictions[o + j] / s;
                        g[j] = pn < ClipEpsilon || pn > 1 - ClipEpsilon ? 0 : -labels[o + j] / Math.Clamp(pn, ClipEpsilon, 1 - ClipEpsilon);
                        dot += g[j] * predictions[o + j];
                    }
                    for (int j = 0; j < k; j++) dpredictions[o + j] = (float)(dl * (g[j] / s - dot / (s * s)));
                    break;
                }
                case CrossEntropyKind.SparseProbabilities:
                {
                    int label = LabelIndex(labels[r], k);
                    double s = 0;
                    for (int j = 0; j < k; j++) s += Math.Clamp(predictions[o + j], ClipEpsilon, 1 - ClipEpsilon);
                    for (int j = 0; j < k; j++)
                    {
                        double p = predictions[o + j];
                        // ∂ℓ/∂p̃_j = 1/Σp̃ − [j = label]/p̃_label; clip_by_value passes the gradient only inside [ε, 1 − ε].
                        double g = p < ClipEpsilon || p > 1 - ClipEpsilon ? 0 : 1 / s - (j == label ? 1f : 0f) / Math.Clamp(p, ClipEpsilon, 1 - ClipEpsilon);
                        dpredictions[o + j] = label < 0 ? float.NaN : (float)(dl * g);
                    }
                    break;
                }
                default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown cross-entropy kind.");
            }
        }
    }

    private static (float Max, double SumExp) LogSumExpParts(float[] z, int o, int k)
    {
        float max = float.NegativeInfinity;
        for (int j = 0; j < k; j++) max = Math.Max(max, z[o + j]);
        double se = 0;
        for (int j = 0; j < k; j++) se += Math.Exp(z[o + j] - max);
        return (max, se);
    }

    /// <summary>The class index a float label holds, or −1 when it is not an integer in [0, k) (the loss is then NaN, as on a GPU).</summary>
    private static int LabelIndex(float label, int k) => label >= 0 && label < k && label == MathF.Floor(label) ? (int)label : -1;

    /// <inheritdoc/>
    public void ReduceSum(float[] x, float[] y, int outer, int reduced, int inner, double divisor)
    {
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                double s = 0;
                long b = (long)o * reduced * inner + i;
                for (int r = 0; r < reduced; r++) s += x[b + (long)r * inner];
                y[o * inner + i] = (float)(s / divisor);
            }
    }

    /// <inheritdoc/>
    public void BroadcastReduced(float[] s, float[] y, int outer, int reduced, int inner, float divisor)
    {
        for (int o = 0; o < outer; o++)
            for (int r = 0; r < reduced; r++)
                for (int i = 0; i < inner; i++)
                    y[((long)o * reduced + r) * inner + i] = s[o * inner + i] / divisor;
    }

    /// <inheritdoc/>
    public void SumOfSquares(float[] x, float[] y, float scale)
    {
        double s = 0;
        foreach (float v in x) s += (double)v * v;
        y[0] = (float)(scale * s);
    }

    /// <inheritdoc/>
    public void ScaleByScalar(float[] x, float[] s, float a, float[] y) => TensorPrimitives.Multiply(x, a * s[0], y);

    /// <inheritdoc/>
    public void DropoutMask(float[] mask, float rate, ulong seed)
    {
        float keep = 1f / (1f - rate);
        for (int i = 0; i < mask.Length; i++) mask[i] = UniformDraw(seed, (ulong)i) >= rate ? keep : 0f;
    }

    /// <summary>A uniform double in [0, 1) from (seed, counter): SplitMix64's finalizer over seed + (counter + 1)·golden ratio.</summary>
    internal static double UniformDraw(ulong seed, ulong counter)
    {
        ulong z = seed + (counter + 1) * 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }

    /// <inheritdoc/>
    public void AdamUpdate(float[] theta, float[] g, float[] m, float[] v, float[]? vhat, float alpha, float b1, float b2, float eps)
    {
        for (int i = 0; i < theta.Length; i++)
        {
            m[i] += (g[i] - m[i]) * (1 - b1);
            v[i] += (g[i] * g[i] - v[i]) * (1 - b2);
            float denomV = v[i];
            if (vhat is not null)
            {
                vhat[i] = Math.Max(vhat[i], v[i]);
                denomV = vhat[i];
            }
            theta[i] -= alpha * m[i] / (MathF.Sqrt(denomV) + eps);
        }
    }

    /// <inheritdoc/>
    public void SgdUpdate(float[] theta, float[] g, float[]? velocity, float lr, float mu, bool nesterov)
    {
        if (velocity is null)
        {
            for (int i = 0; i < theta.Length; i++) theta[i] -= lr * g[i];
            return;
        }
        for (int i = 0; i < theta.Length; i++)
        {
            velocity[i] = mu * velocity[i] - lr * g[i];
            theta[i] += nesterov ? mu * velocity[i] - lr * g[i] : velocity[i];
        }
    }

    /// <inheritdoc/>
    public void AssignAdd(float[] target, float[] value) => TensorPrimitives.Add(target, value, target);
}
