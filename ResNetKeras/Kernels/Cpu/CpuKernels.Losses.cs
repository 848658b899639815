namespace ResNetKeras.Kernels.Cpu;

/// <summary>
/// Per-element terms of Keras's regression and binary losses and their derivatives, in float32 as Keras computes them
/// (ε = 1e-7). Derivatives follow TensorFlow's gradient conventions: |x| and max pass sign(x) (0 at 0), a clip passes
/// the gradient only inside its range (bounds included), max(x, ε) passes it where x ≥ ε.
/// </summary>
public sealed partial class CpuKernels
{
    private const float LossEpsilon = 1e-7f;
    private static readonly float Log2 = MathF.Log(2f);

    /// <inheritdoc/>
    public void ElementwiseLoss(ElementwiseLossKind kind, float[] yTrue, float[] yPred, float[] values, float parameter)
    {
        bool binaryHinge = kind is ElementwiseLossKind.Hinge or ElementwiseLossKind.SquaredHinge && AllZeroOrOne(yTrue);
        for (int i = 0; i < values.Length; i++)
        {
            float t = yTrue[i], p = yPred[i];
            values[i] = kind switch
            {
                ElementwiseLossKind.SquaredError => (p - t) * (p - t),
                ElementwiseLossKind.AbsoluteError => MathF.Abs(p - t),
                ElementwiseLossKind.AbsolutePercentageError => 100f * MathF.Abs((t - p) / MathF.Max(MathF.Abs(t), LossEpsilon)),
                ElementwiseLossKind.SquaredLogarithmicError => Square(MathF.Log(MathF.Max(p, LossEpsilon) + 1f) - MathF.Log(MathF.Max(t, LossEpsilon) + 1f)),
                ElementwiseLossKind.Huber => HuberTerm(p - t, parameter),
                ElementwiseLossKind.LogCosh => LogCosh(p - t),
                ElementwiseLossKind.Poisson => p - t * MathF.Log(p + LossEpsilon),
                ElementwiseLossKind.KLDivergence => Clip(t, LossEpsilon, 1f) * MathF.Log(Clip(t, LossEpsilon, 1f) / Clip(p, LossEpsilon, 1f)),
                ElementwiseLossKind.Hinge => MathF.Max(1f - HingeLabel(t, binaryHinge) * p, 0f),
                ElementwiseLossKind.SquaredHinge => Square(MathF.Max(1f - HingeLabel(t, binaryHinge) * p, 0f)),
                ElementwiseLossKind.BinaryCrossentropy => BinaryCrossentropyTerm(Smooth(t, parameter), p),
                ElementwiseLossKind.BinaryCrossentropyFromLogits => SigmoidCrossentropyTerm(Smooth(t, parameter), p),
                ElementwiseLossKind.BinaryFocalCrossentropy => FocalPower(1f - (t * p + (1f - t) * (1f - p)), parameter) * Keras3BinaryCrossentropyTerm(t, p),
                ElementwiseLossKind.CategoricalFocalCrossentropy => CategoricalFocalTerm(t, p, parameter),
                _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown loss kind."),
            };
        }
    }

    /// <inheritdoc/>
    public void ElementwiseLossGrad(ElementwiseLossKind kind, float[] yTrue, float[] yPred, float[] dValues, float[] dPred, float parameter)
    {
        bool binaryHinge = kind is ElementwiseLossKind.Hinge or ElementwiseLossKind.SquaredHinge && AllZeroOrOne(yTrue);
        for (int i = 0; i < dPred.Length; i++)
        {
            float t = yTrue[i], p = yPred[i], e = p - t;
            float g;
            switch (kind)
            {
                case ElementwiseLossKind.SquaredError: g = 2f * e; break;
                case ElementwiseLossKind.AbsoluteError: g = MathF.Sign(e); break;
                case ElementwiseLossKind.AbsolutePercentageError: g = 100f * MathF.Sign(e) / MathF.Max(MathF.Abs(t), LossEpsilon); break;
                case ElementwiseLossKind.SquaredLogarithmicError:
                {
                    float d = MathF.Log(MathF.Max(p, LossEpsilon) + 1f) - MathF.Log(MathF.Max(t, LossEpsilon) + 1f);
                    g = p >= LossEpsilon ? 2f * d / (MathF.Max(p, LossEpsilon) + 1f) : 0f;
                    break;
                }
                case ElementwiseLossKind.Huber: g = MathF.Abs(e) <= parameter ? e : parameter * MathF.Sign(e); break;
                case ElementwiseLossKind.LogCosh: g = MathF.Tanh(e); break;
                case ElementwiseLossKind.Poisson: g = 1f - t / (p + LossEpsilon); break;
                case ElementwiseLossKind.KLDivergence:
                    g = p >= LossEpsilon && p <= 1f ? -Clip(t, LossEpsilon, 1f) / p : 0f;
                    break;
                case ElementwiseLossKind.Hinge:
                case ElementwiseLossKind.SquaredHinge:
                {
                    float h = HingeLabel(t, binaryHinge), margin = 1f - h * p;
                    g = margin > 0f ? (kind == ElementwiseLossKind.Hinge ? -h : -2f * margin * h) : 0f;
                    break;
                }
                case ElementwiseLossKind.BinaryCrossentropy:
                {
                    float ts = Smooth(t, parameter);
                    g = p >= LossEpsilon && p <= 1f - LossEpsilon ? -(ts / (p + LossEpsilon) - (1f - ts) / (1f - p + LossEpsilon)) : 0f;
                    break;
                }
                case ElementwiseLossKind.BinaryCrossentropyFromLogits:
                    g = 1f / (1f + MathF.Exp(-p)) - Smooth(t, parameter);
                    break;
                case ElementwiseLossKind.BinaryFocalCrossentropy:
                {
                    // d/dp of f(q)·bce with q = 1 − p_t, dq/dp = 1 − 2t; bce's clip passes its gradient inside [ε, 1 − ε].
                    float q = 1f - (t * p + (1f - t) * (1f - p));
                    float dBce = p >= LossEpsilon && p <= 1f - LossEpsilon ? -(t / p - (1f - t) / (1f - p)) : 0f;
                    g = FocalPowerGrad(q, parameter) * (1f - 2f * t) * Keras3BinaryCrossentropyTerm(t, p) + FocalPower(q, parameter) * dBce;
                    break;
                }
                case ElementwiseLossKind.CategoricalFocalCrossentropy:
                {
                    // Both factors read the clipped output, so outside [ε, 1 − ε] nothing flows back.
                    if (p >= LossEpsilon && p <= 1f - LossEpsilon)
                        g = -t * (FocalPower(1f - p, parameter) / p - FocalPowerGrad(1f - p, parameter) * MathF.Log(p));
                    else g = 0f;
                    break;
                }
                default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown loss kind.");
            }
            dPred[i] = dValues[i] * g;
        }
    }

