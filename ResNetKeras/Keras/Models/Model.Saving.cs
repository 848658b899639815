using System.Text.Json;
using ResNetKeras.Engine;
using ResNetKeras.IO.Hdf5;

namespace ResNetKeras.Keras;

public partial class Model
{
    /// <summary>The Keras version written into files; readers check nothing beyond it being present.</summary>
    public const string KerasVersion = "2.6.0";

    /// <summary>Keras's HDF5_OBJECT_HEADER_LIMIT: longer name lists are split into name0, name1, ...</summary>
    private const int AttributeLimit = 64512;

    /// <summary>Whether the model is a Keras <c>Sequential</c>: saved as one, its weights without an input layer entry.</summary>
    internal bool IsSequential => this is Sequential;

    /// <summary>
    /// Makes every layer follow one Keras generation's numerics where they differ (today: BatchNormalization's
    /// moving-variance update). Models start as tf.keras 2.x, also when loaded from a file, so that training resumes as it ran.
    /// </summary>
    public void UseKerasGeneration(KerasGeneration generation)
    {
        if (!Enum.IsDefined(generation))
            throw new ArgumentException($"Invalid value for argument `generation`. Expected KerasGeneration.TfKeras2 or Keras3. Received {(int)generation}.", nameof(generation));
        foreach (var bn in Layers.OfType<BatchNormalization>()) bn.Generation = generation;
    }

    /// <summary>The layer calls in execution order (the nodes a config lists).</summary>
    internal IReadOnlyList<Node> ExecutionNodes => executionOrder;

    /// <summary>
    /// <c>model.save_weights(path)</c>: a name ending in <c>.weights.h5</c> gets Keras 3's layout (<c>layers/&lt;key&gt;/vars/&lt;i&gt;</c>,
    /// with the optimizer's variables when compiled); <c>.h5</c>/<c>.hdf5</c> get tf.keras 2.x's layout (§13a). Written to a
    /// temporary file and renamed.
    /// </summary>
    public void SaveWeights(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var w = new H5Writer();
        if (path.EndsWith(".weights.h5", StringComparison.Ordinal)) Keras3Weights.Write(this, w.Root);
        else if (path.EndsWith(".h5", StringComparison.Ordinal) || path.EndsWith(".hdf5", StringComparison.Ordinal)) WriteWeightsGroup(w.Root);
        else
            throw new ArgumentException($"The filename must end in `.weights.h5` (Keras 3 layout) or `.h5`/`.hdf5` (tf.keras 2.x layout). Received: filepath={path}", nameof(path));
        w.Save(path);
    }

    private void WriteWeightsGroup(H5WriterGroup g)
    {
        SetNames(g, "layer_names", Layers.Select(l => l.Name).ToList());
        g.SetAttribute("backend", "tensorflow");
        g.SetAttribute("keras_version", KerasVersion);
        foreach (var layer in Layers)
        {
            var lg = g.CreateGroup(layer.Name);
            var weights = layer.LegacyWeights;
            SetNames(lg, "weight_names", weights.Select(v => v.Name).ToList());
            foreach (var v in weights) lg.CreateDataset(v.Name, v.Numpy());
        }
    }

    /// <summary>save_attributes_to_hdf5_group: split into the fewest nearly equal parts that fit the object-header limit.</summary>
    private static void SetNames(H5WriterGroup g, string name, IReadOnlyList<string> values)
    {
        int longest = values.Count == 0 ? 0 : values.Max(v => System.Text.Encoding.UTF8.GetByteCount(v));
        long bytes = (long)values.Count * Math.Max(1, longest);
        if (bytes <= AttributeLimit)
        {
            g.SetAttribute(name, values);
            return;
        }
        int parts = 1;
        while ((long)Math.Ceiling((double)values.Count / parts) * longest > AttributeLimit) parts++;
        int start = 0;
        for (int k = 0; k < parts; k++)
        {
            int len = values.Count / parts + (k < values.Count % parts ? 1 : 0);
            g.SetAttribute($"{name}{k}", values.Skip(start).Take(len).ToList());
            start += len;
        }
    }

