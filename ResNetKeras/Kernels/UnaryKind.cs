namespace ResNetKeras.Kernels;

/// <summary>
/// Element-wise functions the kernels provide (Keras's <c>keras.activations</c>). The first three run through
/// <see cref="IKernels.Unary"/> on the tutorial path; every kind runs through <see cref="IKernels.Activation"/>.
/// </summary>
public enum UnaryKind
{
    /// <summary>max(x, 0).</summary>
    Relu,
    /// <summary>1/(1+e^−x).</summary>
    Sigmoid,
    /// <summary>tanh(x).</summary>
    Tanh,
    /// <summary>min(max(x, 0), 6).</summary>
    Relu6,
    /// <summary>x for x &gt; 0, α·x otherwise (α: the negative slope).</summary>
    LeakyRelu,
    /// <summary>x for x &gt; 0, α·(e^x − 1) otherwise.</summary>
    Elu,
    /// <summary>λ·x for x &gt; 0, λ·α·(e^x − 1) otherwise, with Keras's λ = 1.05070098, α = 1.67326324.</summary>
    Selu,
    /// <summary>x·Φ(x) = x·(1 + erf(x/√2))/2 (the exact GELU).</summary>
    Gelu,
    /// <summary>x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))/2 (GELU's tanh approximation).</summary>
    GeluTanh,
    /// <summary>x·sigmoid(x) (silu, swish).</summary>
    Silu,
    /// <summary>log(1 + e^x).</summary>
    Softplus,
    /// <summary>x/(1 + |x|).</summary>
    Softsign,
    /// <summary>relu6(x + 3)/6 (Keras 3's definition).</summary>
    HardSigmoid,
    /// <summary>e^x.</summary>
    Exponential,
    /// <summary>|x| (the L1 penalty's term); its gradient is sign(x), 0 at 0, as TensorFlow's.</summary>
    Abs,
}
