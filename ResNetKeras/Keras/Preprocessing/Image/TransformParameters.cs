using System.Globalization;

namespace ResNetKeras.Keras;

/// <summary>
/// The parameters of one random transform, with Keras's keys (<c>theta</c>, <c>tx</c>, <c>ty</c>, <c>shear</c>,
/// <c>zx</c>, <c>zy</c>, <c>flip_horizontal</c>, <c>flip_vertical</c>, <c>channel_shift_intensity</c>, <c>brightness</c>).
/// </summary>
public sealed record TransformParameters
{
    /// <summary>Rotation in degrees.</summary>
    public double Theta { get; init; }
    /// <summary>Shift along rows (keras_preprocessing) in pixels.</summary>
    public double Tx { get; init; }
    /// <summary>Shift along columns in pixels.</summary>
    public double Ty { get; init; }
    /// <summary>Shear angle in degrees.</summary>
    public double Shear { get; init; }
    /// <summary>Zoom of the first axis (&gt; 1 zooms out).</summary>
    public double Zx { get; init; } = 1;
    /// <summary>Zoom of the second axis.</summary>
    public double Zy { get; init; } = 1;
    /// <summary>Reverse columns.</summary>
    public bool FlipHorizontal { get; init; }
    /// <summary>Reverse rows.</summary>
    public bool FlipVertical { get; init; }
    /// <summary>Channel shift, or none.</summary>
    public double? ChannelShiftIntensity { get; init; }
    /// <summary>Brightness factor, or none.</summary>
    public double? Brightness { get; init; }

    /// <summary>Builds parameters from Keras's key names (missing keys mean no change); unknown keys are refused.</summary>
    public static TransformParameters FromDictionary(IReadOnlyDictionary<string, object?> d)
    {
        ArgumentNullException.ThrowIfNull(d);
        var p = new TransformParameters();
        foreach (var (k, v) in d)
        {
            double Num() => v switch
            {
                null => throw new ArgumentException($"Transform parameter `{k}` is null; expected a number.", nameof(d)),
                bool b => b ? 1 : 0,
                IConvertible c => c.ToDouble(CultureInfo.InvariantCulture),
                _ => throw new ArgumentException($"Transform parameter `{k}` has type {v.GetType().Name}; expected a number.", nameof(d)),
            };
            p = k switch
            {
                "theta" => p with { Theta = Num() },
                "tx" => p with { Tx = Num() },
                "ty" => p with { Ty = Num() },
                "shear" => p with { Shear = Num() },
                "zx" => p with { Zx = Num() },
                "zy" => p with { Zy = Num() },
                "flip_horizontal" => p with { FlipHorizontal = Num() != 0 },
                "flip_vertical" => p with { FlipVertical = Num() != 0 },
                "channel_shift_intensity" => p with { ChannelShiftIntensity = v is null ? null : Num() },
                "brightness" => p with { Brightness = v is null ? null : Num() },
                _ => throw new ArgumentException($"Unknown transform parameter `{k}`. Expected theta, tx, ty, shear, zx, zy, flip_horizontal, flip_vertical, channel_shift_intensity, brightness.", nameof(d)),
            };
        }
        return p;
    }
}
