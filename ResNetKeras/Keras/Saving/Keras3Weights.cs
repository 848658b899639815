using ResNetKeras.Engine;
using ResNetKeras.IO.Hdf5;

namespace ResNetKeras.Keras;

/// <summary>
/// Keras 3's weights layout (<c>saving_lib.H5IOStore</c>), used by <c>*.weights.h5</c> files and the
/// <c>model.weights.h5</c> entry of <c>.keras</c> archives: <c>vars</c> (the model's own, empty),
/// <c>layers/&lt;key&gt;/vars/&lt;i&gt;</c> per layer and <c>optimizer/vars/&lt;i&gt;</c>. A layer's key is its class name in
/// snake case, numbered <c>_1</c>, <c>_2</c>, ... in layer order, not its name, so files match between two builds of
/// the same architecture. The optimizer's variables are iterations (int64), learning rate (float32), then each
/// trainable variable's momentum and velocity in turn (Adam; AMSGrad's velocity maxima after all of those).
/// </summary>
internal static class Keras3Weights
{
    /// <summary>Layers with their container keys, in the order Keras 3 visits them (a Sequential skips its InputLayer).</summary>
    public static List<(Layer Layer, string Key)> LayerKeys(Model model)
    {
        var used = new Dictionary<string, int>();
        var result = new List<(Layer, string)>();
        foreach (var layer in model.Layers)
        {
            if (model.IsSequential && layer is InputLayer) continue;
            string key = Keras3Config.SnakeCase(layer.ClassName);
            if (used.TryGetValue(key, out int n))
            {
                used[key] = n + 1;
                key = $"{key}_{n + 1}";
            }
            else used[key] = 0;
            result.Add((layer, key));
        }
        return result;
    }

    public static void Write(Model model, H5WriterGroup root)
    {
        root.CreateGroup("vars").SetAttribute("name", model.Name);
        var layers = root.CreateGroup("layers");
        foreach (var (layer, key) in LayerKeys(model))
        {
            var vars = layers.CreateGroup(key).CreateGroup("vars");
            vars.SetAttribute("name", layer.Name);
            var weights = layer.Weights;
            for (int i = 0; i < weights.Count; i++) vars.CreateDataset(i.ToString(), weights[i].Numpy());
        }
        if (model.Optimizer is { } opt)
        {
            var vars = root.CreateGroup("optimizer").CreateGroup("vars");
            vars.SetAttribute("name", opt.Name);
            var values = OptimizerValues(model, opt);
            for (int i = 0; i < values.Count; i++) vars.CreateDataset(i.ToString(), values[i]);
        }
    }

    /// <summary>The optimizer's variables as Keras 3 lists them (slots exist only after the first update or a load).</summary>
    private static List<NDArray> OptimizerValues(Model model, Optimizer opt)
    {
        var values = new List<NDArray>
        {
            new NDArray(new long[] { opt.Iterations }, Array.Empty<int>()),
            NDArray.Scalar((float)opt.LearningRate),
        };
        if (opt.SlotVariables.Count > 0) values.AddRange(OrderedSlots(model, opt).Select(v => v.Numpy()));
        return values;
    }

    /// <summary>Slot variables in Keras 3's order, found by the names this library gives them (optimizer/variable/slot).</summary>
    internal static List<Variable> OrderedSlots(Model model, Optimizer opt)
    {
        var byName = opt.SlotVariables.ToDictionary(v => v.Name);
        var (interleaved, after) = opt switch
        {
            Adam a => (new[] { "m", "v" }, a.Amsgrad ? new[] { "vhat" } : []),
            SGD s => (s.Momentum > 0 ? new[] { "momentum" } : [], Array.Empty<string>()),
            _ => throw new NotSupportedException($"Keras 3 weights: optimizer {opt.GetType().Name} has no known Keras 3 variable order."),
        };
        var trainable = model.TrainableWeights;
        Variable Slot(Variable v, string kind)
        {
            string baseName = v.Name.EndsWith(":0", StringComparison.Ordinal) ? v.Name[..^2] : v.Name;
            string name = $"{opt.Name}/{baseName}/{kind}:0";
            return byName.TryGetValue(name, out var slot) ? slot
                : throw new InvalidOperationException($"{opt.Name}: no '{kind}' slot for variable '{v.Name}'; the optimizer was built for other variables than the model's trainable weights.");
        }
        var result = new List<Variable>();
        foreach (var v in trainable) foreach (var kind in interleaved) result.Add(Slot(v, kind));
        foreach (var kind in after) foreach (var v in trainable) result.Add(Slot(v, kind));
        if (result.Count != opt.SlotVariables.Count)
            throw new InvalidOperationException($"{opt.Name} has {opt.SlotVariables.Count} slot variables, but the model's {trainable.Count} trainable weights account for {result.Count}.");
        return result;
    }

