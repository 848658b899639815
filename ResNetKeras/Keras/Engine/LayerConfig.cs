using System.Text.Json;

namespace ResNetKeras.Keras;

/// <summary>Typed reads of a layer's Keras config (the JSON object <c>get_config()</c> wrote), for the layers' <c>FromConfig</c>.</summary>
internal readonly struct LayerConfig(JsonElement c)
{
    public string? Name => Str("name");

    public bool Trainable => Bool("trainable", true);

    public bool Has(string key) => c.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null;

    public string? Str(string key) => c.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public bool Bool(string key, bool fallback) => c.TryGetProperty(key, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : fallback;

    public double Num(string key, double fallback) => NumOrNull(key) ?? fallback;

    public double? NumOrNull(string key) => c.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble()
        : c.TryGetProperty(key, out v) && v.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null
        : c.TryGetProperty(key, out v) ? throw new InvalidDataException($"layer config: `{key}` must be a number; found {v.GetRawText()}.") : null;

    public int Int(string key) => c.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i) ? i
        : throw new InvalidDataException($"layer config: `{key}` must be an integer; found {(c.TryGetProperty(key, out v) ? v.GetRawText() : "nothing")}.");

    /// <summary>An integer list (a JSON array) or null when absent or null; a bare integer reads as a one-element list.</summary>
    public int[]? Ints(string key)
    {
        if (!c.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind == JsonValueKind.Number) return [v.GetInt32()];
        if (v.ValueKind != JsonValueKind.Array) throw new InvalidDataException($"layer config: `{key}` must be a list of integers; found {v.GetRawText()}.");
        return v.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Number ? e.GetInt32()
            : throw new InvalidDataException($"layer config: `{key}` must be a list of integers; found {v.GetRawText()}.")).ToArray();
    }

    /// <summary>A number or a (nested) list of numbers flattened, or null.</summary>
    public double[]? Numbers(string key)
    {
        if (!c.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        var list = new List<double>();
        void Walk(JsonElement e)
        {
            if (e.ValueKind == JsonValueKind.Number) list.Add(e.GetDouble());
            else if (e.ValueKind == JsonValueKind.Array) foreach (var x in e.EnumerateArray()) Walk(x);
            else throw new InvalidDataException($"layer config: `{key}` must be a number or a list of numbers; found {v.GetRawText()}.");
        }
        Walk(v);
        return list.ToArray();
    }

    public JsonElement? Element(string key) => c.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    /// <summary>An initializer given by name or as <c>{"class_name", "config"}</c>; null when absent.</summary>
    public Initializer? Init(string key)
    {
        if (Element(key) is not { } v) return null;
        if (v.ValueKind == JsonValueKind.String) return Initializer.Get(v.GetString()!);
        string cls = v.GetProperty("class_name").GetString()!;
        if (cls == "VarianceScaling")
        {
            var cfg = v.GetProperty("config");
            return new VarianceScaling(cfg.GetProperty("scale").GetDouble(), cfg.GetProperty("mode").GetString()!, cfg.GetProperty("distribution").GetString()!);
        }
        return Initializer.Get(cls);
    }

    /// <summary>An L2 regularizer as <c>{"class_name", "config"}</c>; null when absent.</summary>
    public Regularizer? Reg(string key)
    {
        if (Element(key) is not { } v) return null;
        string cls = v.GetProperty("class_name").GetString()!;
        var cfg = v.GetProperty("config");
        return cls switch
        {
            "L2" or "l2" => new L2(cfg.TryGetProperty("l2", out var l) ? l.GetDouble() : cfg.GetProperty("l").GetDouble()),
            _ => throw new InvalidDataException($"layer config: regularizer '{cls}' is not supported; expected L2."),
        };
    }
}