    private static float Square(float x) => x * x;

    private static float Clip(float x, float lo, float hi) => MathF.Min(MathF.Max(x, lo), hi);

    private static float HuberTerm(float e, float delta)
    {
        float a = MathF.Abs(e);
        return a <= delta ? 0.5f * e * e : delta * a - 0.5f * delta * delta;
    }

    /// <summary>log(cosh(x)) = x + softplus(−2x) − log 2, Keras's overflow-free form.</summary>
    private static float LogCosh(float x) => x + Softplus(-2f * x) - Log2;

    private static float Softplus(float x) => x > 0 ? x + MathF.Log(1f + MathF.Exp(-x)) : MathF.Log(1f + MathF.Exp(x));

    /// <summary>Keras's label smoothing for binary targets: t·(1 − s) + s/2.</summary>
    private static float Smooth(float t, float smoothing) => smoothing == 0f ? t : t * (1f - smoothing) + 0.5f * smoothing;

    private static float BinaryCrossentropyTerm(float t, float p)
    {
        float pc = Clip(p, LossEpsilon, 1f - LossEpsilon);
        return -(t * MathF.Log(pc + LossEpsilon) + (1f - t) * MathF.Log(1f - pc + LossEpsilon));
    }

    /// <summary>Keras 3's <c>ops.binary_crossentropy</c> on probabilities: clipped to [ε, 1 − ε], no ε inside the logs (unlike tf.keras).</summary>
    private static float Keras3BinaryCrossentropyTerm(float t, float p)
    {
        float pc = Clip(p, LossEpsilon, 1f - LossEpsilon);
        return -(t * MathF.Log(pc) + (1f - t) * MathF.Log(1f - pc));
    }

    /// <summary>q^γ as <c>ops.power</c>: 1 for γ = 0 (also at q = 0).</summary>
    private static float FocalPower(float q, float gamma) => gamma == 0f ? 1f : MathF.Pow(q, gamma);

    /// <summary>d(q^γ)/dq = γ·q^(γ−1), TensorFlow's Pow gradient (0 for γ = 0).</summary>
    private static float FocalPowerGrad(float q, float gamma) => gamma == 0f ? 0f : gamma * MathF.Pow(q, gamma - 1f);

    private static float CategoricalFocalTerm(float t, float o, float gamma)
    {
        float oc = Clip(o, LossEpsilon, 1f - LossEpsilon);
        return -t * MathF.Log(oc) * FocalPower(1f - oc, gamma);
    }

    /// <summary><c>tf.nn.sigmoid_cross_entropy_with_logits</c>: max(x, 0) − x·t + log(1 + e^−|x|).</summary>
    private static float SigmoidCrossentropyTerm(float t, float x) => MathF.Max(x, 0f) - x * t + MathF.Log(1f + MathF.Exp(-MathF.Abs(x)));

    /// <summary>Keras maps hinge labels in {0, 1} to {−1, 1} when every label of the batch is 0 or 1.</summary>
    private static float HingeLabel(float t, bool binary) => binary ? 2f * t - 1f : t;

    private static bool AllZeroOrOne(float[] t)
    {
        foreach (float v in t) if (v != 0f && v != 1f) return false;
        return true;
    }
}
