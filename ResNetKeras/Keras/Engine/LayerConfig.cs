using System.Collections;
using System.Text.Json;

namespace ResNetKeras.Keras;

/// <summary>
/// Typed reads of a layer's Keras config for the layers' <c>FromConfig</c>: the dictionary <c>GetConfig()</c> returns
/// (CLR values) or one parsed from a file (<see cref="ConfigValues.FromJson"/>: numbers as doubles, lists and objects
/// as <see cref="JsonElement"/>s). Errors name the key and the value found.
/// </summary>
internal readonly struct LayerConfig(IReadOnlyDictionary<string, object?> c)
{
    public string? Name => Str("name");

    public bool Trainable => Bool("trainable", true);

    private object? Get(string key) => c.TryGetValue(key, out var v) ? v is JsonElement { ValueKind: JsonValueKind.Null } ? null : v : null;

    public bool Has(string key) => Get(key) is not null;

    private static InvalidDataException Bad(string key, object? v, string expected) =>
        new($"layer config: `{key}` must be {expected}; found {(v is JsonElement e ? e.GetRawText() : v is null ? "None" : v.ToString())}.");

    public string? Str(string key) => Get(key) switch
    {
        null => null,
        string s => s,
        JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
        var v => throw Bad(key, v, "a string"),
    };

    public bool Bool(string key, bool fallback) => Get(key) switch
    {
        null => fallback,
        bool b => b,
        JsonElement { ValueKind: JsonValueKind.True or JsonValueKind.False } e => e.GetBoolean(),
        var v => throw Bad(key, v, "true or false"),
    };

    public double Num(string key, double fallback) => NumOrNull(key) ?? fallback;

    public double? NumOrNull(string key) => Get(key) is { } v ? AsNumber(key, v) : null;

    private static double AsNumber(string key, object v) => v switch
    {
        double d => d,
        float f => f,
        int i => i,
        long l => l,
        JsonElement { ValueKind: JsonValueKind.Number } e => e.GetDouble(),
        _ => throw Bad(key, v, "a number"),
    };

    private static int AsInt(string key, object v)
    {
        double d = AsNumber(key, v);
        return d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue ? (int)d : throw Bad(key, v, "an integer");
    }

    public int Int(string key) => Get(key) is { } v ? AsInt(key, v) : throw Bad(key, null, "an integer");

    private static IEnumerable<object> Items(string key, object v) => v switch
    {
        JsonElement { ValueKind: JsonValueKind.Array } e => e.EnumerateArray().Select(x => (object)x),
        string => throw Bad(key, v, "a list"),
        IEnumerable list => list.Cast<object>(),
        _ => throw Bad(key, v, "a list"),
    };

    /// <summary>An integer list, or null when absent or None; a bare integer reads as a one-element list.</summary>
    public int[]? Ints(string key) => Get(key) switch
    {
        null => null,
        double or float or int or long or JsonElement { ValueKind: JsonValueKind.Number } => [AsInt(key, Get(key)!)],
        var v => Items(key, v).Select(x => AsInt(key, x)).ToArray(),
    };

    /// <summary>A number or a (nested) list of numbers, flattened; null when absent or None.</summary>
    public double[]? Numbers(string key)
    {
        if (Get(key) is not { } v) return null;
        var list = new List<double>();
        void Walk(object x)
        {
            if (x is double or float or int or long or JsonElement { ValueKind: JsonValueKind.Number }) list.Add(AsNumber(key, x));
            else foreach (var item in Items(key, x)) Walk(item);
        }
        Walk(v);
        return list.ToArray();
    }

    /// <summary>Whether the key holds a single number (not a list).</summary>
    public bool IsNumber(string key) => Get(key) is double or float or int or long or JsonElement { ValueKind: JsonValueKind.Number };

    /// <summary>An initializer given by name or as <c>{"class_name", "config"}</c>; null when absent.</summary>
    public Initializer? Init(string key)
    {
        switch (Get(key))
        {
            case null: return null;
            case string s: return Initializer.Get(s);
            case JsonElement { ValueKind: JsonValueKind.String } e: return Initializer.Get(e.GetString()!);
            case var v:
                var (cls, cfg) = ClassAndConfig(key, v);
                if (cls == "VarianceScaling")
                {
                    var r = new LayerConfig(cfg);
                    return new VarianceScaling(r.Num("scale", 1.0), r.Str("mode") ?? "fan_in", r.Str("distribution") ?? "truncated_normal");
                }
                return Initializer.Get(cls);
        }
    }

    /// <summary>An L2 regularizer as <c>{"class_name", "config"}</c>; null when absent.</summary>
    public Regularizer? Reg(string key)
    {
        if (Get(key) is not { } v) return null;
        var (cls, cfg) = ClassAndConfig(key, v);
        var r = new LayerConfig(cfg);
        return cls switch
        {
            "L2" or "l2" => new L2(r.NumOrNull("l2") ?? r.Num("l", 0.01)),
            _ => throw new InvalidDataException($"layer config: regularizer '{cls}' is not supported; expected L2."),
        };
    }

    private static (string Class, IReadOnlyDictionary<string, object?> Config) ClassAndConfig(string key, object v)
    {
        var d = v switch
        {
            IReadOnlyDictionary<string, object?> dict => dict,
            JsonElement { ValueKind: JsonValueKind.Object } e => ConfigValues.FromJson(e),
            _ => throw Bad(key, v, "an object with class_name and config"),
        };
        var r = new LayerConfig(d);
        string cls = r.Str("class_name") ?? throw Bad(key, v, "an object with class_name");
        var cfg = (d.TryGetValue("config", out var inner) ? inner : null) switch
        {
            null => new Dictionary<string, object?>(),
            IReadOnlyDictionary<string, object?> dict => dict,
            JsonElement { ValueKind: JsonValueKind.Object } e => ConfigValues.FromJson(e),
            var o => throw Bad(key + ".config", o, "an object"),
        };
        return (cls, cfg);
    }
}
