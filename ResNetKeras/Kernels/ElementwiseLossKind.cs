namespace ResNetKeras.Kernels;

/// <summary>
/// Per-element loss terms of Keras's regression and binary losses (keras.losses functions before their mean or sum over
/// the last axis), each with its derivative with respect to the prediction.
/// </summary>
public enum ElementwiseLossKind
{
    /// <summary>(p − t)².</summary>
    SquaredError,
    /// <summary>|p − t|.</summary>
    AbsoluteError,
    /// <summary>100·|(t − p)/max(|t|, ε)|.</summary>
    AbsolutePercentageError,
    /// <summary>(log(max(p, ε) + 1) − log(max(t, ε) + 1))².</summary>
    SquaredLogarithmicError,
    /// <summary>½e² where |e| ≤ δ, else δ|e| − ½δ², e = p − t (δ is the parameter).</summary>
    Huber,
    /// <summary>log(cosh(p − t)) as x + softplus(−2x) − log 2.</summary>
    LogCosh,
    /// <summary>p − t·log(p + ε).</summary>
    Poisson,
    /// <summary>t̃·log(t̃/p̃), t̃ and p̃ clipped to [ε, 1] (summed, not averaged, over the last axis).</summary>
    KLDivergence,
    /// <summary>max(1 − t·p, 0), labels in {0, 1} first mapped to {−1, 1}.</summary>
    Hinge,
    /// <summary>max(1 − t·p, 0)², labels mapped as for <see cref="Hinge"/>.</summary>
    SquaredHinge,
    /// <summary>tf.keras's binary cross-entropy on probabilities: −(t·log(p̃ + ε) + (1 − t)·log(1 − p̃ + ε)), p̃ = clip(p, ε, 1 − ε); the parameter is the label smoothing.</summary>
    BinaryCrossentropy,
    /// <summary>Sigmoid cross-entropy from logits: max(x, 0) − x·t + log(1 + e^−|x|); the parameter is the label smoothing.</summary>
    BinaryCrossentropyFromLogits,
    /// <summary>
    /// Keras 3's binary focal term (1 − p_t)^γ·bce, p_t = t·p + (1 − t)(1 − p) from the unclipped p and
    /// bce = −(t·log p̃ + (1 − t)·log(1 − p̃)), p̃ = clip(p, ε, 1 − ε); the parameter is γ.
    /// </summary>
    BinaryFocalCrossentropy,
    /// <summary>
    /// Keras 3's categorical focal term of one class, −t·log(õ)·(1 − õ)^γ with õ = clip(o, ε, 1 − ε) (o already
    /// renormalized over the class axis; α and the sum over classes come outside); the parameter is γ.
    /// </summary>
    CategoricalFocalCrossentropy,
}
