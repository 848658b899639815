using System.Text.Json;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>model.compile_from_config</c> for Keras 3's <c>compile_config</c> and tf.keras 2.x's <c>training_config</c>:
/// the optimizer (any of <see cref="Optimizers.Deserialize"/>; loss scaling, gradient accumulation and tf.keras's decay, which
/// this library would silently ignore, are refused), the loss and the metrics.
/// </summary>
internal static class CompileConfigReader
{
    public static void Compile(Model model, JsonElement c, string source)
    {
        var optimizer = c.TryGetProperty("optimizer", out var o) ? Optimizer(o, source)
            : c.TryGetProperty("optimizer_config", out var oc) ? Optimizer(oc, source)
            : throw new InvalidDataException($"{source}: the compile config has no optimizer.");
        object loss = c.TryGetProperty("loss", out var l) ? Entry(l, "loss", source) : throw new InvalidDataException($"{source}: the compile config has no loss.");
        try { model.Compile(optimizer, loss, Entries(c, "metrics", source), Entries(c, "weighted_metrics", source)); }
        catch (ArgumentException e) { throw new InvalidDataException($"{source}: cannot compile the loaded model ({e.Message}); load it with compile: false.", e); }
    }

    /// <summary>A metric list: flat, or one list per output as tf.keras writes it.</summary>
    private static List<object> Entries(JsonElement c, string key, string source)
    {
        var list = new List<object>();
        if (c.TryGetProperty(key, out var m) && m.ValueKind == JsonValueKind.Array)
            foreach (var e in m.EnumerateArray())
            {
                if (e.ValueKind == JsonValueKind.Array) list.AddRange(e.EnumerateArray().Select(x => Entry(x, "metric", source)));
                else if (e.ValueKind != JsonValueKind.Null) list.Add(Entry(e, "metric", source));
            }
        return list;
    }

    /// <summary>
    /// A loss or metric given as an identifier, a Keras 3 function reference (<c>{"class_name": "function", "config": "mse"}</c>)
    /// or a class config, rebuilt with its arguments (<see cref="Losses.Deserialize"/>, <see cref="Metrics.Deserialize"/>).
    /// </summary>
    private static object Entry(JsonElement e, string what, string source)
    {
        if (e.ValueKind == JsonValueKind.String) return e.GetString()!;
        if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty("class_name", out var cls) && cls.ValueKind == JsonValueKind.String)
        {
            if (cls.GetString() == "function" && e.TryGetProperty("config", out var f) && f.ValueKind == JsonValueKind.String) return f.GetString()!;
            if (e.TryGetProperty("config", out var cfg) && cfg.ValueKind == JsonValueKind.Object)
            {
                try
                {
                    var config = ConfigValues.FromJson(cfg);
                    return what == "loss" ? Losses.Deserialize(cls.GetString()!, config) : Metrics.Deserialize(cls.GetString()!, config);
                }
                catch (ArgumentException ex)
                {
                    throw new InvalidDataException($"{source}: {what} {cls.GetString()}: {ex.Message} Load with compile: false to skip the training configuration.", ex);
                }
            }
        }
        throw new InvalidDataException($"{source}: {what} {e.GetRawText()} is not supported; load with compile: false.");
    }

    private static Optimizer Optimizer(JsonElement o, string source)
    {
        if (o.ValueKind == JsonValueKind.String)
        {
            try { return Optimizers.Get(o.GetString()!); }
            catch (ArgumentException e) { throw new InvalidDataException($"{source}: {e.Message} (or load with compile: false).", e); }
        }
        string cls = o.TryGetProperty("class_name", out var cn) ? cn.GetString()! : throw new InvalidDataException($"{source}: the optimizer config has no class_name.");
        var c = o.TryGetProperty("config", out var cc) && cc.ValueKind == JsonValueKind.Object ? cc : JsonDocument.Parse("{}").RootElement;
        foreach (var key in new[] { "loss_scale_factor", "gradient_accumulation_steps" })
            if (c.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null)
                throw new InvalidDataException($"{source}: optimizer {cls} has {key}={v.GetRawText()}, which this library does not implement (load with compile: false).");
        if (c.TryGetProperty("decay", out var decay) && decay.ValueKind == JsonValueKind.Number && decay.GetDouble() != 0)
            throw new InvalidDataException($"{source}: optimizer {cls} has decay={decay.GetRawText()}, which this library does not implement (load with compile: false).");
        try { return Optimizers.Deserialize(cls, c); }
        catch (ArgumentException e) { throw new InvalidDataException($"{source}: optimizer {cls}: {e.Message} (or load with compile: false).", e); }
        catch (InvalidDataException e) { throw new InvalidDataException($"{source}: {e.Message} (or load with compile: false).", e); }
    }
}
