namespace ResNetKeras.Kernels;

/// <summary>Element-wise functions the kernels provide.</summary>
public enum UnaryKind
{
    /// <summary>max(x, 0).</summary>
    Relu,
    /// <summary>1/(1+e^−x).</summary>
    Sigmoid,
    /// <summary>tanh(x).</summary>
    Tanh,
}
