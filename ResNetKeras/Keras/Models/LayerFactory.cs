using System.Text.Json;

namespace ResNetKeras.Keras;

/// <summary>Creates layers from Keras configs (<c>class_name</c> + <c>config</c>), the inverse of <c>Layer.GetConfig</c>.</summary>
internal static class LayerFactory
{
    public static Layer Create(string className, JsonElement c)
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
            case "Conv2D":
                return new Conv2D(c.GetProperty("filters").GetInt32(), Pair("kernel_size", 1), Pair("strides", 1), Str("padding") ?? "valid", Act(),
                    Bool("use_bias", true), Init(c, "kernel_initializer"), Init(c, "bias_initializer"), Reg(c, "kernel_regularizer"), Reg(c, "bias_regularizer"), Name(), trainable);
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
            case "ZeroPadding2D":
            {
                var p = c.GetProperty("padding");
                if (p.ValueKind == JsonValueKind.Array && p[0].ValueKind == JsonValueKind.Array)
                    return new ZeroPadding2D((p[0][0].GetInt32(), p[0][1].GetInt32()), (p[1][0].GetInt32(), p[1][1].GetInt32()), Name());
                return new ZeroPadding2D(Pair("padding", 1), Name());
            }
            default:
                throw new InvalidDataException($"model config: unknown layer class '{className}'. Supported: InputLayer, IdentityShortcut, Conv2D, Dense, BatchNormalization, Activation, Add, AveragePooling2D, MaxPooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D, Flatten, Dropout, ZeroPadding2D.");
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
        static bool AllOnes(JsonElement v) => v.ValueKind == JsonValueKind.Number ? v.GetInt32() == 1
            : v.ValueKind == JsonValueKind.Array && v.EnumerateArray().All(e => e.ValueKind == JsonValueKind.Number && e.GetInt32() == 1);
        Expect("data_format", v => v.ValueKind == JsonValueKind.Null || v.GetString() == "channels_last", "\"channels_last\"");
        Expect("dilation_rate", AllOnes, "1");
        Expect("groups", v => v.ValueKind == JsonValueKind.Number && v.GetInt32() == 1, "1");
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

    private static Initializer? Init(JsonElement c, string key)
    {
        if (!c.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind == JsonValueKind.String) return Initializer.Get(v.GetString()!);
        string cls = v.GetProperty("class_name").GetString()!;
        if (cls == "VarianceScaling")
        {
            var cfg = v.GetProperty("config");
            return new VarianceScaling(cfg.GetProperty("scale").GetDouble(), cfg.GetProperty("mode").GetString()!, cfg.GetProperty("distribution").GetString()!);
        }
        return Initializer.Get(cls);
    }

    private static Regularizer? Reg(JsonElement c, string key)
    {
        if (!c.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        string cls = v.GetProperty("class_name").GetString()!;
        var cfg = v.GetProperty("config");
        return cls switch
        {
            "L2" or "l2" => new L2(cfg.TryGetProperty("l2", out var l) ? l.GetDouble() : cfg.GetProperty("l").GetDouble()),
            "L1L2" when cfg.TryGetProperty("l1", out var l1) && l1.GetDouble() == 0 => new L2(cfg.GetProperty("l2").GetDouble()),
            _ => throw new InvalidDataException($"model config: regularizer '{cls}' is not supported; expected L2."),
        };
    }
}
