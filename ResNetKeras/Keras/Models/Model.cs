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
    private KerasTensor[]? inputs, outputs;
    private IReadOnlyList<Layer>? graphLayers;

    // How many layer calls read each graph tensor: Run hands a buffer back once its last reader has run.
    private readonly Dictionary<KerasTensor, int> consumers = new(ReferenceEqualityComparer.Instance);

    // A layer whose only reader is an Activation("relu") computes both in one pass (batch norm or add, then ReLU):
    // producer node -> the ReLU node it stands in for. The graph, the layers and the weights stay as Keras built them.
    private readonly Dictionary<Node, Node> reluFusions = new(ReferenceEqualityComparer.Instance);
    private Devices.IDevice? device;
    private readonly HashSet<Node> fusedAway = new(ReferenceEqualityComparer.Instance);

    /// <summary>Builds the model from one input and one output tensor (<c>keras.Model(inputs, outputs)</c>).</summary>
    public Model(KerasTensor inputs, KerasTensor outputs, string? name = null) : this(name, "model")
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        InitializeGraph([inputs], [outputs]);
    }

    /// <summary>
    /// A model with several inputs and/or outputs (<c>keras.Model(inputs=[a, b], outputs=[cls, reg])</c>): arrays are
    /// passed to <c>Fit</c>/<c>Predict</c> in the order of <paramref name="inputs"/>, targets and losses in the order
    /// of <paramref name="outputs"/>, whose layer names are the output names (<c>cls_loss</c>, ...).
    /// </summary>
    public Model(IReadOnlyList<KerasTensor> inputs, IReadOnlyList<KerasTensor> outputs, string? name = null) : this(name, "model")
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        InitializeGraph(inputs.ToArray(), outputs.ToArray());
    }

    /// <summary>A model with several inputs and one output (<c>keras.Model(inputs=[a, b], outputs=y)</c>).</summary>
    public Model(IReadOnlyList<KerasTensor> inputs, KerasTensor outputs, string? name = null) : this(name, "model")
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        InitializeGraph(inputs.ToArray(), [outputs]);
    }

    /// <summary>A model with one input and several outputs (<c>keras.Model(inputs=x, outputs=[y1, y2])</c>).</summary>
    public Model(KerasTensor inputs, IReadOnlyList<KerasTensor> outputs, string? name = null) : this(name, "model")
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        InitializeGraph([inputs], outputs.ToArray());
    }

    /// <summary>A model whose graph a subclass sets later with <see cref="InitializeGraph"/> (<see cref="Sequential"/>).</summary>
    private protected Model(string? name, string defaultName) : base(CheckedName(name) ?? Backend.UniqueName(defaultName))
    {
    }

    private static string? CheckedName(string? name) =>
        name is not null && name.Length == 0
            ? throw new ArgumentException("Invalid value for argument `name`. Expected a non-empty string. Received name=''.", nameof(name))
            : name;

    /// <summary>Whether the graph exists (a <see cref="Sequential"/> without an input shape is built on its first batch).</summary>
    public override bool Built => outputs is not null;

    /// <summary>Sets (or replaces) the graph between <paramref name="inputs"/> and <paramref name="outputs"/>.</summary>
    private protected void InitializeGraph(KerasTensor[] inputs, KerasTensor[] outputs)
    {
        if (inputs.Length == 0) throw new ArgumentException("Invalid value for argument `inputs`. Expected at least one tensor returned by Layers.Input(...).", nameof(inputs));
        if (outputs.Length == 0) throw new ArgumentException("Invalid value for argument `outputs`. Expected at least one tensor.", nameof(outputs));
        for (int i = 0; i < inputs.Length; i++)
        {
            if (inputs[i] is null) throw new ArgumentNullException(nameof(inputs), $"inputs[{i}] is null.");
            if (inputs[i].Layer is not InputLayer)
                throw new ArgumentException($"Invalid value for argument `inputs`. Expected tensors returned by Layers.Input(...); inputs[{i}] is {inputs[i]}.", nameof(inputs));
            for (int j = 0; j < i; j++)
                if (ReferenceEquals(inputs[j], inputs[i]))
                    throw new ArgumentException($"The list of inputs passed to the model contains the same input multiple times: \"{inputs[i].Layer!.Name}\" (inputs[{j}] and inputs[{i}]).", nameof(inputs));
        }
        for (int i = 0; i < outputs.Length; i++)
            if (outputs[i] is null) throw new ArgumentNullException(nameof(outputs), $"outputs[{i}] is null.");
        consumers.Clear();
        reluFusions.Clear();
        fusedAway.Clear();
        device = null;
        this.inputs = inputs;
        this.outputs = outputs;
        (graphLayers, executionOrder, NodeDepths) = MapGraph(outputs);
        foreach (var x in inputs)
            if (!executionOrder.Any(n => ReferenceEquals(n.Output, x)))
                throw new ArgumentException($"Graph disconnected: the input {x} is not used to compute the outputs {string.Join(", ", outputs.Select(o => o.ToString()))}.", nameof(outputs));
        foreach (var n in executionOrder)
            foreach (var t in n.Inputs) consumers[t] = consumers.GetValueOrDefault(t) + 1;
        foreach (var n in executionOrder)
            if (n.Layer is Activation { ActivationName: "relu" } && n.Inputs.Length == 1 && n.Inputs[0].Node is { } producer
                && producer.Layer.FusesRelu && consumers.GetValueOrDefault(n.Inputs[0]) == 1 && !IsOutput(n.Inputs[0]))
            {
                reluFusions[producer] = n;
                fusedAway.Add(n);
            }
        foreach (var n in executionOrder)
            if (n.Layer is InputLayer && !inputs.Any(x => ReferenceEquals(n.Output, x)))
                throw new ArgumentException($"Graph disconnected: cannot obtain value for tensor {n.Output} at layer \"{n.Layer.Name}\". The model's inputs are: {string.Join(", ", inputs.Select(x => $"\"{x.Layer!.Name}\""))}.", nameof(inputs));
    }

    private bool IsOutput(KerasTensor t)
    {
        foreach (var o in outputs!) if (ReferenceEquals(o, t)) return true;
        return false;
    }

    /// <summary>The symbolic input (<c>model.input</c>) of a model with one input; see <see cref="Inputs"/>.</summary>
    public KerasTensor Input => Inputs.Count == 1 ? Inputs[0]
        : throw new InvalidOperationException($"The model \"{Name}\" has {Inputs.Count} inputs; use Inputs (Keras's model.inputs).");

    /// <summary>The symbolic output (<c>model.output</c>) of a model with one output; see <see cref="Outputs"/>.</summary>
    public override KerasTensor Output => Outputs.Count == 1 ? Outputs[0]
        : throw new InvalidOperationException($"The model \"{Name}\" has {Outputs.Count} outputs; use Outputs (Keras's model.outputs).");

    /// <summary>The symbolic inputs in the order the model takes arrays (<c>model.inputs</c>).</summary>
    public IReadOnlyList<KerasTensor> Inputs => inputs ?? throw NotBuilt();

    /// <summary>The symbolic outputs in the order the model returns them (<c>model.outputs</c>).</summary>
    public IReadOnlyList<KerasTensor> Outputs => outputs ?? throw NotBuilt();

    /// <summary>The names of the inputs' layers (<c>model.input_names</c>).</summary>
    public IReadOnlyList<string> InputNames => Inputs.Select(t => t.Layer!.Name).ToList();

    /// <summary>The names of the layers producing the outputs (<c>model.output_names</c>): the prefixes of per-output logs.</summary>
    public IReadOnlyList<string> OutputNames => Outputs.Select(t => t.Layer!.Name).ToList();

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
    public override IReadOnlyList<Variable> Weights => Layers.SelectMany(l => l.Weights).ToList();

    /// <summary>
    /// Whether the model trains (<c>model.trainable</c>); setting it sets every layer's flag too, as Keras 3 does, so a
    /// frozen nested model's BatchNormalization layers also run in inference mode.
    /// </summary>
    public override bool Trainable
    {
        get => base.Trainable;
        set
        {
            base.Trainable = value;
            if (Built) foreach (var layer in Layers) layer.Trainable = value;
        }
    }

    /// <summary>Trainable weights in layer order (none when the model itself is frozen, <c>model.trainable = False</c>).</summary>
    public override IReadOnlyList<Variable> TrainableWeights => Trainable ? Layers.SelectMany(l => l.TrainableWeights).ToList() : [];

    /// <summary>Non-trainable weights in layer order (all of them when the model itself is frozen).</summary>
    public override IReadOnlyList<Variable> NonTrainableWeights =>
        Trainable ? Layers.SelectMany(l => l.NonTrainableWeights).ToList() : Layers.SelectMany(l => l.Weights).ToList();

    /// <summary>Total number of weight elements (<c>model.count_params()</c>).</summary>
    public override int CountParams() => Layers.Sum(l => l.CountParams());

    /// <summary>The regularization penalties of every layer, nested models included (<c>model.losses</c>).</summary>
    public override IReadOnlyList<Tensor> Losses() => Layers.Where(l => l.HasRegularizers).SelectMany(l => l.Losses()).ToList();

    internal override bool HasRegularizers => Layers.Any(l => l.HasRegularizers);

    /// <summary>
    /// Keras's _map_graph_network: number layers in depth-first pre-order from the outputs (in order), give each
    /// node its longest distance to an output, and sort layers by decreasing depth, ties by number.
    /// </summary>
    private static (List<Layer>, List<Node>, Dictionary<Node, int>) MapGraph(KerasTensor[] outputs)
    {
        var layerIndices = new Dictionary<Layer, int>(ReferenceEqualityComparer.Instance);
        var finished = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        var inProgress = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        var postOrder = new List<Node>();
        void Visit(KerasTensor t)
        {
            var node = t.Node ?? throw new ArgumentException($"Tensor {t} was not produced by a layer call.", nameof(outputs));
            if (finished.Contains(node)) return;
            if (!inProgress.Add(node)) throw new ArgumentException($"The tensor {t} at layer \"{node.Layer.Name}\" is part of a cycle.", nameof(outputs));
            if (!layerIndices.ContainsKey(node.Layer)) layerIndices[node.Layer] = layerIndices.Count;
            foreach (var input in node.Inputs) Visit(input);
            inProgress.Remove(node);
            finished.Add(node);
            postOrder.Add(node);
        }
        foreach (var output in outputs) Visit(output);

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
    /// Runs the graph on a batch (one tensor per input); when <paramref name="wantLogits"/>, also the logits of each
    /// output whose layer ends in a softmax. Inside a <see cref="TensorScope"/>, a layer output goes back to the pool
    /// once every layer that reads it has run, unless a recorded backward function still needs it: the forward pass
    /// then holds only what backpropagation reads (about half of the activations of a ResNet) plus the current layer's
    /// operands.
    /// </summary>
    internal (Tensor[] Outputs, Tensor?[] Logits) Run(IReadOnlyList<Tensor> xs, bool training, bool wantLogits)
    {
        var ins = inputs ?? throw NotBuilt();
        var outs = outputs!;
        var values = new Dictionary<KerasTensor, Tensor>(ReferenceEqualityComparer.Instance);
        var liveness = new BufferLiveness();
        for (int i = 0; i < ins.Length; i++)
        {
            values[ins[i]] = xs[i];
            liveness.Pin(xs[i]);
        }
        var logits = new Tensor?[outs.Length];
        foreach (var node in executionOrder)
        {
            if (node.Layer is InputLayer || (FusesActivations && fusedAway.Contains(node))) continue;
            var inputs = node.Inputs.Select(t => values[t]).ToArray();
            Tensor y;
            var produced = node.Output;
            int outputIndex = wantLogits && node.Layer.OutputsSoftmax ? Array.FindIndex(outs, o => ReferenceEquals(o, produced)) : -1;
            if (outputIndex >= 0)
            {
                var z = node.Layer.ForwardLogits(inputs, training);
                y = Ops.Op.Softmax(z);
                for (int k = 0; k < outs.Length; k++)
                    if (ReferenceEquals(outs[k], produced)) logits[k] = z;
            }
            else if (FusesActivations && reluFusions.TryGetValue(node, out var reluNode))
            {
                y = node.Layer.ForwardRelu(inputs, training);
                produced = reluNode.Output;
            }
            else y = node.Layer.Forward(inputs, training);
            values[produced] = y;
            // The model outputs are never handed back: the caller reads them.
            if (IsOutput(produced)) liveness.Pin(y);
            else liveness.Produced(y, consumers.GetValueOrDefault(produced));
            foreach (var t in inputs) liveness.Consumed(t);
        }
        var result = new Tensor[outs.Length];
        for (int k = 0; k < outs.Length; k++) result[k] = values[outs[k]];
        return (result, logits);
    }

    /// <summary>How many Activation("relu") layers run fused into the layer before them.</summary>
    internal int FusedReluCount => reluFusions.Count;

    /// <summary>Whether <see cref="Run"/> fuses each BatchNormalization or Add with the ReLU that alone reads it (bit-identical; off only to test that).</summary>
    internal bool FusesActivations { get; set; } = true;


    /// <summary>The device holding the model's weights (the current device when it has none): batches go there.</summary>
    internal Devices.IDevice Device => device ??= Layers.SelectMany(l => l.Weights).FirstOrDefault()?.Value.Device ?? Devices.DeviceRegistry.Current;

    /// <summary>Calls a one-input, one-output model on a concrete batch (<c>model(x, training=...)</c>).</summary>
    public Tensor Call(Tensor x, bool training = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (Built && Outputs.Count != 1)
            throw new InvalidOperationException($"The model \"{Name}\" has {Outputs.Count} outputs; call it with Call(IReadOnlyList<Tensor>) to get one tensor per output.");
        return Call([x], training)[0];
    }

    /// <summary>Calls the model on one concrete batch per input; returns one tensor per output (<c>model([a, b])</c>).</summary>
    public Tensor[] Call(IReadOnlyList<Tensor> xs, bool training = false)
    {
        ArgumentNullException.ThrowIfNull(xs);
        CheckInputs(xs.Select(x => x.Shape).ToArray(), "x");
        return Run(xs, training, wantLogits: false).Outputs;
    }

    // ------------------------------------------------------------------ the model as a layer of another model

    /// <summary>Called as a layer on symbolic tensors, a Sequential model without an input shape builds its graph from them.</summary>
    protected override void Build(int[][] inputShapes)
    {
        if (!Built && inputShapes.Length == 1) EnsureBuilt(inputShapes[0]);
    }

    /// <summary>A nested model's output shape: its output with the caller's batch axis (Keras calls the model like a layer).</summary>
    protected override int[] ComputeOutputShape(int[][] inputShapes)
    {
        CheckInputs(inputShapes, "inputs");
        if (Outputs.Count != 1)
            throw new ArgumentException($"The model \"{Name}\" has {Outputs.Count} outputs; only a model with one output can be called as a layer here.", "inputs");
        var shape = Outputs[0].Shape;
        shape[0] = inputShapes[0][0];
        return shape;
    }

    /// <summary>A nested model runs its graph on the outer model's tensors; its weights train with the outer model's.</summary>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training) => Run(inputs, training, wantLogits: false).Outputs[0];

    /// <summary>Builds a deferred graph and checks one batch shape per input against the model's inputs.</summary>
    private protected void CheckInputs(int[][] shapes, string param)
    {
        if (shapes.Length == 1) EnsureBuilt(shapes[0]);
        else if (!Built) throw NotBuilt();
        var ins = Inputs;
        if (shapes.Length != ins.Count)
            throw new ArgumentException($"Layer \"{Name}\" expects {ins.Count} input(s), but it received {shapes.Length} input arrays (argument `{param}`).", param);
        for (int k = 0; k < shapes.Length; k++)
        {
            var shape = shapes[k];
            var expected = ins[k].Shape;
            bool ok = shape.Length == expected.Length;
            for (int i = 1; ok && i < expected.Length; i++) ok = expected[i] < 0 || expected[i] == shape[i];
            if (!ok)
                throw new ArgumentException(
                    $"Input {k} of layer \"{Name}\" is incompatible with the layer: expected shape={KerasTensor.FormatShape(expected)}, found shape={ShapeUtil.Format(shape)} (argument `{param}`{(shapes.Length > 1 ? $"[{k}]" : "")}).", param);
        }
    }
}
