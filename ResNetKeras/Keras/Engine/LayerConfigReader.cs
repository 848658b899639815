using System.Text.Json;

namespace ResNetKeras.Keras;

/// <summary>Typed reads of a layer's Keras config (the JSON of <c>get_config()</c>) for the layers' <c>FromConfig</c>.</summary>
internal readonly struct LayerConfigReader(JsonElement config)
{
    public JsonElement Json => config;

    public bool Has(string key) => config.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null;

    public string? Name => Str("name");

    public bool Trainable => Bool("trainable", true);

    /// <summary>The layer's name after checking that its data_format (when given) is channels_last, the only layout here.</summary>
    public string? ChannelsLastName
    {
        get
        {
            var format = Str("data_format");
            if (format is not (null or "channels_last"))
                throw new InvalidDataException($"layer config of '{Name}': data_format='{format}' is not supported; only 'channels_last' (NHWC) is.");
            return Name;
        }
    }

    public bool Bool(string key, bool fallback) =>
        config.TryGetProperty(key, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.ValueKind == JsonValueKind.True : fallback;

    public double Num(string key, double fallback) =>
        config.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : fallback;

    public int Int(string key, int fallback) => config.TryGetProperty(key, out var v) ? IntOf(key, v, fallback) : fallback;

    public int? NullableInt(string key) => Has(key) ? Int(key, 0) : null;

    public string? Str(string key) => config.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>The activation's constructor value: null for Keras's "linear".</summary>
    public string? Activation => Str("activation") is "linear" ? null : Str("activation");

    /// <summary>An int n (meaning (n, n)) or a list of two ints.</summary>
    public IntPair Pair(string key, IntPair fallback)
    {
        if (!config.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return fallback;
        if (v.ValueKind == JsonValueKind.Number) return IntOf(key, v, 0);
        if (v.ValueKind == JsonValueKind.Array && v.GetArrayLength() == 2) return (IntOf(key, v[0], 0), IntOf(key, v[1], 0));
        throw new InvalidDataException($"layer config: expected `{key}` to be an int or a list of 2 ints; received {v.GetRawText()}.");
    }

    /// <summary>
    /// ZeroPadding2D's and Cropping2D's amounts: ((top, bottom), (left, right)) as Keras writes them, or a pair (rows,
    /// cols) or an int for every side; a missing key is an error (Keras always writes it).
    /// </summary>
    public ((int Top, int Bottom) Rows, (int Left, int Right) Cols) SidePairs(string key)
    {
        if (!config.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null)
            throw new InvalidDataException($"layer config of '{Name}': `{key}` is missing.");
        if (v.ValueKind == JsonValueKind.Array && v.GetArrayLength() == 2 && v[0].ValueKind == JsonValueKind.Array)
        {
            if (v[0].GetArrayLength() != 2 || v[1].ValueKind != JsonValueKind.Array || v[1].GetArrayLength() != 2)
                throw new InvalidDataException($"layer config: expected `{key}` to be ((top, bottom), (left, right)); received {v.GetRawText()}.");
            return ((IntOf(key, v[0][0], 0), IntOf(key, v[0][1], 0)), (IntOf(key, v[1][0], 0), IntOf(key, v[1][1], 0)));
        }
        var p = Pair(key, 0);
        return ((p.First, p.First), (p.Second, p.Second));
    }

    /// <summary>An int or a one-element list (1-D layers' kernel_size, strides, dilation_rate).</summary>
    public int Single(string key, int fallback)
    {
        if (!config.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return fallback;
        if (v.ValueKind == JsonValueKind.Array && v.GetArrayLength() == 1) return IntOf(key, v[0], 0);
        return IntOf(key, v, fallback);
    }

    public Initializer? Init(string key) => LayerFactory.Init(config, key);

    public Regularizer? Reg(string key) => LayerFactory.Reg(config, key);

    private static int IntOf(string key, JsonElement v, int fallback) =>
        v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i) ? i
        : v.ValueKind == JsonValueKind.Null ? fallback
        : throw new InvalidDataException($"layer config: expected `{key}` to be an int; received {v.GetRawText()}.");
}
