using System.Globalization;

namespace ResNetKeras.Keras;

/// <summary>
/// Keras's <c>width_shift_range</c> / <c>height_shift_range</c> in its three forms, written like Keras thanks to
/// implicit conversions: a float r (<c>0.1</c>: a shift drawn uniformly from (−r, r), a fraction of the image size
/// when r &lt; 1, pixels otherwise), an int n (<c>4</c>: one of 0…n−1 pixels with a random sign), or a list
/// (<c>new[] { 1, 2, 3 }</c>: one of its values with a random sign; fractions of the size when every value is &lt; 1).
/// The default (<c>0.0</c>) means no shift and no draws.
/// </summary>
public readonly struct ShiftRange
{
    private readonly double[]? choices;

    private ShiftRange(double scalar, double[]? choices, bool isInt)
    {
        Scalar = scalar;
        this.choices = choices;
        IsInt = isInt;
    }

    /// <summary>The float or int value (0 for the list form).</summary>
    public double Scalar { get; }

    /// <summary>The list form's values (a copy), or null.</summary>
    public double[]? Choices => choices is null ? null : (double[])choices.Clone();

    /// <summary>Whether the value is a Python int (or a list of ints): Keras then draws with <c>np.random.choice</c>.</summary>
    public bool IsInt { get; }

    /// <summary>Keras's truthiness test: a non-zero number or a non-empty list.</summary>
    public bool Enabled => choices is { Length: > 0 } || Scalar != 0;

    /// <summary><c>np.max</c> of the value: below 1 the drawn shift is multiplied by the image size.</summary>
    public double Max => choices is { Length: > 0 } c ? c.Max() : Scalar;

    internal ReadOnlySpan<double> ChoiceSpan => choices;

    /// <summary>A float range.</summary>
    public static implicit operator ShiftRange(double value) => new(value, null, false);
    /// <summary>An int range: one of 0…n−1 pixels with a random sign.</summary>
    public static implicit operator ShiftRange(int value) => new(value, null, true);
    /// <summary>A list of allowed shifts (fractions of the size when all are &lt; 1); null means the default 0.0.</summary>
    public static implicit operator ShiftRange(double[]? values) => values is null ? default : new(0, (double[])values.Clone(), false);
    /// <summary>A list of allowed pixel shifts; null means the default 0.0.</summary>
    public static implicit operator ShiftRange(int[]? values) => values is null ? default : new(0, values.Select(v => (double)v).ToArray(), true);

    /// <summary>The value as Python prints it: <c>0.1</c>, <c>4</c> or <c>[1, 2, 3]</c>.</summary>
    public override string ToString()
    {
        bool isInt = IsInt;
        string F(double v) => isInt ? ((long)v).ToString(CultureInfo.InvariantCulture) : ImageDataGenerator.Py(v);
        return choices is { } c ? "[" + string.Join(", ", c.Select(F)) + "]" : F(Scalar);
    }
}
