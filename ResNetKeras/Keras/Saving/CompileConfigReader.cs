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
        object loss = c.TryGetProperty("loss", out var l) ? LossEntry(l, source) : throw new InvalidDataException($"{source}: the compile config has no loss.");
        int outputs = model.Outputs.Count;
        try { model.Compile(optimizer, loss, Entries(c, "metrics", outputs, source), Entries(c, "weighted_metrics", outputs, source), LossWeights(model, c, source)); }
        catch (ArgumentException e) { throw new InvalidDataException($"{source}: cannot compile the loaded model ({e.Message}); load it with compile: false.", e); }
    }

    /// <summary>
    /// A metric list: for one output flat, or one list per output as tf.keras writes it (flattened); for several outputs
    /// one entry per output (a metric, a list of metrics, or null) as Keras 3 takes it.
    /// </summary>
    private static List<object?> Entries(JsonElement c, string key, int outputs, string source)
    {
        var list = new List<object?>();
        if (!c.TryGetProperty(key, out var m) || m.ValueKind != JsonValueKind.Array) return list;
        if (outputs > 1 && m.GetArrayLength() == outputs)
        {
            foreach (var e in m.EnumerateArray())
                list.Add(e.ValueKind switch
                {
                    JsonValueKind.Null => null,
                    JsonValueKind.Array => e.EnumerateArray().Select(x => Entry(x, "metric", source)).ToArray(),
                    _ => Entry(e, "metric", source),
                });
            return list;
        }
        foreach (var e in m.EnumerateArray())
        {
            if (e.ValueKind == JsonValueKind.Array) list.AddRange(e.EnumerateArray().Select(x => Entry(x, "metric", source)));
            else if (e.ValueKind != JsonValueKind.Null) list.Add(Entry(e, "metric", source));
        }
        return list;
    }

    /// <summary>The loss: one entry, a list with one per output (null: none), or a dictionary by output name.</summary>
    private static object LossEntry(JsonElement l, string source)
    {
        if (l.ValueKind == JsonValueKind.Array)
            return l.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? null : Entry(e, "loss", source)).ToArray();
        if (l.ValueKind == JsonValueKind.Object && !l.TryGetProperty("class_name", out _))
            return l.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Null ? null : (object?)Entry(p.Value, "loss", source));
        return Entry(l, "loss", source);
    }

    /// <summary><c>loss_weights</c>: null, a number, a list in output order, or a dictionary by output name.</summary>
    private static List<double>? LossWeights(Model model, JsonElement c, string source)
    {
        if (!c.TryGetProperty("loss_weights", out var w) || w.ValueKind == JsonValueKind.Null) return null;
        double Number(JsonElement e, string where) => e.ValueKind == JsonValueKind.Number ? e.GetDouble()
            : throw new InvalidDataException($"{source}: loss_weights{where} is {e.GetRawText()}; expected a number.");
        return w.ValueKind switch
        {
            JsonValueKind.Number => [w.GetDouble()],
            JsonValueKind.Array => w.EnumerateArray().Select((e, i) => Number(e, $"[{i}]")).ToList(),
            JsonValueKind.Object => model.OutputNames.Select(name => w.TryGetProperty(name, out var e) ? Number(e, $"['{name}']")
                : throw new InvalidDataException($"{source}: loss_weights has no weight for output '{name}'.")).ToList(),
            _ => throw new InvalidDataException($"{source}: loss_weights is {w.GetRawText()}; expected a number, a list or a dictionary."),
        };
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
