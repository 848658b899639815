using ResNetKeras.Engine;
using ResNetKeras.IO.Hdf5;

namespace ResNetKeras.Keras;

/// <summary>
/// Keras 3's weights layout (<c>saving_lib.H5IOStore</c>), used by <c>*.weights.h5</c> files and the
/// <c>model.weights.h5</c> entry of <c>.keras</c> archives: <c>vars</c> (the model's own, empty),
/// <c>layers/&lt;key&gt;/vars/&lt;i&gt;</c> per layer and <c>optimizer/vars/&lt;i&gt;</c>. A layer's key is its class name in
/// snake case, numbered <c>_1</c>, <c>_2</c>, ... in layer order, not its name, so files match between two builds of
/// the same architecture. The optimizer's variables are iterations (int64), learning rate (float32), then each
/// trainable variable's momentum and velocity in turn (Adam; AMSGrad's velocity maxima after all of those); EMA averages
/// come before the slots, a schedule has no learning-rate variable, and Nadam's momentum product follows the slots.
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
        WriteModel(model, root);
        if (model.Optimizer is { } opt)
        {
            var vars = root.CreateGroup("optimizer").CreateGroup("vars");
            vars.SetAttribute("name", opt.Name);
            var values = OptimizerValues(model, opt);
            for (int i = 0; i < values.Count; i++) vars.CreateDataset(i.ToString(), values[i]);
        }
    }

    /// <summary>
    /// A model's own (empty) <c>vars</c> and <c>layers/&lt;key&gt;</c> per layer; a nested model is a layer whose group
    /// holds its own <c>vars</c> and <c>layers</c> in turn, as Keras 3's <c>_save_state</c> walks it.
    /// </summary>
    private static void WriteModel(Model model, H5WriterGroup root)
    {
        root.CreateGroup("vars").SetAttribute("name", model.Name);
        var layers = root.CreateGroup("layers");
        foreach (var (layer, key) in LayerKeys(model))
        {
            if (layer is Model nested)
            {
                WriteModel(nested, layers.CreateGroup(key));
                continue;
            }
            var vars = layers.CreateGroup(key).CreateGroup("vars");
            vars.SetAttribute("name", layer.Name);
            var weights = layer.Weights;
            for (int i = 0; i < weights.Count; i++) vars.CreateDataset(i.ToString(), weights[i].Numpy());
        }
    }

    /// <summary>The optimizer's variables as Keras 3 lists them (slots exist only after the first update or a load).</summary>
    private static List<NDArray> OptimizerValues(Model model, Optimizer opt)
    {
        var values = new List<NDArray> { new NDArray(new long[] { opt.Iterations }, Array.Empty<int>()) };
        // Keras 3 keeps a float learning rate as a variable; a schedule is config only.
        if (opt.LearningRateSchedule is null) values.Add(NDArray.Scalar((float)opt.LearningRate));
        if (opt.SlotVariables.Count > 0)
        {
            values.AddRange(OrderedSlots(model, opt).Select(v => v.Numpy()));
            values.AddRange(opt.Keras3ExtraValues());
        }
        return values;
    }

    /// <summary>Slot variables in Keras 3's order, found by the names this library gives them (optimizer/variable/slot).</summary>
    internal static List<Variable> OrderedSlots(Model model, Optimizer opt)
    {
        var byName = opt.SlotVariables.ToDictionary(v => v.Name);
        var trainable = model.TrainableWeights;
        if (opt is not (Adam or SGD))
        {
            // The other optimizers create their slots in Keras 3's order already (EMA averages, then each
            // add_optimizer_variables call), over the trainable weights in the model's order.
            var own = opt.SlotVariables.ToList();
            int perVariable = trainable.Count == 0 ? 0 : own.Count / trainable.Count;
            if (own.Count != perVariable * trainable.Count)
                throw new InvalidOperationException($"{opt.Name} has {own.Count} slot variables, which is not a whole number per trainable weight ({trainable.Count}).");
            return own;
        }
        var (interleaved, after) = opt switch
        {
            Adam a => (new[] { "m", "v" }, a.Amsgrad ? new[] { "vhat" } : []),
            SGD s => (s.Momentum > 0 ? new[] { "momentum" } : [], Array.Empty<string>()),
            _ => throw new NotSupportedException($"Keras 3 weights: optimizer {opt.GetType().Name} has no known Keras 3 variable order."),
        };
        Variable Slot(Variable v, string kind)
        {
            string baseName = v.Name.EndsWith(":0", StringComparison.Ordinal) ? v.Name[..^2] : v.Name;
            string name = $"{opt.Name}/{baseName}/{kind}:0";
            return byName.TryGetValue(name, out var slot) ? slot
                : throw new InvalidOperationException($"{opt.Name}: no '{kind}' slot for variable '{v.Name}'; the optimizer was built for other variables than the model's trainable weights.");
        }
        var result = new List<Variable>();
        if (opt.UseEma) foreach (var v in trainable) result.Add(Slot(v, "average"));
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
        ReadModel(model, root, "", source, assignments);
        Optimizer? opt = loadOptimizer ? model.Optimizer : null;
        List<Variable>? slots = null;
        NDArray? iterations = null, learningRate = null;
        if (opt is not null && root.Contains("optimizer/vars"))
        {
            var g = root.Group("optimizer/vars");
            int count = g.Keys.Count;
            bool hasLr = opt.LearningRateSchedule is null;
            int first = hasLr ? 2 : 1;
            int extras = 0;
            if (count > first)
            {
                opt.Build(model.TrainableWeights);
                slots = OrderedSlots(model, opt);
                extras = opt.Keras3ExtraValues().Count;
            }
            int expected = first + (slots?.Count ?? 0) + extras;
            if (count != expected)
                throw new InvalidDataException($"{source}: 'optimizer/vars' has {count} variables; the model's {opt.Name} expects {expected} (iterations{(hasLr ? ", learning rate" : "")} and {slots?.Count ?? 0} slot variables for {model.TrainableWeights.Count} trainable weights{(extras > 0 ? $", then {extras} more" : "")}).");
            iterations = ReadChecked(g, "0", [], DType.Int64, $"{source}: optimizer iterations");
            if (hasLr) learningRate = ReadChecked(g, "1", [], DType.Float32, $"{source}: optimizer learning rate");
            for (int i = 0; slots is not null && i < slots.Count; i++)
                assignments.Add((slots[i], ReadChecked(g, (i + first).ToString(), slots[i].Shape, DType.Float32, $"{source}: optimizer variable {i + first} ({slots[i].Name})")));
            // Nadam's momentum product follows from the iterations; it is only checked to be a float32 scalar.
            for (int i = 0; slots is not null && i < extras; i++)
                ReadChecked(g, (first + slots.Count + i).ToString(), [], DType.Float32, $"{source}: optimizer variable {first + slots.Count + i}").Dispose();
        }
        foreach (var (v, value) in assignments) v.Assign(value);
        if (opt is not null && iterations is not null)
        {
            opt.Iterations = (long)iterations.GetFlat(0);
            if (learningRate is not null) opt.LearningRate = learningRate.GetFlat(0);
        }
    }

    /// <summary>Every layer's variables under <paramref name="prefix"/>, checked before any is assigned; nested models recursively.</summary>
    private static void ReadModel(Model model, H5Group root, string prefix, string source, List<(Variable, NDArray)> assignments)
    {
        foreach (var (layer, key) in LayerKeys(model))
        {
            if (layer is Model nested)
            {
                if (!root.Contains($"{prefix}layers/{key}") || root.IsGroupChild($"{prefix}layers/{key}") is false)
                    throw new InvalidDataException($"{source}: the nested model '{layer.Name}' ({layer.ClassName}) has no group '{prefix}layers/{key}'.");
                ReadModel(nested, root, $"{prefix}layers/{key}/", source, assignments);
                continue;
            }
            var weights = layer.Weights;
            string path = $"{prefix}layers/{key}/vars";
            int found = root.Contains(path) && root.IsGroupChild(path) ? root.Group(path).Keys.Count : 0;
            if (found != weights.Count)
                throw new InvalidDataException(
                    $"{source}: layer '{layer.Name}' ({layer.ClassName}) expects {weights.Count} variable(s) at '{path}', but the file has {(root.Contains(path) ? found.ToString() : "no such group")}. Expected: [{string.Join(", ", weights.Select(w => w.Name))}].");
            var g = found > 0 ? root.Group(path) : null;
            for (int i = 0; i < weights.Count; i++)
                assignments.Add((weights[i], ReadChecked(g!, i.ToString(), weights[i].Shape, DType.Float32, $"{source}: layer '{layer.Name}' variable {i} ({weights[i].Name})")));
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