    internal static string[] ReadNames(H5Group g, string name)
    {
        if (g.Attributes.TryGetValue(name, out var a)) return a.ReadStrings();
        var all = new List<string>();
        for (int k = 0; g.Attributes.TryGetValue($"{name}{k}", out var part); k++) all.AddRange(part.ReadStrings());
        if (all.Count == 0 && !g.Attributes.ContainsKey($"{name}0"))
            throw new InvalidDataException($"{g.Path}: attribute '{name}' is missing; this is not a Keras weights file.");
        return all.ToArray();
    }

    /// <summary>
    /// <c>model.load_weights(path, by_name=False, skip_mismatch=False)</c>, the format recognised by content: a <c>.keras</c>
    /// archive or a Keras 3 <c>.weights.h5</c> file (layers matched by class and order, as Keras 3 does; the optimizer state
    /// too when the model is compiled), or a tf.keras 2.x weights or model file, positional by default (layers with
    /// weights, in order) or by layer name.
    /// </summary>
    public void LoadWeights(string path, bool byName = false, bool skipMismatch = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (KerasArchive.IsZip(path))
        {
            if (byName) throw new ArgumentException($"`by_name` only supports loading legacy '.h5' or '.hdf5' files. Received: {path}", nameof(byName));
            var (doc, weights) = KerasArchive.Open(path);
            doc.Dispose();
            Keras3Weights.Read(this, weights.Root, $"{path}!{KerasArchive.WeightsEntry}", loadOptimizer: true);
            return;
        }
        var root = H5File.Open(path).Root;
        if (Keras3Weights.IsKeras3Layout(root))
        {
            if (byName) throw new ArgumentException($"`by_name` only supports loading legacy '.h5' or '.hdf5' files. Received: {path}", nameof(byName));
            Keras3Weights.Read(this, root, path, loadOptimizer: true);
            return;
        }
        if (!root.Attributes.ContainsKey("layer_names") && !root.Attributes.ContainsKey("layer_names0") && root.Contains("model_weights"))
            root = root.Group("model_weights");
        LoadWeightsFromGroup(root, byName, skipMismatch, path);
    }

