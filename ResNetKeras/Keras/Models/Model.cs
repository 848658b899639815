using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>
/// A functional model (Keras's <c>keras.Model(inputs, outputs)</c>, class <c>Functional</c>): the graph of
/// layer calls between a symbolic input and output, with Keras's layer order, <see cref="Summary"/> and weight
/// access; <c>Compile</c>/<c>Fit</c>/<c>Evaluate</c>/<c>Predict</c> come from <see cref="Trainer"/>, as in Keras 3.
/// </summary>
public partial class Model
{
    private List<Node> executionOrder = [];
    private KerasTensor? input, output;
    private IReadOnlyList<Layer>? graphLayers;

    // How many layer calls read each graph tensor: Run hands a buffer back once its last reader has run.
    private readonly Dictionary<KerasTensor, int> consumers = new(ReferenceEqualityComparer.Instance);

    // A layer whose only reader is an Activation("relu") computes both in one pass (batch norm or add, then ReLU):
    // producer node -> the ReLU node it stands in for. The graph, the layers and the weights stay as Keras built them.
    private readonly Dictionary<Node, Node> reluFusions = new(ReferenceEqualityComparer.Instance);
    private Devices.IDevice? device;
    private readonly HashSet<Node> fusedAway = new(ReferenceEqualityComparer.Instance);

