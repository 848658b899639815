using System.Text.Json;

namespace ResNetKeras.Keras;

/// <summary>
/// Rebuilds a model from a model config of either Keras generation: tf.keras 2.x (<c>batch_input_shape</c>,
/// inbound nodes as <c>[layer, node, tensor, kwargs]</c> lists) or Keras 3 (<c>batch_shape</c>, inbound nodes as
/// <c>{"args", "kwargs"}</c> with <c>keras_history</c>), Functional or Sequential.
/// </summary>
internal static class ModelConfigReader
{
    public static Model Build(JsonElement root, string source)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("class_name", out var clsElement) || clsElement.ValueKind != JsonValueKind.String)
            throw new InvalidDataException($"{source}: the model config has no 'class_name' string.");
        string cls = clsElement.GetString()!;
        if (!root.TryGetProperty("config", out var config) || config.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{source}: the model config of class '{cls}' has no 'config' object.");
        return cls switch
        {
            "Functional" or "Model" => Functional(config, source),
            "Sequential" => Sequential(root, config, source),
            _ => throw new InvalidDataException($"{source}: model class_name '{cls}' is not supported; expected 'Functional' (or 'Model') or 'Sequential'."),
        };
    }

    private static JsonElement LayerList(JsonElement config, string source) =>
        config.TryGetProperty("layers", out var layers) && layers.ValueKind == JsonValueKind.Array ? layers
            : throw new InvalidDataException($"{source}: the model config has no 'layers' list.");

    private static Layer CreateLayer(JsonElement entry, string source)
    {
        string cls = entry.TryGetProperty("class_name", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()!
            : throw new InvalidDataException($"{source}: a layer entry has no 'class_name'.");
        // A model used as a layer of another model (Keras's nested Sequential blocks) is rebuilt from its own config.
        if (cls is "Functional" or "Model" or "Sequential") return Build(entry, source);
        if (!entry.TryGetProperty("config", out var cfg) || cfg.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{source}: layer entry of class '{cls}' has no 'config' object.");
        try { return LayerFactory.Create(cls, cfg); }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{source}: the config of layer class '{cls}' is incomplete or malformed: {e.Message}", e);
        }
    }

    private static Model Functional(JsonElement config, string source)
    {
        var outputs = new Dictionary<string, List<KerasTensor>>();
        var layersByName = new Dictionary<string, Layer>();
        // Keras 3 writes inbound nodes as args/kwargs objects; which generation wrote the file decides how a nested
        // model's nodes are numbered (Model.NestedNodeOffset).
        bool keras3 = false;
        KerasTensor Tensor(string owner, string layerName, int nodeIndex)
        {
            int offset = layersByName.TryGetValue(layerName, out var producer) ? Model.NestedNodeOffset(producer, keras3) : 0;
            return outputs.TryGetValue(layerName, out var list) && nodeIndex - offset >= 0 && nodeIndex - offset < list.Count ? list[nodeIndex - offset]
                : throw new InvalidDataException($"{source}: {owner} needs output {nodeIndex} of layer '{layerName}', which does not exist (yet).");
        }
        foreach (var l in LayerList(config, source).EnumerateArray())
        {
            var layer = CreateLayer(l, source);
            string name = l.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : layer.Name;
            layersByName[name] = layer;
            var produced = outputs[name] = new List<KerasTensor>();
            if (layer is InputLayer input)
            {
                produced.Add(input.Output);
                continue;
            }
            if (!l.TryGetProperty("inbound_nodes", out var nodes) || nodes.ValueKind != JsonValueKind.Array)
                throw new InvalidDataException($"{source}: layer '{name}' has no 'inbound_nodes' list.");
            foreach (var node in nodes.EnumerateArray())
            {
                var refs = new List<(string Layer, int Node)>();
                if (node.ValueKind == JsonValueKind.Object)
                {
                    keras3 = true;
                    CollectKeras3(node, name, refs, source);
                }
                else if (node.ValueKind == JsonValueKind.Array)
                    foreach (var i in node.EnumerateArray()) refs.Add(HistoryEntry(i, name, source));
                else throw new InvalidDataException($"{source}: layer '{name}' has an inbound node that is neither a list (tf.keras) nor an args/kwargs object (Keras 3).");
                var inputs = refs.Select(r => Tensor($"layer '{name}'", r.Layer, r.Node)).ToArray();
                produced.Add(layer.Call(inputs));
            }
        }
        KerasTensor[] Endpoints(string key)
        {
            if (!config.TryGetProperty(key, out var e) || e.ValueKind != JsonValueKind.Array || e.GetArrayLength() == 0)
                throw new InvalidDataException($"{source}: the model config has no '{key}'.");
            // One endpoint is [name, node, tensor] (Keras 3 writes a single one bare); several are [[name, node, tensor], ...].
            var refs = e[0].ValueKind == JsonValueKind.Array ? e.EnumerateArray().ToList() : [e];
            return refs.Select(r =>
            {
                var (layerName, nodeIndex) = HistoryEntry(r, key, source);
                return outputs.ContainsKey(layerName) ? Tensor(key, layerName, nodeIndex)
                    : throw new InvalidDataException($"{source}: {key} names layer '{layerName}', which is not in the model.");
            }).ToArray();
        }
        string? modelName = config.TryGetProperty("name", out var mn) && mn.ValueKind == JsonValueKind.String ? mn.GetString() : null;
        try { return new Model(Endpoints("input_layers"), Endpoints("output_layers"), modelName); }
        catch (ArgumentException e) { throw new InvalidDataException($"{source}: the model's graph is invalid: {e.Message}", e); }
    }

    private static (string, int) HistoryEntry(JsonElement e, string owner, string source)
    {
        if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() < 2 || e[0].ValueKind != JsonValueKind.String || e[1].ValueKind != JsonValueKind.Number)
            throw new InvalidDataException($"{source}: '{owner}' refers to a tensor as {e.GetRawText()}; expected [layer_name, node_index, tensor_index].");
        if (e.GetArrayLength() > 2 && e[2].ValueKind == JsonValueKind.Number && e[2].GetInt32() != 0)
            throw new InvalidDataException($"{source}: '{owner}' reads output {e[2].GetInt32()} of layer '{e[0].GetString()}'; the layers here have one output.");
        return (e[0].GetString()!, e[1].GetInt32());
    }

    /// <summary>The tensors of a Keras 3 call, in argument order (a merge layer's list is one argument).</summary>
    private static void CollectKeras3(JsonElement node, string owner, List<(string, int)> refs, string source)
    {
        if (!node.TryGetProperty("args", out var args) || args.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException($"{source}: an inbound node of layer '{owner}' has no 'args' list.");
        void Walk(JsonElement a)
        {
            if (a.ValueKind == JsonValueKind.Array) { foreach (var x in a.EnumerateArray()) Walk(x); return; }
            if (a.ValueKind == JsonValueKind.Object && a.TryGetProperty("class_name", out var c) && c.GetString() == "__keras_tensor__")
            {
                if (!a.TryGetProperty("config", out var cfg) || !cfg.TryGetProperty("keras_history", out var h))
                    throw new InvalidDataException($"{source}: a tensor argument of layer '{owner}' has no keras_history.");
                refs.Add(HistoryEntry(h, owner, source));
                return;
            }
            throw new InvalidDataException($"{source}: layer '{owner}' is called with a non-tensor argument {a.GetRawText()}; only tensors are supported.");
        }
        Walk(args);
        if (node.TryGetProperty("kwargs", out var kwargs) && kwargs.ValueKind == JsonValueKind.Object)
            foreach (var kv in kwargs.EnumerateObject())
                if (kv.Value.ValueKind != JsonValueKind.Null)
                    throw new InvalidDataException($"{source}: layer '{owner}' is called with keyword argument {kv.Name}={kv.Value.GetRawText()}; only null keyword arguments are supported.");
    }

    private static Model Sequential(JsonElement root, JsonElement config, string source)
    {
        var entries = LayerList(config, source).EnumerateArray().ToList();
        var layers = new List<Layer>();
        int start = 0;
        if (entries.Count > 0 && entries[0].TryGetProperty("class_name", out var c0) && c0.GetString() == "InputLayer")
        {
            layers.Add(CreateLayer(entries[0], source));
            start = 1;
        }
        else
        {
            var shape = BuildShape(config, "build_input_shape")
                ?? (root.TryGetProperty("build_config", out var bc) ? BuildShape(bc, "input_shape") : null)
                ?? (entries.Count > 0 && entries[0].TryGetProperty("config", out var fc) ? BuildShape(fc, "batch_input_shape") ?? BuildShape(fc, "batch_shape") : null)
                ?? throw new InvalidDataException($"{source}: the Sequential model has no InputLayer and no build_input_shape, so its input shape is unknown.");
            layers.Add(new InputLayer(shape));
        }
        if (start == entries.Count) throw new InvalidDataException($"{source}: the Sequential model has no layers after its input.");
        for (int i = start; i < entries.Count; i++) layers.Add(CreateLayer(entries[i], source));
        string? modelName = config.TryGetProperty("name", out var mn) && mn.ValueKind == JsonValueKind.String ? mn.GetString() : null;
        return new Sequential(layers, modelName);
    }

    private static int[]? BuildShape(JsonElement e, string key)
    {
        if (!e.TryGetProperty(key, out var s) || s.ValueKind != JsonValueKind.Array || s.GetArrayLength() < 2) return null;
        return s.EnumerateArray().Skip(1).Select(d => d.ValueKind == JsonValueKind.Number ? d.GetInt32() : -1).ToArray();
    }
}
