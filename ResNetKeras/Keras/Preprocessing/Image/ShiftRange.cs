namespace ResNetKeras.Keras;

/// <summary>
/// A <c>width_shift_range</c>/<c>height_shift_range</c> value in Keras's three forms: a float (uniform in
/// (−r, r), a fraction of the size when &lt; 1), an int n (one of 0..n−1 pixels with a random sign), or a
/// list of values (one of them with a random sign).
/// </summary>
public readonly struct ShiftRange
{
    private ShiftRange(double scalar, double[]? choices, bool isInt)
    {
        Scalar = scalar;
        Choices = choices;
        IsInt = isInt;
    }

    /// <summary>The float or int value (0 when a list).</summary>
    public double Scalar { get; }
    /// <summary>The list form, if given.</summary>
    public double[]? Choices { get; }
    /// <summary>Whether the scalar is an int (Keras draws np.random.choice(n)).</summary>
    public bool IsInt { get; }

    /// <summary>Whether shifting is enabled (Keras's truthiness of the value).</summary>
    public bool Enabled => Choices is { Length: > 0 } || Scalar != 0;

    /// <summary>np.max of the value.</summary>
    public double Max => Choices is { Length: > 0 } c ? c.Max() : Scalar;

    /// <summary>A float range.</summary>
    public static implicit operator ShiftRange(double value) => new(value, null, false);
    /// <summary>An int range: one of 0..n−1 pixels.</summary>
    public static implicit operator ShiftRange(int value) => new(value, null, true);
    /// <summary>A list of allowed shifts.</summary>
    public static implicit operator ShiftRange(double[] values) => new(0, values, false);
    /// <summary>A list of allowed pixel shifts.</summary>
    public static implicit operator ShiftRange(int[] values) => new(0, values.Select(v => (double)v).ToArray(), true);

    /// <inheritdoc/>
    public override string ToString() => Choices is { } c ? "[" + string.Join(", ", c) + "]" : Scalar.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
