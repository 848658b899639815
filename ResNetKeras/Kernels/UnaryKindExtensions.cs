namespace ResNetKeras.Kernels;

/// <summary>Which tensor an activation's gradient is computed from.</summary>
public static class UnaryKindExtensions
{
    /// <summary>
    /// True when f'(x) follows exactly from y = f(x) (relu, relu6, hard sigmoid: where y is strictly inside its range;
    /// sigmoid, tanh, exponential: a polynomial in y), so training keeps only the output. The others (negative slopes
    /// of any sign, saturating tails where y − limit cancels, GELU, silu, softplus, softsign) read the input.
    /// </summary>
    public static bool GradientFromOutput(this UnaryKind kind) => kind is UnaryKind.Relu or UnaryKind.Sigmoid or UnaryKind.Tanh
        or UnaryKind.Relu6 or UnaryKind.HardSigmoid or UnaryKind.Exponential;
}
