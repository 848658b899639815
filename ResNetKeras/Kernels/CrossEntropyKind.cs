namespace ResNetKeras.Kernels;

/// <summary>The cross-entropy forms the devices compute (Keras's categorical and sparse categorical cross-entropy).</summary>
public enum CrossEntropyKind
{
    /// <summary>From logits: ℓ = Σ_j y_j·(logsumexp(z) − z_j) (<c>tf.nn.softmax_cross_entropy_with_logits</c>).</summary>
    SoftmaxLogits,
    /// <summary>From probabilities as Keras: p ← p/Σp, clipped to [ε, 1 − ε], ℓ = −Σ y·log p.</summary>
    Probabilities,
    /// <summary>From logits with class indices: ℓ = logsumexp(z) − z_label.</summary>
    SparseSoftmaxLogits,
    /// <summary>From probabilities with class indices as Keras: p̃ = clip(p), ℓ = −log(p̃_label/Σp̃).</summary>
    SparseProbabilities,
}
