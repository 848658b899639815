using System.Text.Json;
using System.Text.RegularExpressions;

namespace ResNetKeras.Keras;

/// <summary>
/// Keras 3's <c>serialize_keras_object</c> form of a model (<c>module</c>, <c>class_name</c>, <c>config</c>,
/// <c>registered_name</c>, <c>build_config</c>, <c>compile_config</c>; Functional <c>inbound_nodes</c> as
/// <c>args</c>/<c>kwargs</c> with <c>keras_history</c>), written into <c>.keras</c> archives.
/// </summary>
internal static partial class Keras3Config
{
    /// <summary>The config.json object of a model.</summary>
    public static Dictionary<string, object?> Serialize(Model model)
    {
        var d = model.IsSequential ? SerializeSequential(model) : SerializeFunctional(model);
        var compile = CompileConfig(model);
        if (compile is not null) d["compile_config"] = compile;
        return d;
    }

    private static Dictionary<string, object?> SerializeFunctional(Model model)
    {
        var relevant = new HashSet<Node>(model.ExecutionNodes, ReferenceEqualityComparer.Instance);
        var layers = new List<object?>();
        foreach (var l in model.Layers)
        {
            var entry = LayerEntry(l);
            entry["name"] = l.Name;
            entry["inbound_nodes"] = l.InboundNodes.Where(relevant.Contains).Where(n => n.Inputs.Length > 0)
                .Select(n => new Dictionary<string, object?>
                {
                    // A merge layer is called with a list: Keras 3 records that list as the single positional argument.
                    ["args"] = n.Inputs.Length == 1 && l is not (Add or Merge or Concatenate) ? new object?[] { TensorRef(n.Inputs[0]) } : new object?[] { n.Inputs.Select(TensorRef).ToArray() },
                    ["kwargs"] = new Dictionary<string, object?>(),
                }).ToArray();
            layers.Add(entry);
        }
        return new Dictionary<string, object?>
        {
            ["module"] = "keras.src.models.functional",
            ["class_name"] = "Functional",
            ["config"] = new Dictionary<string, object?>
            {
                ["name"] = model.Name,
                ["trainable"] = true,
                ["layers"] = layers,
                ["input_layers"] = model.Inputs.Select(t => (object)new object[] { t.Layer!.Name, Model.SavedNodeIndex(t, keras3: true), 0 }).ToArray(),
                ["output_layers"] = model.Outputs.Select(t => (object)new object[] { t.Layer!.Name, Model.SavedNodeIndex(t, keras3: true), 0 }).ToArray(),
            },
            ["registered_name"] = "Functional",
            ["build_config"] = new Dictionary<string, object?> { ["input_shape"] = null },
        };
    }

    private static Dictionary<string, object?> SerializeSequential(Model model)
    {
        var inputShape = Shape(model.Input.Shape);
        var layers = model.GraphLayers.Select(l => (object?)LayerEntry(l)).ToList();
        return new Dictionary<string, object?>
        {
            ["module"] = "keras",
            ["class_name"] = "Sequential",
            ["config"] = new Dictionary<string, object?>
            {
                ["name"] = model.Name,
                ["trainable"] = true,
                ["dtype"] = DTypePolicy(),
                ["layers"] = layers,
                ["build_input_shape"] = inputShape,
            },
            ["registered_name"] = null,
            ["build_config"] = new Dictionary<string, object?> { ["input_shape"] = inputShape },
        };
    }

    private static object?[] Shape(int[] shape) => shape.Select(d => d < 0 ? null : (object?)d).ToArray();

    private static Dictionary<string, object?> TensorRef(KerasTensor t) => new()
    {
        ["class_name"] = "__keras_tensor__",
        ["config"] = new Dictionary<string, object?>
        {
            ["shape"] = Shape(t.Shape),
            ["dtype"] = "float32",
            ["keras_history"] = new object[] { t.Layer!.Name, Model.SavedNodeIndex(t, keras3: true), 0 },
        },
    };

    private static Dictionary<string, object?> DTypePolicy() => new()
    {
        ["module"] = "keras",
        ["class_name"] = "DTypePolicy",
        ["config"] = new Dictionary<string, object?> { ["name"] = "float32" },
        ["registered_name"] = null,
    };

