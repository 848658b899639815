using System.Globalization;
using System.Text.Json;

namespace ResNetKeras.Keras;

/// <summary>
/// The parameters of one random transform, the dictionary Keras's <c>get_random_transform</c> returns and
/// <c>apply_transform</c> takes, with its keys: <c>theta</c>, <c>tx</c>, <c>ty</c>, <c>shear</c>, <c>zx</c>,
/// <c>zy</c>, <c>flip_horizontal</c>, <c>flip_vertical</c>, <c>channel_shift_intensity</c>, <c>brightness</c>.
/// The defaults are Keras's <c>.get(key, default)</c> values: no change.
/// </summary>
public sealed record TransformParameters
{
    /// <summary>Keras's keys, in the order <c>get_random_transform</c> fills them.</summary>
    public static IReadOnlyList<string> Keys { get; } =
        ["theta", "tx", "ty", "shear", "zx", "zy", "flip_horizontal", "flip_vertical", "channel_shift_intensity", "brightness"];

    /// <summary><c>theta</c>: rotation in degrees.</summary>
    public double Theta { get; init; }
    /// <summary><c>tx</c>: shift in pixels (drawn from <c>height_shift_range</c>; moves rows in keras_preprocessing, columns in Keras 2.9+).</summary>
    public double Tx { get; init; }
    /// <summary><c>ty</c>: shift in pixels (drawn from <c>width_shift_range</c>; moves columns in keras_preprocessing, rows in Keras 2.9+).</summary>
    public double Ty { get; init; }
    /// <summary><c>shear</c>: shear angle in degrees.</summary>
    public double Shear { get; init; }
    /// <summary><c>zx</c>: zoom of the first matrix axis (&gt; 1 zooms out).</summary>
    public double Zx { get; init; } = 1;
    /// <summary><c>zy</c>: zoom of the second matrix axis.</summary>
    public double Zy { get; init; } = 1;
    /// <summary><c>flip_horizontal</c>: reverse the columns.</summary>
    public bool FlipHorizontal { get; init; }
    /// <summary><c>flip_vertical</c>: reverse the rows.</summary>
    public bool FlipVertical { get; init; }
    /// <summary><c>channel_shift_intensity</c>, or null (None) for no channel shift.</summary>
    public double? ChannelShiftIntensity { get; init; }
    /// <summary><c>brightness</c> factor, or null (None) for no brightness shift.</summary>
    public double? Brightness { get; init; }

    /// <summary>
    /// Builds parameters from Keras's key names, e.g. a parsed JSON object (numbers, booleans, null; a missing key
    /// means no change). Values may be numbers (any <see cref="IConvertible"/>), booleans or <see cref="JsonElement"/>s.
    /// Unknown keys and non-numeric values are refused.
    /// </summary>
    public static TransformParameters FromDictionary(IReadOnlyDictionary<string, object?> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var p = new TransformParameters();
        foreach (var (key, value) in parameters)
        {
            double? number = ToNumber(key, value);
            double Num() => number ?? throw new ArgumentException($"Invalid value for transform parameter `{key}`. Expected a number. Received {key}=None.", nameof(parameters));
            p = key switch
            {
                "theta" => p with { Theta = Num() },
                "tx" => p with { Tx = Num() },
                "ty" => p with { Ty = Num() },
                "shear" => p with { Shear = Num() },
                "zx" => p with { Zx = Num() },
                "zy" => p with { Zy = Num() },
                // Keras tests truthiness: None and 0 mean no flip.
                "flip_horizontal" => p with { FlipHorizontal = number is { } fh && fh != 0 },
                "flip_vertical" => p with { FlipVertical = number is { } fv && fv != 0 },
                "channel_shift_intensity" => p with { ChannelShiftIntensity = number },
                "brightness" => p with { Brightness = number },
                _ => throw new ArgumentException($"Unknown transform parameter `{key}`. Expected one of {string.Join(", ", Keys)}.", nameof(parameters)),
            };
        }
        return p;
    }

    private static double? ToNumber(string key, object? value) => value switch
    {
        null => null,
        bool b => b ? 1 : 0,
        JsonElement { ValueKind: JsonValueKind.Null } => null,
        JsonElement { ValueKind: JsonValueKind.True } => 1,
        JsonElement { ValueKind: JsonValueKind.False } => 0,
        JsonElement { ValueKind: JsonValueKind.Number } j => j.GetDouble(),
        string s => throw new ArgumentException($"Invalid value for transform parameter `{key}`. Expected a number. Received {key}=\"{s}\".", nameof(value)),
        IConvertible c => c.ToDouble(CultureInfo.InvariantCulture),
        _ => throw new ArgumentException($"Invalid value for transform parameter `{key}`. Expected a number. Received a {value.GetType().Name}.", nameof(value)),
    };

    /// <summary>The parameters under Keras's keys (flips as booleans, absent shifts as null).</summary>
    public IReadOnlyDictionary<string, object?> ToDictionary() => new Dictionary<string, object?>
    {
        ["theta"] = Theta, ["tx"] = Tx, ["ty"] = Ty, ["shear"] = Shear, ["zx"] = Zx, ["zy"] = Zy,
        ["flip_horizontal"] = FlipHorizontal, ["flip_vertical"] = FlipVertical,
        ["channel_shift_intensity"] = ChannelShiftIntensity, ["brightness"] = Brightness,
    };

    /// <summary>Refuses NaN and infinite values, which would make every output pixel meaningless.</summary>
    internal void Validate()
    {
        void Check(double v, string key)
        {
            if (!double.IsFinite(v))
                throw new ArgumentException($"Invalid value for transform parameter `{key}`. Expected a finite number. Received {key}={v.ToString(CultureInfo.InvariantCulture)}.", "transformParameters");
        }
        Check(Theta, "theta");
        Check(Tx, "tx");
        Check(Ty, "ty");
        Check(Shear, "shear");
        Check(Zx, "zx");
        Check(Zy, "zy");
        if (ChannelShiftIntensity is { } c) Check(c, "channel_shift_intensity");
        if (Brightness is { } b) Check(b, "brightness");
    }
}
