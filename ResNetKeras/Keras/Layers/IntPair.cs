namespace ResNetKeras.Keras;

/// <summary>
/// An (int, int) argument such as <c>kernel_size</c>, <c>strides</c> or <c>pool_size</c>: an int n
/// means (n, n), as in Keras, and a C# tuple <c>(3, 1)</c> converts directly.
/// </summary>
public readonly record struct IntPair(int First, int Second)
{
    /// <summary>n → (n, n).</summary>
    public static implicit operator IntPair(int n) => new(n, n);

    /// <summary>(a, b) → (a, b).</summary>
    public static implicit operator IntPair((int, int) t) => new(t.Item1, t.Item2);

    internal IntPair Positive(string layer, string param)
    {
        if (First <= 0 || Second <= 0)
            throw new ArgumentException($"Invalid value for argument `{param}` of layer {layer}. Expected strictly positive values. Received {param}=({First}, {Second}).", param);
        return this;
    }

    internal object[] ToList() => [First, Second];
}