    /// <summary>A layer's module/class_name/config/registered_name/build_config, its config in Keras 3's spelling.</summary>
    private static Dictionary<string, object?> LayerEntry(Layer l)
    {
        // A nested model is serialized as a model (its own layers and graph), as Keras 3's serialize_keras_object does.
        if (l is Model nested) return nested.IsSequential ? SerializeSequential(nested) : SerializeFunctional(nested);
        var c = l.GetConfig();
        bool custom = l is IdentityShortcut;
        if (l is InputLayer input)
        {
            c.Remove("batch_input_shape");
            c = new Dictionary<string, object?> { ["batch_shape"] = Shape(input.BatchShape) }.Concat(c).ToDictionary();
        }
        else if (c.ContainsKey("dtype")) c["dtype"] = DTypePolicy();
        foreach (var key in c.Keys.ToList())
            if (c[key] is Dictionary<string, object?> obj && obj.ContainsKey("class_name"))
                c[key] = new Dictionary<string, object?>
                {
                    ["module"] = key.EndsWith("_regularizer", StringComparison.Ordinal) ? "keras.regularizers" : "keras.initializers",
                    ["class_name"] = obj["class_name"],
                    ["config"] = obj["config"],
                    ["registered_name"] = null,
                };
        var entry = new Dictionary<string, object?>
        {
            // This library's own layers are custom objects to Keras: registered as package>class.
            ["module"] = custom ? "resnetkeras.layers" : "keras.layers",
            ["class_name"] = l.ClassName,
            ["config"] = c,
            ["registered_name"] = custom ? $"ResNetKeras>{l.ClassName}" : null,
        };
        if (l is not InputLayer && l.InboundNodes.Count > 0 && l.InboundNodes[0].Inputs.Length > 0)
        {
            var shapes = l.InboundNodes[0].Inputs.Select(t => (object?)Shape(t.Shape)).ToArray();
            entry["build_config"] = new Dictionary<string, object?> { ["input_shape"] = shapes.Length == 1 && l is not Add ? shapes[0] : shapes };
        }
        return entry;
    }

    private static Dictionary<string, object?>? CompileConfig(Model model)
    {
        if (model.Optimizer is null || model.CompileConfig is not { } compiled) return null;
        return new Dictionary<string, object?>
        {
            ["optimizer"] = new Dictionary<string, object?>
            {
                ["module"] = "keras.optimizers",
                ["class_name"] = model.Optimizer.GetType().Name,
                ["config"] = OptimizerConfig(model.Optimizer),
                ["registered_name"] = null,
            },
            ["loss"] = compiled.Loss,
            ["loss_weights"] = compiled.LossWeights,
            ["metrics"] = compiled.Metrics,
            ["weighted_metrics"] = compiled.WeightedMetrics.Length == 0 ? null : compiled.WeightedMetrics,
            ["run_eagerly"] = false,
            ["steps_per_execution"] = 1,
            ["jit_compile"] = false,
        };
    }

    /// <summary>
    /// Keras 3's optimizer config: the optimizer's own <c>get_config</c> (base keys, then its own; a schedule serialized),
    /// without the tf.keras 2.x <c>decay</c> key that Adam and SGD also write for the legacy HDF5 file.
    /// </summary>
    private static Dictionary<string, object?> OptimizerConfig(Optimizer o)
    {
        var c = o.GetConfig();
        c.Remove("decay");
        return c;
    }

    /// <summary>Keras 3's <c>naming.to_snake_case</c>: the container key of a layer in the weights file.</summary>
    public static string SnakeCase(string className)
    {
        var s = NonWord().Replace(className, "");
        s = FirstCap().Replace(s, "$1_$2");
        return AllCap().Replace(s, "$1_$2").ToLowerInvariant();
    }

    [GeneratedRegex(@"\W+")]
    private static partial Regex NonWord();

    [GeneratedRegex("(.)([A-Z][a-z]+)")]
    private static partial Regex FirstCap();

    [GeneratedRegex("([a-z])([A-Z])")]
    private static partial Regex AllCap();
}
