using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary>
/// Base of the stateful metrics (Keras's <c>keras.metrics.Metric</c>): state in float32 variables created with
/// <see cref="AddVariable"/>, accumulated by <see cref="UpdateState(Tensor, Tensor, Tensor?)"/> with ops, read by
/// <see cref="Result"/>, zeroed by <see cref="ResetState"/>. Subclass it (override <c>UpdateState</c> and
/// <c>Result</c>) to write a metric; pass it to <c>Compile(metrics: [...])</c>.
/// </summary>
public abstract class Metric
{
    private readonly List<Variable> variables = [];

    /// <summary>Sets the name (default: the class name in snake_case, made unique as Keras's <c>auto_name</c>).</summary>
    protected Metric(string? name = null)
    {
        if (name is not null && name.Length == 0)
            throw new ArgumentException("Invalid value for argument `name`. Expected a non-empty string. Received name=''.", nameof(name));
        Name = name ?? Backend.UniqueName(Backend.ToSnakeCase(GetType().Name));
    }

    /// <summary>The metric name, the key it is logged under (<c>metric.name</c>).</summary>
    public string Name { get; internal set; }

    /// <summary>The dtype of the state and result: float32 (Keras's floatx).</summary>
    public string Dtype => "float32";

    /// <summary>The state variables, in creation order (<c>metric.variables</c>).</summary>
    public IReadOnlyList<Variable> Variables => variables;

    /// <summary>Keras's <c>add_variable(shape, initializer="zeros", name)</c>: a non-trainable float32 state variable.</summary>
    protected Variable AddVariable(string name, params int[] shape)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var v = new Variable($"{Name}/{name}", Tensor.Zeros(shape), trainable: false);
        variables.Add(v);
        return v;
    }

    /// <summary>
    /// Keras's <c>update_state(y_true, y_pred, sample_weight=None)</c>: accumulates one batch. Compile calls it with the
    /// batch's targets and the model's outputs. The base class has no such update (like Keras's, it raises).
    /// </summary>
    public virtual void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null) =>
        throw new NotSupportedException($"Metric '{Name}' ({GetType().Name}) does not update from (y_true, y_pred): override UpdateState(yTrue, yPred, sampleWeight) to use it in Compile.");

    /// <summary>Keras's <c>result()</c>: the current value, a 0-d tensor (read it with <see cref="Tensor.Item"/>).</summary>
    public abstract Tensor Result();

    /// <summary>Keras's <c>reset_state()</c>: every state variable back to zero.</summary>
    public virtual void ResetState()
    {
        foreach (var v in variables) Op.Assign(v.Value, Tensor.Zeros(v.Value.Device, v.Shape));
    }

    /// <summary>Keras's <c>get_config()</c>: name and dtype, plus the subclass's arguments.</summary>
    public virtual Dictionary<string, object?> GetConfig() => new() { ["name"] = Name, ["dtype"] = Dtype };

    /// <summary>Keras's <c>squeeze_or_expand_to_same_rank</c>: when the ranks differ by one and the longer ends in 1, align them.</summary>
    protected static (Tensor A, Tensor B) SqueezeOrExpandToSameRank(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Rank == b.Rank + 1 && a.Dim(-1) == 1)
            return b.Rank == 1 ? (a, Op.Reshape(b, a.Shape)) : (Op.Reshape(a, b.Shape), b);
        if (b.Rank == a.Rank + 1 && b.Dim(-1) == 1)
            return a.Rank == 1 ? (Op.Reshape(a, b.Shape), b) : (a, Op.Reshape(b, a.Shape));
        return (a, b);
    }

    /// <inheritdoc/>
    public override string ToString() => $"<{GetType().Name} name={Name}>";
}
