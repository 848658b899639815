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
        switch (className)
        {
            case "InputLayer":
            {
                var shape = c.GetProperty("batch_input_shape").EnumerateArray().Skip(1).Select(e => e.GetInt32()).ToArray();
                return new InputLayer(shape, Name());
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
            // Activation, merge, reshaping and preprocessing layers (issue 17): each layer's own FromConfig.
            case "ReLU": return ReLU.FromConfig(ConfigValues.FromJson(c));
            case "LeakyReLU": return LeakyReLU.FromConfig(ConfigValues.FromJson(c));
            case "ELU": return ELU.FromConfig(ConfigValues.FromJson(c));
            case "PReLU": return PReLU.FromConfig(ConfigValues.FromJson(c));
            case "Softmax": return Softmax.FromConfig(ConfigValues.FromJson(c));
            case "Concatenate": return Concatenate.FromConfig(ConfigValues.FromJson(c));
            case "Multiply": return Multiply.FromConfig(ConfigValues.FromJson(c));
            case "Subtract": return Subtract.FromConfig(ConfigValues.FromJson(c));
            case "Average": return Average.FromConfig(ConfigValues.FromJson(c));
            case "Maximum": return Maximum.FromConfig(ConfigValues.FromJson(c));
            case "Minimum": return Minimum.FromConfig(ConfigValues.FromJson(c));
            case "Reshape": return Reshape.FromConfig(ConfigValues.FromJson(c));
            case "Permute": return Permute.FromConfig(ConfigValues.FromJson(c));
            case "RepeatVector": return RepeatVector.FromConfig(ConfigValues.FromJson(c));
            case "Rescaling": return Rescaling.FromConfig(ConfigValues.FromJson(c));
            case "Normalization": return Normalization.FromConfig(ConfigValues.FromJson(c));
            default:
                throw new InvalidDataException($"model config: unknown layer class '{className}'. Supported: InputLayer, IdentityShortcut, Conv2D, Dense, BatchNormalization, Activation, Add, AveragePooling2D, MaxPooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D, Flatten, Dropout, ZeroPadding2D.");
        }
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
