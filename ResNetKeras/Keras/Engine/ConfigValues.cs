using System.Globalization;
using System.Text.Json;

namespace ResNetKeras.Keras;

/// <summary>
/// Reads Keras config dictionaries as <c>GetConfig</c> writes them or as parsed from a file's JSON: values may be
/// CLR primitives or <see cref="JsonElement"/>s. Errors name the key, the value and the class.
/// </summary>
internal static class ConfigValues
{
    /// <summary>Turns a JSON object into a config dictionary of strings, doubles, bools, nulls (nested values stay JsonElements).</summary>
    public static Dictionary<string, object?> FromJson(JsonElement obj)
    {
        if (obj.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"Expected a config object; found JSON {obj.ValueKind}.");
        var d = new Dictionary<string, object?>();
        foreach (var p in obj.EnumerateObject())
            d[p.Name] = p.Value.ValueKind switch
            {
                JsonValueKind.String => p.Value.GetString(),
                JsonValueKind.Number => p.Value.GetDouble(),
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Null => null,
                _ => p.Value.Clone(),
            };
        return d;
    }

    private static object? Normalize(object? v) => v switch
    {
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
        JsonElement { ValueKind: JsonValueKind.Number } e => e.GetDouble(),
        JsonElement { ValueKind: JsonValueKind.True } => true,
        JsonElement { ValueKind: JsonValueKind.False } => false,
        JsonElement { ValueKind: JsonValueKind.Null } => null,
        int i => (double)i,
        long l => (double)l,
        float f => (double)f,
        _ => v,
    };

    public static string? String(IReadOnlyDictionary<string, object?> c, string key) =>
        !c.TryGetValue(key, out var v) ? null : Normalize(v) switch
        {
            null => null,
            string s => s,
            var o => throw Bad(key, o, "a string"),
        };

    public static bool Bool(IReadOnlyDictionary<string, object?> c, string key, bool fallback) =>
        !c.TryGetValue(key, out var v) ? fallback : Normalize(v) switch
        {
            bool b => b,
            var o => throw Bad(key, o, "true or false"),
        };

    public static double Double(IReadOnlyDictionary<string, object?> c, string key, double fallback) =>
        !c.TryGetValue(key, out var v) ? fallback : Normalize(v) switch
        {
            double d => d,
            var o => throw Bad(key, o, "a number"),
        };

    public static int Int(IReadOnlyDictionary<string, object?> c, string key, int fallback)
    {
        double d = Double(c, key, fallback);
        if (d != Math.Floor(d) || d is < int.MinValue or > int.MaxValue) throw Bad(key, d, "an integer");
        return (int)d;
    }

    /// <summary>The reduction, keeping an explicit null (Keras's None) apart from a missing key.</summary>
    public static string? Reduction(IReadOnlyDictionary<string, object?> c) =>
        c.ContainsKey("reduction") ? String(c, "reduction") : "sum_over_batch_size";

    /// <summary>Keys this library reads but only at Keras's default: any other value is a clear error, never ignored.</summary>
    public static void ExpectDefault(IReadOnlyDictionary<string, object?> c, string key, object? expected, string className)
    {
        if (!c.TryGetValue(key, out var v)) return;
        if (!Equals(Normalize(v), Normalize(expected)))
            throw new ArgumentException($"{className}: config key '{key}'={Format(Normalize(v))} is not supported; only {Format(Normalize(expected))} (Keras's default) is.", "config");
    }

    private static ArgumentException Bad(string key, object? value, string expected) =>
        new($"Invalid config value for '{key}': expected {expected}, received {Format(value)}.", "config");

    private static string Format(object? v) => v switch
    {
        null => "None",
        string s => $"'{s}'",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };
}