    /// <summary>Builds the model from one input and one output tensor.</summary>
    public Model(KerasTensor inputs, KerasTensor outputs, string? name = null) : this(name, "model")
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        InitializeGraph(inputs, outputs);
    }

    /// <summary>A model whose graph a subclass sets later with <see cref="InitializeGraph"/> (<see cref="Sequential"/>).</summary>
    private protected Model(string? name, string defaultName)
    {
        if (name is not null && name.Length == 0)
            throw new ArgumentException("Invalid value for argument `name`. Expected a non-empty string. Received name=''.", nameof(name));
        Name = name ?? Backend.UniqueName(defaultName);
    }

    /// <summary>Whether the graph exists (a <see cref="Sequential"/> without an input shape is built on its first batch).</summary>
    public bool Built => output is not null;

    /// <summary>Sets (or replaces) the graph between <paramref name="inputs"/> and <paramref name="outputs"/>.</summary>
    private protected void InitializeGraph(KerasTensor inputs, KerasTensor outputs)
    {
        if (inputs.Layer is not InputLayer)
            throw new ArgumentException("Invalid value for argument `inputs`. Expected a tensor returned by Layers.Input(...).", nameof(inputs));
        consumers.Clear();
        reluFusions.Clear();
        fusedAway.Clear();
        device = null;
        input = inputs;
        output = outputs;
        (graphLayers, executionOrder, NodeDepths) = MapGraph(outputs);
        if (!executionOrder.Any(n => ReferenceEquals(n.Output, inputs)))
            throw new ArgumentException($"Graph disconnected: the output {outputs} cannot be computed from the input {inputs}.", nameof(outputs));
        foreach (var n in executionOrder)
            foreach (var t in n.Inputs) consumers[t] = consumers.GetValueOrDefault(t) + 1;
        foreach (var n in executionOrder)
            if (n.Layer is Activation { ActivationName: "relu" } && n.Inputs.Length == 1 && n.Inputs[0].Node is { } producer
                && producer.Layer.FusesRelu && consumers.GetValueOrDefault(n.Inputs[0]) == 1 && !ReferenceEquals(n.Inputs[0], outputs))
            {
                reluFusions[producer] = n;
                fusedAway.Add(n);
            }
        foreach (var n in executionOrder)
            if (n.Layer is InputLayer && !ReferenceEquals(n.Output, inputs))
                throw new ArgumentException($"Graph disconnected: cannot obtain value for tensor {n.Output} at layer \"{n.Layer.Name}\". The model has only the input \"{inputs.Layer!.Name}\".", nameof(inputs));
    }

    /// <summary>The model name (<c>model</c>, <c>model_1</c>, ...).</summary>
    public string Name { get; }

    /// <summary>The symbolic input.</summary>
    public KerasTensor Input => input ?? throw NotBuilt();

    /// <summary>The symbolic output.</summary>
    public KerasTensor Output => output ?? throw NotBuilt();

    /// <summary>
    /// Layers in Keras's order (decreasing depth, ties by discovery): the summary and weight-file order. A
    /// <see cref="Sequential"/> lists the layers added to it, without the InputLayer, as Keras does.
    /// </summary>
    public virtual IReadOnlyList<Layer> Layers => graphLayers ?? throw NotBuilt();

    /// <summary>Every layer of the graph, InputLayer included (the functional config's layer list).</summary>
    internal IReadOnlyList<Layer> GraphLayers => graphLayers ?? throw NotBuilt();

    internal Dictionary<Node, int> NodeDepths { get; private set; } = new();

    /// <summary>Keras's error for using the graph of a Sequential model that has no input shape yet.</summary>
    private protected InvalidOperationException NotBuilt() => new(
        $"This model \"{Name}\" has not yet been built. Build the model first by calling it on a batch of data (Fit, Predict, Call) or by starting it with an InputLayer.");

    /// <summary>Builds a deferred graph from the first batch's shape; a no-op for a functional model.</summary>
    private protected virtual void EnsureBuilt(ReadOnlySpan<int> batchShape) { }

    /// <summary>The layer called <paramref name="name"/> (<c>model.get_layer</c>).</summary>
    public Layer GetLayer(string name) => Layers.FirstOrDefault(l => l.Name == name)
        ?? throw new ArgumentException($"No such layer: {name}. Existing layers are: {string.Join(", ", Layers.Select(l => l.Name))}.", nameof(name));

    /// <summary>All weights in layer order (<c>model.weights</c>).</summary>
    public IReadOnlyList<Variable> Weights => Layers.SelectMany(l => l.Weights).ToList();

    /// <summary>Trainable weights in layer order.</summary>
    public IReadOnlyList<Variable> TrainableWeights => Layers.SelectMany(l => l.TrainableWeights).ToList();

    /// <summary>Non-trainable weights in layer order.</summary>
    public IReadOnlyList<Variable> NonTrainableWeights => Layers.SelectMany(l => l.NonTrainableWeights).ToList();

    /// <summary>Total number of weight elements (<c>model.count_params()</c>).</summary>
    public int CountParams() => Layers.Sum(l => l.CountParams());

    /// <summary>Copies of all weights in layer order (<c>model.get_weights()</c>).</summary>
    public List<NDArray> GetWeights() => Weights.Select(w => w.Numpy()).ToList();

    /// <summary>Sets all weights in layer order (<c>model.set_weights</c>); shapes must match.</summary>
    public void SetWeights(IReadOnlyList<NDArray> values)
    {
        var ws = Weights;
        if (values.Count != ws.Count)
            throw new ArgumentException($"You called SetWeights with a list of length {values.Count}, but the model has {ws.Count} weights.", nameof(values));
        for (int i = 0; i < ws.Count; i++) ws[i].Assign(values[i]);
    }

    /// <summary>
    /// Keras's _map_graph_network: number layers in depth-first pre-order from the output, give each
    /// node its longest distance to the output, and sort layers by decreasing depth, ties by number.
    /// </summary>
    private static (List<Layer>, List<Node>, Dictionary<Node, int>) MapGraph(KerasTensor output)
    {
        var layerIndices = new Dictionary<Layer, int>(ReferenceEqualityComparer.Instance);
        var finished = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        var inProgress = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        var postOrder = new List<Node>();
        void Visit(KerasTensor t)
        {
            var node = t.Node ?? throw new ArgumentException($"Tensor {t} was not produced by a layer call.", nameof(output));
            if (finished.Contains(node)) return;
            if (!inProgress.Add(node)) throw new ArgumentException($"The tensor {t} at layer \"{node.Layer.Name}\" is part of a cycle.", nameof(output));
            if (!layerIndices.ContainsKey(node.Layer)) layerIndices[node.Layer] = layerIndices.Count;
            foreach (var input in node.Inputs) Visit(input);
            inProgress.Remove(node);
            finished.Add(node);
            postOrder.Add(node);
        }
        Visit(output);

        var nodeDepths = new Dictionary<Node, int>(ReferenceEqualityComparer.Instance);
        var layerDepths = new Dictionary<Layer, int>(ReferenceEqualityComparer.Instance);
        for (int i = postOrder.Count - 1; i >= 0; i--)
        {
            var node = postOrder[i];
            int depth = nodeDepths.GetValueOrDefault(node, 0);
            depth = Math.Max(depth, layerDepths.GetValueOrDefault(node.Layer, 0));
            layerDepths[node.Layer] = depth;
            nodeDepths[node] = depth;
            foreach (var input in node.Inputs)
            {
                var parent = input.Node!;
                nodeDepths[parent] = Math.Max(depth + 1, nodeDepths.GetValueOrDefault(parent, 0));
            }
        }
        var layers = layerDepths.Keys
            .OrderByDescending(l => layerDepths[l])
            .ThenBy(l => layerIndices[l])
            .ToList();
        // Execution: deepest nodes first; a node's inputs are always strictly deeper.
        var order = postOrder.OrderByDescending(n => nodeDepths[n]).ThenBy(n => postOrder.IndexOf(n)).ToList();
        return (layers, order, nodeDepths);
    }

    /// <summary>
    /// Runs the graph on a batch; when <paramref name="wantLogits"/> and the output layer ends in a softmax, also
    /// returns its logits. Inside a <see cref="TensorScope"/>, a layer output goes back to the pool once every layer
    /// that reads it has run, unless a recorded backward function still needs it: the forward pass then holds only
    /// what backpropagation reads (about half of the activations of a ResNet) plus the current layer's operands.
    /// </summary>
    internal (Tensor Output, Tensor? Logits) Run(Tensor x, bool training, bool wantLogits)
    {
        var values = new Dictionary<KerasTensor, Tensor>(ReferenceEqualityComparer.Instance) { [Input] = x };
        var liveness = new BufferLiveness();
        liveness.Pin(x);
        Tensor? logits = null;
        foreach (var node in executionOrder)
        {
            if (node.Layer is InputLayer || (FusesActivations && fusedAway.Contains(node))) continue;
            var inputs = node.Inputs.Select(t => values[t]).ToArray();
            Tensor y;
            var produced = node.Output;
            if (wantLogits && ReferenceEquals(node.Output, Output) && node.Layer.OutputsSoftmax)
            {
                logits = node.Layer.ForwardLogits(inputs, training);
                y = Ops.Op.Softmax(logits);
            }
            else if (FusesActivations && reluFusions.TryGetValue(node, out var reluNode))
            {
                y = node.Layer.ForwardRelu(inputs, training);
                produced = reluNode.Output;
            }
            else y = node.Layer.Forward(inputs, training);
            values[produced] = y;
            // The model output is never handed back: the caller reads it.
            if (ReferenceEquals(produced, Output)) liveness.Pin(y);
            else liveness.Produced(y, consumers.GetValueOrDefault(produced));
            foreach (var t in inputs) liveness.Consumed(t);
        }
        return (values[Output], logits);
    }

    /// <summary>How many Activation("relu") layers run fused into the layer before them.</summary>
    internal int FusedReluCount => reluFusions.Count;

    /// <summary>Whether <see cref="Run"/> fuses each BatchNormalization or Add with the ReLU that alone reads it (bit-identical; off only to test that).</summary>
    internal bool FusesActivations { get; set; } = true;


    /// <summary>The device holding the model's weights (the current device when it has none): batches go there.</summary>
    internal Devices.IDevice Device => device ??= Layers.SelectMany(l => l.Weights).FirstOrDefault()?.Value.Device ?? Devices.DeviceRegistry.Current;

    /// <summary>Calls the model on a concrete batch (<c>model(x, training=...)</c>).</summary>
    public Tensor Call(Tensor x, bool training = false)
    {
        CheckInput(x.ShapeSpan, "x");
        return Run(x, training, wantLogits: false).Output;
    }

    private void CheckInput(ReadOnlySpan<int> shape, string param)
    {
        EnsureBuilt(shape);
        var expected = Input.Shape;
        bool ok = shape.Length == expected.Length;
        for (int i = 1; ok && i < expected.Length; i++) ok = expected[i] < 0 || expected[i] == shape[i];
        if (!ok)
            throw new ArgumentException(
                $"Input 0 of layer \"{Name}\" is incompatible with the layer: expected shape={KerasTensor.FormatShape(expected)}, found shape={ShapeUtil.Format(shape)} (argument `{param}`).", param);
    }
}
