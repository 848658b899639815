namespace ResNetKeras.Keras;

/// <summary>
/// A Keras augmentation factor: one float f (each layer reads it as Keras does, e.g. (−f, f) for RandomTranslation)
/// or an explicit (lower, upper) tuple; kept as given so <c>get_config</c> writes it back unchanged.
/// </summary>
public readonly record struct FactorRange(double Lower, double Upper, bool IsScalar)
{
    /// <summary>A single float factor.</summary>
    public static implicit operator FactorRange(double f) => new(f, f, true);

    /// <summary>An explicit (lower, upper) range.</summary>
    public static implicit operator FactorRange((double Lower, double Upper) t) => new(t.Lower, t.Upper, false);

    /// <summary>(−f, f) for a scalar, else (lower, upper): the translation, rotation and zoom reading.</summary>
    internal (double Lower, double Upper) Symmetric() => IsScalar ? (-Math.Abs(Lower), Math.Abs(Lower)) : (Lower, Upper);

    internal object ToConfig() => IsScalar ? Lower : new object[] { Lower, Upper };

    internal static FactorRange? FromConfig(LayerConfigReader c, string key)
    {
        if (!c.Json.TryGetProperty(key, out var v) || v.ValueKind == System.Text.Json.JsonValueKind.Null) return null;
        if (v.ValueKind == System.Text.Json.JsonValueKind.Number) return v.GetDouble();
        if (v.ValueKind == System.Text.Json.JsonValueKind.Array && v.GetArrayLength() == 2) return (v[0].GetDouble(), v[1].GetDouble());
        throw new InvalidDataException($"layer config: expected `{key}` to be a float or a list of 2 floats; received {v.GetRawText()}.");
    }
}