    private void LoadWeightsFromGroup(H5Group root, bool byName, bool skipMismatch, string path)
    {
        var fileLayers = ReadNames(root, "layer_names");
        NDArray[] ReadLayer(string name)
        {
            if (!root.Contains(name)) throw new InvalidDataException($"{path}: layer '{name}' is listed in layer_names but has no group.");
            var g = root.Group(name);
            return ReadNames(g, "weight_names").Select(w => g.Dataset(w).Read()).ToArray();
        }
        if (byName)
        {
            var fileSet = new HashSet<string>(fileLayers);
            foreach (var layer in Layers)
            {
                if (!fileSet.Contains(layer.Name)) continue;
                var values = ReadLayer(layer.Name);
                var weights = layer.LegacyWeights;
                if (values.Length != weights.Count)
                {
                    string msg = $"Layer \"{layer.Name}\" expects {weights.Count} weight(s), but the saved weights have {values.Length} element(s).";
                    if (skipMismatch) { Console.Error.WriteLine("WARNING: Skipping loading of weights: " + msg); continue; }
                    throw new ArgumentException(msg, nameof(path));
                }
                for (int i = 0; i < values.Length; i++)
                {
                    if (!values[i].IntShape.SequenceEqual(weights[i].Shape))
                    {
                        string msg = $"Shape mismatch in layer \"{layer.Name}\" for weight {weights[i].Name}. Weight expects shape {ShapeUtil.Format(weights[i].Shape)}. Received saved weight with shape {ShapeUtil.Format(values[i].IntShape)}.";
                        if (skipMismatch) { Console.Error.WriteLine("WARNING: Skipping loading of weights: " + msg); goto nextLayer; }
                        throw new ArgumentException(msg, nameof(path));
                    }
                }
                for (int i = 0; i < values.Length; i++) weights[i].Assign(values[i]);
            nextLayer:;
            }
            return;
        }
        var withWeights = Layers.Where(l => l.Weights.Count > 0).ToList();
        var fileWithWeights = fileLayers.Where(n => root.Contains(n) && ReadNames(root.Group(n), "weight_names").Length > 0).ToList();
        if (withWeights.Count != fileWithWeights.Count)
            throw new ArgumentException($"Layer count mismatch when loading weights from file. Model expected {withWeights.Count} layers, found {fileWithWeights.Count} saved layers.", nameof(path));
        var all = new List<(Variable, NDArray)>();
        for (int k = 0; k < withWeights.Count; k++)
        {
            var layer = withWeights[k];
            var values = ReadLayer(fileWithWeights[k]);
            var weights = layer.LegacyWeights;
            if (values.Length != weights.Count)
                throw new ArgumentException($"Layer #{k} (named \"{layer.Name}\" in the current model) was found to correspond to layer {fileWithWeights[k]} in the save file. However the new layer {layer.Name} expects {weights.Count} weights, but the saved weights have {values.Length} elements.", nameof(path));
            for (int i = 0; i < values.Length; i++)
                if (!values[i].IntShape.SequenceEqual(weights[i].Shape))
                    throw new ArgumentException($"Shape mismatch in layer #{k} (named \"{layer.Name}\") for weight {weights[i].Name}: expected shape {ShapeUtil.Format(weights[i].Shape)}, found shape {ShapeUtil.Format(values[i].IntShape)} (saved layer \"{fileWithWeights[k]}\").", nameof(path));
            for (int i = 0; i < values.Length; i++) all.Add((weights[i], values[i]));
        }
        foreach (var (v, value) in all) v.Assign(value);
    }

    /// <summary>
    /// <c>model.save(path)</c>, the format chosen by the file name as Keras 3 does: <c>.keras</c> writes Keras 3's zip
    /// archive (config.json, metadata.json, model.weights.h5 with the optimizer state); <c>.h5</c>/<c>.hdf5</c> write the
    /// tf.keras 2.x HDF5 file: <c>model_config</c>, <c>training_config</c> (when compiled), <c>model_weights</c> and
    /// <c>optimizer_weights</c> (OptimizerV2 order: iter, then all m, then all v). Written to a temporary file and renamed.
    /// </summary>
    public void Save(string path) => Save(path, extraAttributes: null);

