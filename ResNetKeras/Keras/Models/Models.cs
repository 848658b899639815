using System.Text.Json;
using ResNetKeras.Engine;
using ResNetKeras.IO.Hdf5;

namespace ResNetKeras.Keras;

/// <summary>Keras's <c>keras.models</c> functions: <c>load_model</c> and <c>model_from_json</c>.</summary>
public static class Models
{
    /// <summary>
    /// <c>keras.models.load_model(path)</c> for an HDF5 model file: rebuilds the model from <c>model_config</c>, loads its
    /// weights, and when a <c>training_config</c> is present compiles it and restores the optimizer state, ready to resume.
    /// </summary>
    public static Model LoadModel(string path, bool compile = true)
    {
        var root = H5File.Open(path).Root;
        if (!root.Attributes.TryGetValue("model_config", out var configAttr))
            throw new InvalidDataException($"{path}: no model found in config file (the 'model_config' attribute is missing; is this a weights-only file?).");
        var model = ModelFromJson(configAttr.ReadString());
        model.LoadWeights(path);
        if (compile && root.Attributes.TryGetValue("training_config", out var tc))
        {
            using var doc = ParseJson(tc.ReadString(), path);
            var t = doc.RootElement;
            var oc = t.GetProperty("optimizer_config");
            var optimizer = Optimizers.Deserialize(oc.GetProperty("class_name").GetString()!, oc.GetProperty("config"));
            object loss = CompileEntry(t.GetProperty("loss"), "loss", path);
            model.Compile(optimizer, loss, MetricEntries(t, "metrics", path), MetricEntries(t, "weighted_metrics", path));
            if (root.Contains("optimizer_weights"))
            {
                var og = root.Group("optimizer_weights");
                var names = Model.ReadNames(og, "weight_names");
                optimizer.Build(model.TrainableWeights);
                if (names.Length != optimizer.SlotVariables.Count + 1)
                    throw new InvalidDataException($"{path}: the optimizer state has {names.Length} weights; the model's {optimizer.Name} expects {optimizer.SlotVariables.Count + 1}.");
                optimizer.Iterations = (long)og.Dataset(names[0]).Read().GetFlat(0);
                for (int i = 1; i < names.Length; i++) optimizer.SlotVariables[i - 1].Assign(og.Dataset(names[i]).Read());
            }
        }
        return model;
    }

    /// <summary>A training_config metric list: flat, or one list per output as tf.keras writes it.</summary>
    private static List<object> MetricEntries(JsonElement trainingConfig, string key, string path)
    {
        var metrics = new List<object>();
        if (trainingConfig.TryGetProperty(key, out var m) && m.ValueKind == JsonValueKind.Array)
            foreach (var e in m.EnumerateArray())
            {
                if (e.ValueKind == JsonValueKind.Array) metrics.AddRange(e.EnumerateArray().Select(x => CompileEntry(x, "metric", path)));
                else if (e.ValueKind is JsonValueKind.String or JsonValueKind.Object) metrics.Add(CompileEntry(e, "metric", path));
            }
        return metrics;
    }

    /// <summary>A training_config loss or metric: an identifier string, or <c>{"class_name", "config"}</c> of a known class.</summary>
    private static object CompileEntry(JsonElement e, string kind, string path)
    {
        if (e.ValueKind == JsonValueKind.String) return e.GetString()!;
        if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty("class_name", out var cn) && cn.ValueKind == JsonValueKind.String
            && e.TryGetProperty("config", out var config) && config.ValueKind == JsonValueKind.Object)
        {
            try
            {
                var c = ConfigValues.FromJson(config);
                return kind == "loss" ? Losses.Deserialize(cn.GetString()!, c) : Metrics.Deserialize(cn.GetString()!, c);
            }
            catch (ArgumentException ex)
            {
                throw new InvalidDataException($"{path}: training config: {ex.Message} Load with compile: false to skip the training configuration.", ex);
            }
        }
        throw new InvalidDataException($"{path}: training config: the {kind} entry {e.GetRawText()} is neither an identifier nor {{\"class_name\": ..., \"config\": ...}}.");
    }

    private static JsonDocument ParseJson(string json, string source)
    {
        try { return JsonDocument.Parse(json); }
        catch (JsonException e) { throw new InvalidDataException($"{source}: invalid JSON config: {e.Message}", e); }
    }

    /// <summary><c>keras.models.model_from_json(json)</c>: rebuilds a functional model of this library's layers (fresh weights).</summary>
    public static Model ModelFromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var doc = ParseJson(json, "model config");
        var root = doc.RootElement;
        string cls = root.GetProperty("class_name").GetString()!;
        if (cls is not ("Functional" or "Model"))
            throw new InvalidDataException($"model config: class_name '{cls}' is not supported; expected 'Functional' (or 'Model').");
        var config = root.GetProperty("config");
        var outputs = new Dictionary<string, List<KerasTensor>>();
        foreach (var l in config.GetProperty("layers").EnumerateArray())
        {
            string name = l.GetProperty("name").GetString()!;
            var layer = LayerFactory.Create(l.GetProperty("class_name").GetString()!, l.GetProperty("config"));
            var produced = outputs[name] = new List<KerasTensor>();
            if (layer is InputLayer input)
            {
                produced.Add(input.Output);
                continue;
            }
            foreach (var node in l.GetProperty("inbound_nodes").EnumerateArray())
            {
                var inputs = node.EnumerateArray().Select(i =>
                {
                    string src = i[0].GetString()!;
                    int nodeIndex = i[1].GetInt32();
                    if (!outputs.TryGetValue(src, out var list) || nodeIndex >= list.Count)
                        throw new InvalidDataException($"model config: layer '{name}' needs output {nodeIndex} of layer '{src}', which does not exist (yet).");
                    return list[nodeIndex];
                }).ToArray();
                produced.Add(layer.Call(inputs));
            }
        }
        KerasTensor Endpoint(string key)
        {
            var e = config.GetProperty(key)[0];
            string layerName = e[0].GetString()!;
            return outputs.TryGetValue(layerName, out var list) && list.Count > e[1].GetInt32() ? list[e[1].GetInt32()]
                : throw new InvalidDataException($"model config: {key} names layer '{layerName}', which is not in the model.");
        }
        return new Model(Endpoint("input_layers"), Endpoint("output_layers"), config.GetProperty("name").GetString());
    }
}
