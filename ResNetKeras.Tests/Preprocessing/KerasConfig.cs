using System.Text.Json;
using ResNetKeras.Engine;
using ResNetKeras.IO;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Preprocessing;

/// <summary>Builds generators from the Keras keyword arguments the fixture script recorded, and loads its files.</summary>
internal static class KerasConfig
{
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "ImageDataGenerator", name);

    public static NDArray Load(string name) => Npy.Load(Fixture(name));

    public static IReadOnlyDictionary<string, NDArray> LoadNpz(string name) => Npy.LoadNpz(Fixture(name));

    public static JsonElement Json(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixture(name)));
        return doc.RootElement.Clone();
    }

    public static ImageDataGenerator Generator(JsonElement c, string semantics, Func<NDArray, NDArray>? preprocessing = null)
    {
        double D(string k, double d = 0) => c.TryGetProperty(k, out var v) ? v.GetDouble() : d;
        bool B(string k) => c.TryGetProperty(k, out var v) && v.GetBoolean();
        string? S(string k) => c.TryGetProperty(k, out var v) ? v.GetString() : null;
        static bool IsInt(JsonElement v) => v.ValueKind == JsonValueKind.Number && !v.GetRawText().Contains('.') && !v.GetRawText().Contains('e');
        ShiftRange Shift(string k)
        {
            if (!c.TryGetProperty(k, out var v)) return 0.0;
            if (v.ValueKind == JsonValueKind.Array)
            {
                var items = v.EnumerateArray().ToList();
                return items.All(IsInt) ? (ShiftRange)items.Select(e => e.GetInt32()).ToArray() : items.Select(e => e.GetDouble()).ToArray();
            }
            return IsInt(v) ? (ShiftRange)v.GetInt32() : v.GetDouble();
        }
        ZoomRange Zoom()
        {
            if (!c.TryGetProperty("zoom_range", out var v)) return 0.0;
            return v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().Select(e => e.GetDouble()).ToArray() : v.GetDouble();
        }
        foreach (var p in c.EnumerateObject())
            if (p.Name is not ("featurewise_center" or "samplewise_center" or "featurewise_std_normalization" or "samplewise_std_normalization"
                or "zca_whitening" or "zca_epsilon" or "rotation_range" or "width_shift_range" or "height_shift_range" or "brightness_range"
                or "shear_range" or "zoom_range" or "channel_shift_range" or "fill_mode" or "cval" or "horizontal_flip" or "vertical_flip"
                or "rescale" or "data_format" or "validation_split" or "interpolation_order"))
                throw new ArgumentException($"unknown ImageDataGenerator argument '{p.Name}' in a fixture");
        return new ImageDataGenerator(
            featurewiseCenter: B("featurewise_center"), samplewiseCenter: B("samplewise_center"),
            featurewiseStdNormalization: B("featurewise_std_normalization"), samplewiseStdNormalization: B("samplewise_std_normalization"),
            zcaWhitening: B("zca_whitening"), zcaEpsilon: D("zca_epsilon", 1e-6), rotationRange: D("rotation_range"),
            widthShiftRange: Shift("width_shift_range"), heightShiftRange: Shift("height_shift_range"),
            brightnessRange: c.TryGetProperty("brightness_range", out var br) ? br.EnumerateArray().Select(e => e.GetDouble()).ToArray() : null,
            shearRange: D("shear_range"), zoomRange: Zoom(), channelShiftRange: D("channel_shift_range"),
            fillMode: S("fill_mode") ?? "nearest", cval: D("cval"), horizontalFlip: B("horizontal_flip"), verticalFlip: B("vertical_flip"),
            rescale: c.TryGetProperty("rescale", out var r) ? r.GetDouble() : null, preprocessingFunction: preprocessing,
            dataFormat: S("data_format"), validationSplit: D("validation_split"), interpolationOrder: (int)D("interpolation_order", 1),
            semantics: semantics);
    }

    public static Dictionary<string, object?> Params(JsonElement e) =>
        e.EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value);

    /// <summary>Max |a − b| over all elements, after checking the shapes agree.</summary>
    public static double MaxAbsDiff(NDArray expected, NDArray actual, string context)
    {
        CollectionAssert.AreEqual(expected.IntShape, actual.IntShape, $"{context}: shape");
        double m = 0;
        for (int i = 0; i < expected.Size; i++)
        {
            double d = Math.Abs(expected.GetFlat(i) - actual.GetFlat(i));
            if (double.IsNaN(d)) return double.PositiveInfinity;
            m = Math.Max(m, d);
        }
        return m;
    }
}