    /// <summary><see cref="Save(string)"/> plus string attributes on the root group (BackupAndRestore's training position), in the same atomic write.</summary>
    internal void Save(string path, IReadOnlyDictionary<string, string>? extraAttributes)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (path.EndsWith(".keras", StringComparison.Ordinal))
        {
            KerasArchive.Save(this, path);
            return;
        }
        if (!path.EndsWith(".h5", StringComparison.Ordinal) && !path.EndsWith(".hdf5", StringComparison.Ordinal))
            throw new ArgumentException("Invalid filepath extension for saving. Please add either a `.keras` extension for the native Keras format (recommended) or a `.h5` extension. "
                + $"Use `model.export(filepath)` if you want to export a SavedModel for use with TFLite/TFServing/etc. Received: filepath={path}.", nameof(path));
        var w = new H5Writer();
        w.Root.SetAttribute("keras_version", KerasVersion);
        foreach (var (k, v) in extraAttributes ?? new Dictionary<string, string>()) w.Root.SetAttribute(k, v);
        w.Root.SetAttribute("backend", "tensorflow");
        w.Root.SetAttribute("model_config", ToJson());
        if (Optimizer is not null && CompileConfig is { } compiled)
        {
            w.Root.SetAttribute("training_config", JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["loss"] = compiled.Loss,
                // tf.keras writes one metric list per output; a multi-output compile already has that shape.
                ["metrics"] = Outputs.Count > 1 ? compiled.Metrics : new object[] { compiled.Metrics },
                ["weighted_metrics"] = compiled.WeightedMetrics.Length == 0 ? null : Outputs.Count > 1 ? compiled.WeightedMetrics : new object[] { compiled.WeightedMetrics },
                ["loss_weights"] = compiled.LossWeights,
                ["optimizer_config"] = new Dictionary<string, object?> { ["class_name"] = Optimizer.GetType().Name, ["config"] = Optimizer.GetConfig() },
            }));
        }
        WriteWeightsGroup(w.Root.CreateGroup("model_weights"));
        if (Optimizer is not null && (Optimizer.Iterations > 0 || Optimizer.SlotVariables.Count > 0))
        {
            var og = w.Root.CreateGroup("optimizer_weights");
            var names = new List<string> { $"{Optimizer.Name}/iter:0" };
            names.AddRange(Optimizer.SlotVariables.Select(v => v.Name));
            SetNames(og, "weight_names", names);
            og.CreateDataset(names[0], new NDArray(new long[] { Optimizer.Iterations }));
            foreach (var v in Optimizer.SlotVariables) og.CreateDataset(v.Name, v.Numpy());
        }
        w.Save(path);
    }

    /// <summary>Keras's class name of the model in configs: <c>Functional</c>, or <c>Sequential</c>.</summary>
    public override string ClassName => "Functional";

    /// <summary><c>model.to_json()</c>: the Keras model config.</summary>
    public string ToJson() => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["class_name"] = ClassName,
        ["config"] = GetConfig(),
        ["keras_version"] = KerasVersion,
        ["backend"] = "tensorflow",
    });

    /// <summary>
    /// The node index a config gives the call that produced <paramref name="t"/>. A nested model counts a first node of
    /// its own (its input linked to its output) in Keras's configs: tf.keras 2 for every model built with an InputLayer
    /// (Functional and Sequential alike), Keras 3 for Functional models only. Its first call in the outer model is then
    /// node 1, so files from either generation point at the same call.
    /// </summary>
    internal static int SavedNodeIndex(KerasTensor t, bool keras3) => t.Node!.NodeIndex + NestedNodeOffset(t.Layer!, keras3);

    /// <summary>How many nodes of its own a layer has in Keras's configs before the calls of the outer model (see <see cref="SavedNodeIndex"/>).</summary>
    internal static int NestedNodeOffset(Layer layer, bool keras3) => layer is Model m && (!keras3 || m is not Sequential) ? 1 : 0;

    /// <summary><c>model.get_config()</c>: layers with their configs and inbound nodes, input and output layers.</summary>
    public override Dictionary<string, object?> GetConfig()
    {
        var relevant = new HashSet<Node>(executionOrder, ReferenceEqualityComparer.Instance);
        var layers = GraphLayers.Select(l => new Dictionary<string, object?>
        {
            ["class_name"] = l.ClassName,
            ["config"] = l.GetConfig(),
            ["name"] = l.Name,
            ["inbound_nodes"] = l.InboundNodes.Where(relevant.Contains).Where(n => n.Inputs.Length > 0)
                .Select(n => n.Inputs.Select(t => new object[] { t.Layer!.Name, SavedNodeIndex(t, keras3: false), 0, new Dictionary<string, object>() }).ToArray())
                .ToArray(),
        }).ToList();
        return new Dictionary<string, object?>
        {
            ["name"] = Name,
            ["layers"] = layers,
            ["input_layers"] = Inputs.Select(t => (object)new object[] { t.Layer!.Name, SavedNodeIndex(t, keras3: false), 0 }).ToArray(),
            ["output_layers"] = Outputs.Select(t => (object)new object[] { t.Layer!.Name, SavedNodeIndex(t, keras3: false), 0 }).ToArray(),
        };
    }
}
