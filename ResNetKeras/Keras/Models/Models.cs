using System.Text.Json;
using ResNetKeras.Engine;
using ResNetKeras.IO.Hdf5;

namespace ResNetKeras.Keras;

/// <summary>Keras's <c>keras.models</c> functions: <c>load_model</c> and <c>model_from_json</c>.</summary>
public static class Models
{
    /// <summary>
    /// <c>keras.models.load_model(path, compile=True)</c>, the format recognised by content: a Keras 3 <c>.keras</c> archive,
    /// or an HDF5 model file (tf.keras 2.x's, or Keras 3's legacy <c>.h5</c>): rebuilds the model from its config, loads
    /// its weights, and when it was compiled compiles it and restores the optimizer state, ready to resume training.
    /// </summary>
    /// <remarks>
    /// <paramref name="customObjects"/> (Keras's <c>custom_objects</c>) maps the class names a config uses to the user's
    /// layer classes (<c>new Dictionary&lt;string, Type&gt; { ["MyLayer"] = typeof(MyLayer) }</c>); classes marked
    /// <see cref="RegisterKerasSerializableAttribute"/> are found without it.
    /// </remarks>
    public static Model LoadModel(string path, bool compile = true, IReadOnlyDictionary<string, Type>? customObjects = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var scope = CustomObjects.Use(customObjects);
        if (KerasArchive.IsZip(path)) return KerasArchive.Load(path, compile);
        var root = H5File.Open(path).Root;
        if (!root.Attributes.TryGetValue("model_config", out var configAttr))
            throw new InvalidDataException(Keras3Weights.IsKeras3Layout(root)
                ? $"{path}: this is a Keras 3 weights file (.weights.h5) with no model config; build the model and call LoadWeights, or load a .keras archive."
                : $"{path}: no model found in config file (the 'model_config' attribute is missing; is this a weights-only file?).");
        var model = ModelFromJson(configAttr.ReadString(), path);
        model.LoadWeights(path);
        if (compile && root.Attributes.TryGetValue("training_config", out var tc))
        {
            using var doc = ParseJson(tc.ReadString(), path);
            CompileConfigReader.Compile(model, doc.RootElement, $"{path}: training_config");
            var optimizer = model.Optimizer!;
            if (root.Contains("optimizer_weights"))
            {
                var og = root.Group("optimizer_weights");
                var names = Model.ReadNames(og, "weight_names");
                optimizer.Build(model.TrainableWeights);
                if (names.Length > 1 && names[1] == "learning_rate")
                {
                    // Keras 3's legacy .h5: iteration, learning_rate, then momentum and velocity per variable.
                    var slots = Keras3Weights.OrderedSlots(model, optimizer);
                    if (names.Length != slots.Count + 2)
                        throw new InvalidDataException($"{path}: the optimizer state has {names.Length} weights; the model's {optimizer.Name} expects {slots.Count + 2} (iteration, learning_rate and {slots.Count} slots).");
                    var values = names.Select(nm => og.Dataset(nm).Read()).ToArray();
                    for (int i = 0; i < slots.Count; i++) slots[i].Assign(values[i + 2]);
                    optimizer.Iterations = (long)values[0].GetFlat(0);
                    optimizer.LearningRate = values[1].GetFlat(0);
                    return model;
                }
                if (names.Length != optimizer.SlotVariables.Count + 1)
                    throw new InvalidDataException($"{path}: the optimizer state has {names.Length} weights; the model's {optimizer.Name} expects {optimizer.SlotVariables.Count + 1}.");
                optimizer.Iterations = (long)og.Dataset(names[0]).Read().GetFlat(0);
                for (int i = 1; i < names.Length; i++) optimizer.SlotVariables[i - 1].Assign(og.Dataset(names[i]).Read());
            }
        }
        return model;
    }

    private static JsonDocument ParseJson(string json, string source)
    {
        try { return JsonDocument.Parse(json); }
        catch (JsonException e) { throw new InvalidDataException($"{source}: invalid JSON config: {e.Message}", e); }
    }

    /// <summary>
    /// <c>keras.models.model_from_json(json)</c>: rebuilds a Functional or Sequential model of this library's layers (fresh
    /// weights) from a config of either Keras generation (tf.keras 2.x or Keras 3).
    /// </summary>
    public static Model ModelFromJson(string json) => ModelFromJson(json, "model config");

    internal static Model ModelFromJson(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var doc = ParseJson(json, source);
        return ModelConfigReader.Build(doc.RootElement, source);
    }
}
