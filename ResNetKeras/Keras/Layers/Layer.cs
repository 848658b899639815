using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>
/// Base of every layer (Keras's <c>keras.layers.Layer</c>): a name fixed at construction, weights
/// created on first call from the input shape, a symbolic <see cref="Call(KerasTensor)"/> that builds
/// the functional graph, and a concrete <see cref="Forward"/> that runs ops.
/// </summary>
public abstract class Layer
{
    private readonly List<Variable> weights = new();
    private readonly List<(Variable Weight, Regularizer Regularizer)> regularized = new();

    /// <summary>Names the layer like Keras: the given name, else snake_case of the class name with a session counter.</summary>
    protected Layer(string? name = null, bool trainable = true)
    {
        if (name is not null && name.Length == 0)
            throw new ArgumentException("Invalid value for argument `name`. Expected a non-empty string. Received name=''.", nameof(name));
        Name = name ?? Backend.UniqueName(Backend.ToSnakeCase(GetType().Name));
        Trainable = trainable;
    }

    /// <summary>The layer's name (<c>conv2d</c>, <c>conv2d_1</c>, ...).</summary>
    public string Name { get; }

    /// <summary>Keras's class name as written in summaries and model configs.</summary>
    public virtual string ClassName => GetType().Name;

    /// <summary>Whether the layer's weights are updated by training (<c>layer.trainable</c>).</summary>
    public virtual bool Trainable { get; set; }

    private bool built;

    /// <summary>Whether the weights have been created.</summary>
    public virtual bool Built => built;

    internal List<Node> InboundNodes { get; } = new();

    /// <summary>All weights, trainable first then non-trainable (<c>layer.weights</c>; the save order).</summary>
    public virtual IReadOnlyList<Variable> Weights => TrainableWeights.Concat(NonTrainableWeights).ToList();

    /// <summary>
    /// tf.keras's <c>_legacy_weights</c>, the order of a layer's weights in HDF5 files: trainable then non-trainable (for a
    /// nested model, all of its layers' trainable weights first).
    /// </summary>
    internal IReadOnlyList<Variable> LegacyWeights => [.. TrainableWeights, .. NonTrainableWeights];

    /// <summary>Weights updated by the optimizer.</summary>
    public virtual IReadOnlyList<Variable> TrainableWeights => Trainable ? weights.Where(w => w.Trainable).ToList() : [];

    /// <summary>Weights not updated by the optimizer (BatchNormalization's moving statistics; all of a frozen layer).</summary>
    public virtual IReadOnlyList<Variable> NonTrainableWeights => Trainable ? weights.Where(w => !w.Trainable).ToList() : weights.ToList();

    /// <summary>Regularization penalties on the current weights (<c>layer.losses</c>).</summary>
    public virtual IReadOnlyList<Tensor> Losses() => regularized.Select(r => r.Regularizer.Call(r.Weight.Value)).ToList();

    internal virtual bool HasRegularizers => regularized.Count > 0;

    /// <summary>Number of weight elements (<c>layer.count_params()</c>).</summary>
    public virtual int CountParams() => weights.Sum(w => w.Value.Size);

    /// <summary>The output of the layer's first call (<c>layer.output</c>).</summary>
    public virtual KerasTensor Output => InboundNodes.Count > 0 ? InboundNodes[0].Output
        : throw new InvalidOperationException($"Layer {Name} has never been called and thus has no defined output.");

    /// <summary>Copies of the weights' values in <see cref="Weights"/> order (<c>layer.get_weights()</c>; for a model, every layer's in layer order).</summary>
    public List<NDArray> GetWeights() => Weights.Select(w => w.Numpy()).ToList();

    /// <summary>Sets the weights' values in <see cref="Weights"/> order (<c>layer.set_weights</c>); count and shapes must match.</summary>
    public void SetWeights(IReadOnlyList<NDArray> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var ws = Weights;
        if (values.Count != ws.Count)
            throw new ArgumentException($"You called SetWeights with a list of length {values.Count}, but the {(this is Model ? "model" : "layer")} \"{Name}\" has {ws.Count} weights.", nameof(values));
        for (int i = 0; i < ws.Count; i++) ws[i].Assign(values[i]);
    }

