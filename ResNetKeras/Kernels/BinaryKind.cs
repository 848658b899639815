namespace ResNetKeras.Kernels;

/// <summary>Element-wise functions of two same-shaped tensors (Keras's merge layers).</summary>
public enum BinaryKind
{
    /// <summary>a − b.</summary>
    Subtract,
    /// <summary>max(a, b); the gradient goes to a on ties (TensorFlow's Maximum).</summary>
    Maximum,
    /// <summary>min(a, b); the gradient goes to a on ties (TensorFlow's Minimum).</summary>
    Minimum,
    /// <summary>a / b (IEEE division: b = 0 gives ±∞ or NaN, as <c>keras.ops.divide</c>).</summary>
    Divide,
}
