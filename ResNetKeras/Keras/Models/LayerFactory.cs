using System.Reflection;
using System.Text.Json;

namespace ResNetKeras.Keras;

/// <summary>Creates layers from Keras configs (<c>class_name</c> + <c>config</c>), the inverse of <c>Layer.GetConfig</c>.</summary>
internal static class LayerFactory
{
    public static Layer Create(string className, JsonElement c)
    {
        // A layer's own argument check failing on a config is damaged or unsupported data, named with its layer.
        try { return CreateChecked(className, c); }
        catch (ArgumentException e)
        {
            string name = c.ValueKind == JsonValueKind.Object && c.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "?";
            throw new InvalidDataException($"model config: {className} '{name}': {e.Message}", e);
        }
    }

    private static Layer CreateChecked(string className, JsonElement c)
    {
        string? Name() => c.TryGetProperty("name", out var n) ? n.GetString() : null;
        bool Bool(string k, bool d) => c.TryGetProperty(k, out var v) ? v.ValueKind == JsonValueKind.True : d;
        double Num(string k, double d) => c.TryGetProperty(k, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : d;
        string? Str(string k) => c.TryGetProperty(k, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        IntPair Pair(string k, IntPair d) => c.TryGetProperty(k, out var v) && v.ValueKind == JsonValueKind.Array ? (v[0].GetInt32(), v[1].GetInt32())
            : c.TryGetProperty(k, out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt32() : d;
        string? Act() => Str("activation") is "linear" ? null : Str("activation");
        bool trainable = Bool("trainable", true);
        CheckSupported(className, c);
        switch (className)
        {
            case "InputLayer":
            {
                // tf.keras 2.x writes batch_input_shape, Keras 3 batch_shape.
                var bs = c.TryGetProperty("batch_shape", out var b3) ? b3 : c.GetProperty("batch_input_shape");
                var shape = bs.EnumerateArray().Skip(1).Select(e => e.ValueKind == JsonValueKind.Number ? e.GetInt32()
                    : throw new InvalidDataException($"model config: InputLayer '{Name()}' has an unknown dimension ({bs.GetRawText()}); only the batch axis may be None.")).ToArray();
                int? batch = bs[0].ValueKind == JsonValueKind.Number ? bs[0].GetInt32() : null;
                return new InputLayer(shape, Name(), batch);
            }
            case "Dense":
                return new Dense(c.GetProperty("units").GetInt32(), Act(), Bool("use_bias", true), Init(c, "kernel_initializer"), Init(c, "bias_initializer"),
                    Reg(c, "kernel_regularizer"), Reg(c, "bias_regularizer"), Name(), trainable);
            case "BatchNormalization":
            {
                int axis = c.TryGetProperty("axis", out var a) ? (a.ValueKind == JsonValueKind.Array ? a[0].GetInt32() : a.GetInt32()) : -1;
                return new BatchNormalization(axis, Num("momentum", 0.99), Num("epsilon", 1e-3), Bool("center", true), Bool("scale", true),
                    Init(c, "beta_initializer"), Init(c, "gamma_initializer"), Init(c, "moving_mean_initializer"), Init(c, "moving_variance_initializer"), Name(), trainable);
            }
            case "Activation": return new Activation(Str("activation") ?? "linear", Name());
            case "Add": return new Add(Name());
            case "IdentityShortcut": return new IdentityShortcut(c.GetProperty("filters").GetInt32(), c.GetProperty("strides").GetInt32(), Name());
            case "AveragePooling2D": return new AveragePooling2D(Pair("pool_size", (2, 2)), Pair("strides", Pair("pool_size", (2, 2))), Str("padding") ?? "valid", Name());
            case "MaxPooling2D": return new MaxPooling2D(Pair("pool_size", (2, 2)), Pair("strides", Pair("pool_size", (2, 2))), Str("padding") ?? "valid", Name());
            case "GlobalAveragePooling2D": return new GlobalAveragePooling2D(Name());
            case "GlobalMaxPooling2D": return new GlobalMaxPooling2D(Name());
            case "Flatten": return new Flatten(Name());
            case "Dropout": return new Dropout(Num("rate", 0.5), c.TryGetProperty("seed", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetUInt32() : null, Name());
            default:
                if (WithFromConfig.Value.TryGetValue(className, out var fromConfig)) return fromConfig(c);
                if (CustomObjects.Find(className) is { } custom) return CustomObjects.Create(custom, ConfigValues.FromJson(c));
                throw new InvalidDataException($"model config: unknown layer class '{className}'. Supported: {string.Join(", ", InlineClasses.Concat(WithFromConfig.Value.Keys.Order(StringComparer.Ordinal)))}. If it is your own Layer subclass, mark it [RegisterKerasSerializable] or pass it to Models.LoadModel(path, customObjects: new() {{ [\"{className}\"] = typeof({className}) }}).");
        }
    }

    /// <summary>The classes this switch builds itself (the tutorial's layers, older than the per-layer FromConfig).</summary>
    private static readonly string[] InlineClasses =
        ["InputLayer", "IdentityShortcut", "Dense", "BatchNormalization", "Activation", "Add", "AveragePooling2D", "MaxPooling2D",
         "GlobalAveragePooling2D", "GlobalMaxPooling2D", "Flatten", "Dropout"];

    /// <summary>
    /// Every other library layer, found by its static <c>FromConfig</c> (taking a <see cref="LayerConfigReader"/> or the
    /// config as a dictionary), so adding a layer is one file: no case to add here.
    /// </summary>
    private static readonly Lazy<Dictionary<string, Func<JsonElement, Layer>>> WithFromConfig = new(() =>
    {
        var found = new Dictionary<string, Func<JsonElement, Layer>>();
        const BindingFlags flags = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var type in typeof(Layer).Assembly.GetTypes())
        {
            if (!type.IsSubclassOf(typeof(Layer)) || type.IsAbstract || !type.IsPublic || InlineClasses.Contains(type.Name)) continue;
            if (type.GetMethod("FromConfig", flags, [typeof(LayerConfigReader)]) is { } reader && typeof(Layer).IsAssignableFrom(reader.ReturnType))
                found[type.Name] = c => Invoke(reader, new LayerConfigReader(c));
            else if (type.GetMethod("FromConfig", flags, [typeof(IReadOnlyDictionary<string, object?>)]) is { } dict && typeof(Layer).IsAssignableFrom(dict.ReturnType))
                found[type.Name] = c => Invoke(dict, ConfigValues.FromJson(c));
        }
        return found;
    });

    /// <summary>Calls a FromConfig, passing on its own exceptions rather than reflection's wrapper.</summary>
    private static Layer Invoke(MethodInfo fromConfig, object argument)
    {
        try { return (Layer)fromConfig.Invoke(null, [argument])!; }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    /// <summary>Refuses config values this library cannot honour (they would otherwise be silently ignored).</summary>
    private static void CheckSupported(string className, JsonElement c)
    {
        void Expect(string key, Func<JsonElement, bool> ok, string expected)
        {
            if (c.TryGetProperty(key, out var v) && !ok(v))
                throw new InvalidDataException($"model config: {className} '{(c.TryGetProperty("name", out var n) ? n.GetString() : "?")}' has {key}={v.GetRawText()}; only {expected} is supported.");
        }
        Expect("data_format", v => v.ValueKind == JsonValueKind.Null || v.GetString() == "channels_last", "\"channels_last\"");
        Expect("activity_regularizer", v => v.ValueKind == JsonValueKind.Null, "null");
        foreach (var key in new[] { "kernel_constraint", "bias_constraint", "beta_constraint", "gamma_constraint", "beta_regularizer", "gamma_regularizer" })
            Expect(key, v => v.ValueKind == JsonValueKind.Null, "null");
        Expect("synchronized", v => v.ValueKind == JsonValueKind.False, "false");
        Expect("noise_shape", v => v.ValueKind == JsonValueKind.Null, "null");
        Expect("keepdims", v => v.ValueKind == JsonValueKind.False, "false");
        // Keras 3 writes a DTypePolicy object, tf.keras 2.x a string.
        Expect("dtype", v => v.ValueKind == JsonValueKind.Null || (v.ValueKind == JsonValueKind.String ? v.GetString() == "float32"
            : v.TryGetProperty("config", out var pc) && pc.TryGetProperty("name", out var pn) && pn.GetString() == "float32"), "float32");
    }

    internal static Initializer? Init(JsonElement c, string key)
    {
        if (!c.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind == JsonValueKind.String) return Initializer.Get(v.GetString()!);
        string cls = v.GetProperty("class_name").GetString()!;
        var cfg = v.TryGetProperty("config", out var cv) && cv.ValueKind == JsonValueKind.Object ? ConfigValues.FromJson(cv) : new Dictionary<string, object?>();
        return Initializer.Deserialize(cls, cfg);
    }

    internal static Regularizer? Reg(JsonElement c, string key)
    {
        if (!c.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        string cls = v.GetProperty("class_name").GetString()!;
        var cfg = v.GetProperty("config");
        double Factor(string key, string alt) => cfg.TryGetProperty(key, out var f) ? f.GetDouble() : cfg.TryGetProperty(alt, out var g) ? g.GetDouble() : 0.01;
        return cls switch
        {
            "L2" or "l2" => new L2(Factor("l2", "l")),
            "L1" or "l1" => new L1(Factor("l1", "l")),
            // tf.keras 2 writes L2(...) as L1L2 with l1 = 0 in some versions: kept as L2 so the file round-trips as it was.
            "L1L2" when cfg.TryGetProperty("l1", out var l1) && l1.GetDouble() == 0 => new L2(cfg.GetProperty("l2").GetDouble()),
            "L1L2" or "l1_l2" => new L1L2(cfg.TryGetProperty("l1", out var a1) ? a1.GetDouble() : 0, cfg.TryGetProperty("l2", out var a2) ? a2.GetDouble() : 0),
            _ => throw new InvalidDataException($"model config: regularizer '{cls}' is not supported; expected L1, L2 or L1L2."),
        };
    }
}
