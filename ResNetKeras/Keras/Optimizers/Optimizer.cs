using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>
/// Base of the optimizers (Keras's OptimizerV2): a float32 learning rate readable and settable by
/// callbacks, the <c>iterations</c> counter and named slot variables (<c>Adam/conv2d/kernel/m:0</c>)
/// created for all trainable variables on the first update, in Keras's order.
/// </summary>
public abstract class Optimizer
{
    private float learningRate;
    private readonly Dictionary<Variable, Variable[]> slots = new(ReferenceEqualityComparer.Instance);
    private readonly List<Variable> slotOrder = new();

    /// <summary>Sets the name and learning rate.</summary>
    protected Optimizer(string name, double learningRate)
    {
        Name = name;
        LearningRate = learningRate;
    }

    /// <summary>Optimizer name (<c>Adam</c>, <c>SGD</c>); prefixes slot names.</summary>
    public string Name { get; }

    /// <summary>The learning rate, stored as float32 as Keras's variable is (1e-3 reads back as 0.0010000000474974513).</summary>
    public double LearningRate
    {
        get => learningRate;
        set
        {
            if (!(value >= 0) || double.IsInfinity(value))
                throw new ArgumentException($"Invalid value for argument `learning_rate`. Expected a non-negative finite float. Received learning_rate={value}.", nameof(value));
            learningRate = (float)value;
        }
    }

    /// <summary>Alias of <see cref="LearningRate"/> (<c>optimizer.lr</c>).</summary>
    public double Lr { get => LearningRate; set => LearningRate = value; }

    /// <summary>Number of updates applied (<c>optimizer.iterations</c>, int64).</summary>
    public long Iterations { get; set; }

    /// <summary>Names of the slots per variable, in creation order (Adam: m, v).</summary>
    protected abstract string[] SlotNames { get; }

    /// <summary>All optimizer weights in Keras's order: iterations is separate; then each slot kind for every variable.</summary>
    public IReadOnlyList<Variable> SlotVariables => slotOrder;

    /// <summary>The slots of <paramref name="variable"/> (created if needed).</summary>
    protected Variable[] Slots(Variable variable) => slots[variable];

    /// <summary>Creates slots for <paramref name="variables"/> if missing: all first slots, then all second ones (OptimizerV2's _create_slots order).</summary>
    public void Build(IReadOnlyList<Variable> variables)
    {
        var missing = variables.Where(v => !slots.ContainsKey(v)).ToList();
        if (missing.Count == 0) return;
        var created = new Dictionary<Variable, Variable[]>(ReferenceEqualityComparer.Instance);
        foreach (var v in missing) created[v] = new Variable[SlotNames.Length];
        for (int s = 0; s < SlotNames.Length; s++)
            foreach (var v in missing)
            {
                string baseName = v.Name.EndsWith(":0", StringComparison.Ordinal) ? v.Name[..^2] : v.Name;
                var slot = new Variable($"{Name}/{baseName}/{SlotNames[s]}:0", Tensor.Zeros(v.Value.Device, v.Shape), trainable: false);
                created[v][s] = slot;
                slotOrder.Add(slot);
            }
        foreach (var (v, arr) in created) slots[v] = arr;
    }

    /// <summary>Applies one update (<c>apply_gradients</c>) and increments <see cref="Iterations"/>.</summary>
    public void ApplyGradients(IReadOnlyList<(Tensor Gradient, Variable Variable)> gradsAndVars)
    {
        ArgumentNullException.ThrowIfNull(gradsAndVars);
        Build(gradsAndVars.Select(p => p.Variable).ToList());
        foreach (var (g, v) in gradsAndVars)
        {
            if (g.Size != v.Value.Size)
                throw new ArgumentException($"{Name}: gradient of shape {ShapeUtil.Format(g.ShapeSpan)} does not match variable '{v.Name}' of shape {ShapeUtil.Format(v.Value.ShapeSpan)}.", nameof(gradsAndVars));
            if (!ReferenceEquals(g.Device, v.Value.Device))
                throw new ArgumentException($"{Name}: gradient on device '{g.Device.Name}' for variable '{v.Name}' on device '{v.Value.Device.Name}'.", nameof(gradsAndVars));
            Update(v, g);
        }
        Iterations++;
    }

    /// <summary>Updates one variable in place with its gradient on their device; <see cref="Iterations"/> is the count before this step.</summary>
    protected abstract void Update(Variable variable, Tensor gradient);

    /// <summary>Config as Keras writes it in <c>training_config.optimizer_config.config</c>.</summary>
    public abstract Dictionary<string, object?> GetConfig();
}