    /// <summary>Whether an HDF5 root holds Keras 3's layout rather than tf.keras 2.x's.</summary>
    public static bool IsKeras3Layout(H5Group root) =>
        !root.Attributes.ContainsKey("layer_names") && !root.Attributes.ContainsKey("layer_names0") && !root.Contains("model_weights")
        && (root.Contains("layers") || root.Contains("vars"));

    /// <summary>
    /// <c>load_weights</c> from Keras 3's layout: every layer's variables are checked (presence, count, shape, dtype)
    /// before any is assigned; with <paramref name="loadOptimizer"/> the compiled model's optimizer state too.
    /// </summary>
    public static void Read(Model model, H5Group root, string source, bool loadOptimizer)
    {
        var assignments = new List<(Variable, NDArray)>();
        foreach (var (layer, key) in LayerKeys(model))
        {
            var weights = layer.Weights;
            string path = $"layers/{key}/vars";
            int found = root.Contains(path) && root.IsGroupChild(path) ? root.Group(path).Keys.Count : 0;
            if (found != weights.Count)
                throw new InvalidDataException(
                    $"{source}: layer '{layer.Name}' ({layer.ClassName}) expects {weights.Count} variable(s) at '{path}', but the file has {(root.Contains(path) ? found.ToString() : "no such group")}. Expected: [{string.Join(", ", weights.Select(w => w.Name))}].");
            var g = found > 0 ? root.Group(path) : null;
            for (int i = 0; i < weights.Count; i++)
                assignments.Add((weights[i], ReadChecked(g!, i.ToString(), weights[i].Shape, DType.Float32, $"{source}: layer '{layer.Name}' variable {i} ({weights[i].Name})")));
        }
        Optimizer? opt = loadOptimizer ? model.Optimizer : null;
        List<Variable>? slots = null;
        NDArray? iterations = null, learningRate = null;
        if (opt is not null && root.Contains("optimizer/vars"))
        {
            var g = root.Group("optimizer/vars");
            int count = g.Keys.Count;
            if (count > 2)
            {
                opt.Build(model.TrainableWeights);
                slots = OrderedSlots(model, opt);
            }
            int expected = 2 + (slots?.Count ?? 0);
            if (count != expected)
                throw new InvalidDataException($"{source}: 'optimizer/vars' has {count} variables; the model's {opt.Name} expects {expected} (iterations, learning rate and {slots?.Count ?? 0} slot variables for {model.TrainableWeights.Count} trainable weights).");
            iterations = ReadChecked(g, "0", [], DType.Int64, $"{source}: optimizer iterations");
            learningRate = ReadChecked(g, "1", [], DType.Float32, $"{source}: optimizer learning rate");
            for (int i = 0; slots is not null && i < slots.Count; i++)
                assignments.Add((slots[i], ReadChecked(g, (i + 2).ToString(), slots[i].Shape, DType.Float32, $"{source}: optimizer variable {i + 2} ({slots[i].Name})")));
        }
        foreach (var (v, value) in assignments) v.Assign(value);
        if (opt is not null && iterations is not null)
        {
            opt.Iterations = (long)iterations.GetFlat(0);
            opt.LearningRate = learningRate!.GetFlat(0);
        }
    }

    private static NDArray ReadChecked(H5Group g, string name, int[] shape, DType dtype, string what)
    {
        if (!g.Contains(name) || g.IsGroupChild(name))
            throw new InvalidDataException($"{what}: dataset '{g.Path}/{name}' is missing.");
        var ds = g.Dataset(name);
        if (!ds.Shape.SequenceEqual(shape))
            throw new InvalidDataException($"{what}: dataset '{ds.Path}' has shape {ShapeUtil.Format(ds.Shape)}, expected {ShapeUtil.Format(shape)}.");
        if (ds.DType != dtype)
            throw new InvalidDataException($"{what}: dataset '{ds.Path}' has dtype {ds.TypeName}, expected {(dtype == DType.Int64 ? "int64" : "float32")}.");
        return ds.Read();
    }
}