    /// <summary>Creates a weight named <c>{layer}/{name}:0</c> (<c>layer.add_weight</c>).</summary>
    protected Variable AddWeight(string name, int[] shape, Initializer initializer, bool trainable = true, Regularizer? regularizer = null)
    {
        var rng = new RandomState(Backend.NextSeed());
        var v = new Variable($"{Name}/{name}:0", initializer.Call(shape, rng), trainable);
        weights.Add(v);
        if (regularizer is not null) regularized.Add((v, regularizer));
        return v;
    }

    /// <summary>Calls the layer on one symbolic tensor (Python's <c>layer(x)</c>).</summary>
    public KerasTensor Call(KerasTensor input) => Call([input]);

    /// <summary>Calls the layer on several symbolic tensors (merge layers).</summary>
    public KerasTensor Call(params KerasTensor[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        for (int i = 0; i < inputs.Length; i++)
            if (inputs[i] is null) throw new ArgumentNullException(nameof(inputs), $"Layer {Name}: input {i} is null.");
        var shapes = inputs.Select(t => t.Shape).ToArray();
        if (!Built)
        {
            Build(shapes);
            built = true;
        }
        var outShape = ComputeOutputShape(shapes);
        var node = new Node(this, inputs, InboundNodes.Count);
        var output = new KerasTensor(outShape, node);
        node.Output = output;
        InboundNodes.Add(node);
        return output;
    }

    /// <summary>Creates the weights for the given input shapes (batch axis -1).</summary>
    protected virtual void Build(int[][] inputShapes) { }

    /// <summary>Output shape for the given input shapes; throws naming the layer and the shapes when they do not fit.</summary>
    protected abstract int[] ComputeOutputShape(int[][] inputShapes);

    /// <summary>Runs the layer on concrete tensors (Keras's <c>call(inputs, training)</c>).</summary>
    public abstract Tensor Forward(IReadOnlyList<Tensor> inputs, bool training);

    /// <summary>Whether the layer ends in a softmax whose logits <see cref="ForwardLogits"/> can return (tf.keras computes the loss from them).</summary>
    internal virtual bool OutputsSoftmax => false;

    /// <summary>The pre-softmax output of a layer whose <see cref="OutputsSoftmax"/> is true.</summary>
    internal virtual Tensor ForwardLogits(IReadOnlyList<Tensor> inputs, bool training) =>
        throw new InvalidOperationException($"Layer {Name} does not end in a softmax.");

    /// <summary>Whether <see cref="ForwardRelu"/> can compute relu(<see cref="Forward"/>) in one pass (Model fuses a following ReLU).</summary>
    internal virtual bool FusesRelu => false;

    /// <summary>max(<see cref="Forward"/>, 0), bit for bit, without materializing the output before the ReLU.</summary>
    internal virtual Tensor ForwardRelu(IReadOnlyList<Tensor> inputs, bool training) =>
        throw new InvalidOperationException($"Layer {Name} cannot fuse a ReLU.");

    /// <summary>Constructor arguments by their Keras names (<c>layer.get_config()</c>), for model configs.</summary>
    public virtual Dictionary<string, object?> GetConfig() => new()
    {
        ["name"] = Name,
        ["trainable"] = Trainable,
        ["dtype"] = "float32",
    };

    /// <summary>Throws the Keras-style shape error naming this layer.</summary>
    protected ArgumentException ShapeError(string expected, int[] received) =>
        new($"Input 0 of layer \"{Name}\" is incompatible with the layer: expected {expected}, found shape={KerasTensor.FormatShape(received)}", "inputs");

    /// <summary>Checks the number of inputs.</summary>
    protected void ExpectInputs(int[][] shapes, int count)
    {
        if (shapes.Length != count)
            throw new ArgumentException($"Layer \"{Name}\" expects {count} input(s), but it received {shapes.Length} input tensors.", "inputs");
    }

    /// <inheritdoc/>
    public override string ToString() => $"{ClassName}(name={Name})";
}
