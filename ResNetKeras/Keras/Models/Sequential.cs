namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.Sequential(layers, name)</c>: a plain stack of layers, each called on the previous one's output. Starting
/// with an <see cref="InputLayer"/> builds the graph at once (Keras's "functional-style" Sequential); otherwise the graph
/// is built from the first batch's shape in <c>Fit</c>/<c>Predict</c>/<c>Call</c>, as Keras defers it. Everything else
/// is <see cref="Model"/>'s: <c>Compile</c>, <c>Fit</c>, <c>Summary</c>, <c>Save</c>.
/// </summary>
/// <example><code>
/// var model = new Sequential([
///     new InputLayer(shape: [28, 28, 1]),
///     new Conv2D(32, kernelSize: 3, activation: "relu"),
///     new Flatten(),
///     new Dense(10, activation: "softmax"),
/// ]);
/// </code></example>
public class Sequential : Model
{
    private readonly List<Layer> stack = new();

    /// <summary>A Sequential model of <paramref name="layers"/> (none: add them with <see cref="Add"/>).</summary>
    public Sequential(IEnumerable<Layer>? layers = null, string? name = null) : base(name, "sequential")
    {
        foreach (var layer in layers ?? []) Add(layer);
    }

    /// <inheritdoc/>
    public override string ClassName => "Sequential";

    /// <summary>The layers added, without the InputLayer (Keras's <c>model.layers</c> for a Sequential model).</summary>
    public override IReadOnlyList<Layer> Layers => stack.Where(l => l is not InputLayer).ToList();

    /// <summary>
    /// <c>model.add(layer)</c>: appends a layer; with a known input shape the graph grows at once. An InputLayer may only
    /// come first, and a layer may appear once (Keras's errors).
    /// </summary>
    public void Add(Layer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (layer is InputLayer && stack.Count > 0)
            throw new ArgumentException($"Invalid value for argument `layer`: an InputLayer can only be the first layer of a Sequential model; \"{Name}\" already has {stack.Count} layer(s).", nameof(layer));
        if (stack.Contains(layer))
            throw new ArgumentException($"Invalid value for argument `layer`: layer \"{layer.Name}\" is already in the Sequential model \"{Name}\".", nameof(layer));
        if (stack.Any(l => l.Name == layer.Name))
            throw new ArgumentException($"All layers added to a Sequential model should have unique names. Name \"{layer.Name}\" is already the name of a layer in this model. Update the `name` argument to pass a unique name.", nameof(layer));
        stack.Add(layer);
        if (layer is InputLayer) return;
        // Only the new layer is called: calling the others again would give each of them another inbound node.
        if (Built) InitializeGraph([Input], [layer.Call(Output)]);
        else if (stack[0] is InputLayer first) Rebuild(first.Output);
    }

    /// <summary><c>model.pop()</c>: removes the last layer (not the InputLayer).</summary>
    public Layer Pop()
    {
        if (stack.Count == 0 || stack[^1] is InputLayer)
            throw new InvalidOperationException($"There are no layers in the Sequential model \"{Name}\" to remove.");
        var last = stack[^1];
        stack.RemoveAt(stack.Count - 1);
        if (stack.Count > 0 && stack[0] is InputLayer first && stack.Count > 1) Rebuild(first.Output);
        return last;
    }

    /// <summary>Builds the graph for batches of <paramref name="batchShape"/> when no InputLayer gave the input shape.</summary>
    private protected override void EnsureBuilt(ReadOnlySpan<int> batchShape)
    {
        if (Built) return;
        if (stack.Count == 0)
            throw new InvalidOperationException($"The Sequential model \"{Name}\" has no layers: add layers before calling it on data.");
        if (batchShape.Length < 1)
            throw new ArgumentException($"Input 0 of layer \"{Name}\": expected a batch of samples (rank >= 1); received a scalar.", "x");
        Rebuild(Keras.Layers.Input(batchShape[1..].ToArray()));
    }

    /// <summary>Calls every layer after the input in order; a model with only its input has no graph yet.</summary>
    private void Rebuild(KerasTensor input)
    {
        var x = input;
        foreach (var layer in stack)
            if (layer is not InputLayer) x = layer.Call(x);
        if (!ReferenceEquals(x, input)) InitializeGraph([input], [x]);
    }

    /// <summary>
    /// tf.keras 2's Sequential config: the name and every layer's class and config, the InputLayer first (what
    /// <c>keras.models.model_from_json</c> and <see cref="Models.ModelFromJson(string)"/> rebuild).
    /// </summary>
    public override Dictionary<string, object?> GetConfig() => new()
    {
        ["name"] = Name,
        ["layers"] = (Built ? GraphLayers : stack).Select(l => (object?)new Dictionary<string, object?> { ["class_name"] = l.ClassName, ["config"] = l.GetConfig() }).ToList(),
    };
}
