namespace ResNetKeras.Keras;

/// <summary>
/// Keras's <c>zoom_range</c>: a float z meaning [1 − z, 1 + z], or a list [lower, upper]. Written like Keras thanks to
/// implicit conversions: <c>zoomRange: 0.2</c>, <c>zoomRange: new[] { 0.8, 1.1 }</c> or <c>zoomRange: (0.8, 1.1)</c>.
/// The default (<c>0.0</c>) is [1, 1]: no zoom and no draws.
/// </summary>
public readonly struct ZoomRange : IEquatable<ZoomRange>
{
    private readonly double[]? list;

    private ZoomRange(double scalar, double[]? list)
    {
        Scalar = scalar;
        this.list = list;
    }

    /// <summary>The float form's value (0 for the list form).</summary>
    public double Scalar { get; }

    /// <summary>Whether the value was given as a list (checked for length 2 by <see cref="ImageDataGenerator"/>).</summary>
    public bool IsList => list is not null;

    /// <summary>The list as given (a copy), or null for the float form.</summary>
    public double[]? List => list is null ? null : (double[])list.Clone();

    /// <summary>Keras's <c>[lower, upper]</c>: [1 − z, 1 + z] for a float z.</summary>
    public (double Lower, double Upper) Bounds => list is { Length: 2 } l ? (l[0], l[1]) : (1 - Scalar, 1 + Scalar);

    /// <summary>A float zoom z: [1 − z, 1 + z].</summary>
    public static implicit operator ZoomRange(double value) => new(value, null);

    /// <summary>An int zoom z: [1 − z, 1 + z].</summary>
    public static implicit operator ZoomRange(int value) => new(value, null);

    /// <summary>A list [lower, upper]; null means the default 0.0.</summary>
    public static implicit operator ZoomRange(double[]? values) => values is null ? default : new(0, (double[])values.Clone());

    /// <summary>A tuple (lower, upper).</summary>
    public static implicit operator ZoomRange((double Lower, double Upper) range) => new(0, [range.Lower, range.Upper]);

    /// <inheritdoc/>
    public bool Equals(ZoomRange other) => Bounds == other.Bounds && IsList == other.IsList;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is ZoomRange z && Equals(z);

    /// <inheritdoc/>
    public override int GetHashCode() => Bounds.GetHashCode();

    /// <summary>Value equality.</summary>
    public static bool operator ==(ZoomRange a, ZoomRange b) => a.Equals(b);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(ZoomRange a, ZoomRange b) => !a.Equals(b);

    /// <summary>The value as Python prints it: <c>0.2</c> or <c>[0.8, 1.1]</c>.</summary>
    public override string ToString() => list is { } l
        ? "[" + string.Join(", ", l.Select(ImageDataGenerator.Py)) + "]"
        : ImageDataGenerator.Py(Scalar);
}
