using System.Text.RegularExpressions;
using ResNetKeras.Engine;

namespace ResNetKeras.Keras;

/// <summary>
/// Base of the optimizers (Keras's <c>keras.optimizers.Optimizer</c>): a float32 learning rate readable and settable
/// by callbacks, or a <see cref="LearningRateSchedule"/> evaluated on the host from <see cref="Iterations"/>; the
/// <c>iterations</c> counter; named slot variables (<c>Adam/conv2d/kernel/m:0</c>) created for all trainable variables
/// on the first update, in Keras's order; and Keras 3's base options: <c>clipnorm</c>, <c>clipvalue</c>,
/// <c>global_clipnorm</c>, decoupled <c>weight_decay</c> and the EMA of weights (<c>use_ema</c>).
/// </summary>
public abstract class Optimizer
{
    private float learningRate;
    private LearningRateSchedule? schedule;
    private readonly Dictionary<Variable, Variable[]> slots = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Variable, Variable> averages = new(ReferenceEqualityComparer.Instance);
    private readonly List<Variable> slotOrder = new();
    private HashSet<Variable>? excludedFromWeightDecay;
    private Regex? excludedFromWeightDecayPattern;

    /// <summary>Sets the name and learning rate.</summary>
    protected Optimizer(string name, double learningRate) : this(name, learningRate, null, new BaseOptions(null, null, null, null, false, 0.99, null)) { }

    /// <summary>Sets the name, the learning rate (a float or a schedule) and Keras 3's base options, checked as Keras checks them.</summary>
    private protected Optimizer(string name, double learningRate, LearningRateSchedule? learningRateSchedule, BaseOptions options)
    {
        Name = name;
        if (learningRateSchedule is null) LearningRate = learningRate;
        else schedule = learningRateSchedule;
        int clipArgs = (options.Clipnorm is null ? 0 : 1) + (options.Clipvalue is null ? 0 : 1) + (options.GlobalClipnorm is null ? 0 : 1);
        if (clipArgs > 1)
            throw new ArgumentException($"Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received: clipnorm={Py(options.Clipnorm)}, clipvalue={Py(options.Clipvalue)}, global_clipnorm={Py(options.GlobalClipnorm)}", "clipnorm");
        CheckNonNegative(options.Clipnorm, "clipnorm");
        CheckNonNegative(options.Clipvalue, "clipvalue");
        CheckNonNegative(options.GlobalClipnorm, "globalClipnorm");
        if (options.WeightDecay is { } wd && !double.IsFinite(wd))
            throw new ArgumentException($"Invalid value for argument `weight_decay`. Expected a finite float or None. Received: weight_decay={wd}", "weightDecay");
        if (options.UseEma)
        {
            if (!(options.EmaMomentum >= 0 && options.EmaMomentum <= 1))
                throw new ArgumentException($"`ema_momentum` must be in the range [0, 1]. Received: ema_momentum={options.EmaMomentum}", "emaMomentum");
            if (options.EmaOverwriteFrequency is < 1)
                throw new ArgumentException($"`ema_overwrite_frequency` must be an integer >= 1 or None. Received: ema_overwrite_frequency={options.EmaOverwriteFrequency}", "emaOverwriteFrequency");
        }
        WeightDecay = options.WeightDecay;
        Clipnorm = options.Clipnorm;
        Clipvalue = options.Clipvalue;
        GlobalClipnorm = options.GlobalClipnorm;
        UseEma = options.UseEma;
        EmaMomentum = options.EmaMomentum;
        EmaOverwriteFrequency = options.EmaOverwriteFrequency;
    }

    private static string Py(double? v) => v is null ? "None" : v.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static void CheckNonNegative(double? v, string param)
    {
        if (v is { } x && !(x >= 0 && double.IsFinite(x)))
            throw new ArgumentException($"Invalid value for argument `{param}`. Expected a non-negative finite float or None. Received: {param}={x}", param);
    }

    /// <summary>Optimizer name (<c>Adam</c>, <c>SGD</c>, <c>rmsprop</c>); prefixes slot names.</summary>
    public string Name { get; }

    /// <summary>
    /// The learning rate, stored as float32 as Keras's variable is (1e-3 reads back as 0.0010000000474974513). With a
    /// schedule, the schedule's value at <see cref="Iterations"/> (what the next update uses), and setting a float
    /// throws as Keras 3 does.
    /// </summary>
    public double LearningRate
    {
        get => schedule is null ? learningRate : schedule.Call(Iterations);
        set
        {
            if (schedule is not null)
                throw new InvalidOperationException("This optimizer was created with a `LearningRateSchedule` object as its `learning_rate` constructor argument, hence its learning rate is not settable. If you need the learning rate to be settable, you should instantiate the optimizer with a float `learning_rate` argument.");
            if (!(value >= 0) || double.IsInfinity(value))
                throw new ArgumentException($"Invalid value for argument `learning_rate`. Expected a non-negative finite float. Received learning_rate={value}.", nameof(value));
            learningRate = (float)value;
        }
    }

    /// <summary>
    /// The learning-rate schedule, or null when the learning rate is a float. Setting a schedule replaces the float
    /// learning rate (Keras 3's <c>optimizer.learning_rate = schedule</c>).
    /// </summary>
    public LearningRateSchedule? LearningRateSchedule
    {
        get => schedule;
        set => schedule = value ?? throw new ArgumentNullException(nameof(value), "LearningRateSchedule: a schedule cannot be removed; create a new optimizer with a float learning rate.");
    }

    /// <summary>Alias of <see cref="LearningRate"/> (<c>optimizer.lr</c>).</summary>
    public double Lr { get => LearningRate; set => LearningRate = value; }

    /// <summary>The Adam family's argument checks (Keras's error texts): β1, β2 in [0, 1), ε ≥ 0.</summary>
    private protected static (double Beta1, double Beta2, double Epsilon) CheckMoments(double beta1, double beta2, double epsilon)
    {
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentException($"Invalid value for argument `beta_1`. Expected a float in [0, 1). Received: beta_1={beta1}", nameof(beta1));
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentException($"Invalid value for argument `beta_2`. Expected a float in [0, 1). Received: beta_2={beta2}", nameof(beta2));
        if (!(epsilon >= 0)) throw new ArgumentException($"Invalid value for argument `epsilon`. Expected a non-negative float. Received: epsilon={epsilon}", nameof(epsilon));
        return (beta1, beta2, epsilon);
    }

    /// <summary>Number of updates applied (<c>optimizer.iterations</c>, int64).</summary>
    public long Iterations { get; set; }

    /// <summary><c>weight_decay</c>: when set, θ ← θ − θ·wd·lr before each update (decoupled, as Keras 3).</summary>
    public double? WeightDecay { get; }

    /// <summary><c>clipnorm</c>: each gradient is rescaled to an L2 norm of at most this.</summary>
    public double? Clipnorm { get; }

    /// <summary><c>clipvalue</c>: each gradient element is clipped to [−clipvalue, clipvalue].</summary>
    public double? Clipvalue { get; }

    /// <summary><c>global_clipnorm</c>: all gradients are rescaled together to a global L2 norm of at most this.</summary>
    public double? GlobalClipnorm { get; }

    /// <summary><c>use_ema</c>: keeps an exponential moving average of each trainable variable (slot <c>average</c>).</summary>
    public bool UseEma { get; }

    /// <summary><c>ema_momentum</c> (0.99).</summary>
    public double EmaMomentum { get; }

    /// <summary><c>ema_overwrite_frequency</c>: every this many iterations the variables are overwritten by their averages.</summary>
    public int? EmaOverwriteFrequency { get; }

    /// <summary>Names of the slots per variable, in creation order (Adam: m, v).</summary>
    protected abstract string[] SlotNames { get; }

    /// <summary>
    /// How many leading slot kinds are created variable by variable (Keras 3's <c>add_optimizer_variables(vars, [a, b])</c>:
    /// a₀ b₀ a₁ b₁); the remaining kinds follow kind by kind (a₀ a₁ b₀ b₁), as separate <c>add_optimizer_variables</c> calls.
    /// </summary>
    private protected virtual int InterleavedSlotKinds => 0;

    /// <summary>The initial value of slot <paramref name="slot"/> (Adagrad's accumulators start at initial_accumulator_value).</summary>
    private protected virtual float SlotInitialValue(int slot) => 0f;

    /// <summary>All optimizer weights in Keras's order: iterations is separate; the EMA averages, then each slot kind for every variable.</summary>
    public IReadOnlyList<Variable> SlotVariables => slotOrder;

    /// <summary>The slots of <paramref name="variable"/> (created if needed).</summary>
    protected Variable[] Slots(Variable variable) => slots[variable];

    /// <summary>Keras's <c>exclude_from_weight_decay(var_list, var_names)</c>: these variables, and those whose name contains one of the strings, are not decayed. Only before the optimizer is built.</summary>
    public void ExcludeFromWeightDecay(IEnumerable<Variable>? varList = null, IEnumerable<string>? varNames = null)
    {
        if (slots.Count > 0)
            throw new InvalidOperationException("`exclude_from_weight_decay()` can only be configued before the optimizer is built.");
        excludedFromWeightDecay = varList is null ? null : new HashSet<Variable>(varList, ReferenceEqualityComparer.Instance);
        var names = varNames?.ToList();
        excludedFromWeightDecayPattern = names is { Count: > 0 } ? new Regex(string.Join("|", names.Distinct()), RegexOptions.CultureInvariant) : null;
    }

    private bool UsesWeightDecay(Variable v) =>
        !(excludedFromWeightDecay?.Contains(v) ?? false) && !(excludedFromWeightDecayPattern?.IsMatch(v.Name) ?? false);

    /// <summary>Creates slots for <paramref name="variables"/> if missing: the EMA averages, then all first slots, then all second ones (Keras's build order).</summary>
    public void Build(IReadOnlyList<Variable> variables)
    {
        var missing = variables.Where(v => !slots.ContainsKey(v)).ToList();
        if (missing.Count == 0) return;
        Variable NewSlot(Variable v, string slotName, float initial)
        {
            string baseName = v.Name.EndsWith(":0", StringComparison.Ordinal) ? v.Name[..^2] : v.Name;
            var slot = new Variable($"{Name}/{baseName}/{slotName}:0", Tensor.Full(v.Value.Device, v.Shape, initial), trainable: false);
            slotOrder.Add(slot);
            return slot;
        }
        if (UseEma)
            foreach (var v in missing) averages[v] = NewSlot(v, "average", 0f);
        var created = new Dictionary<Variable, Variable[]>(ReferenceEqualityComparer.Instance);
        foreach (var v in missing) created[v] = new Variable[SlotNames.Length];
        int interleaved = Math.Min(InterleavedSlotKinds, SlotNames.Length);
        foreach (var v in missing)
            for (int s = 0; s < interleaved; s++) created[v][s] = NewSlot(v, SlotNames[s], SlotInitialValue(s));
        for (int s = interleaved; s < SlotNames.Length; s++)
            foreach (var v in missing) created[v][s] = NewSlot(v, SlotNames[s], SlotInitialValue(s));
        foreach (var (v, arr) in created) slots[v] = arr;
    }

    /// <summary>
    /// Applies one update (<c>apply_gradients</c>) as Keras 3 does: clip the gradients, decay the weights, one update
    /// per variable, update the EMA (and overwrite the variables with it every <see cref="EmaOverwriteFrequency"/>
    /// iterations), increment <see cref="Iterations"/>. Every step is a device call; nothing is read back.
    /// </summary>
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
        }
        var grads = ClipGradients(gradsAndVars);
        if (WeightDecay is { } wd)
        {
            float lr = (float)LearningRate;
            foreach (var (_, v) in gradsAndVars)
                if (UsesWeightDecay(v)) v.Value.Device.DecayWeights(v.Value.Storage, (float)wd, lr);
        }
        for (int i = 0; i < grads.Length; i++) Update(gradsAndVars[i].Variable, grads[i]);
        if (UseEma)
        {
            float momentum = Iterations != 0 ? (float)EmaMomentum : 0f;
            bool overwrite = EmaOverwriteFrequency is { } f && (Iterations + 1) % f == 0;
            foreach (var (_, v) in gradsAndVars)
            {
                var average = averages[v];
                v.Value.Device.EmaUpdate(average.Value.Storage, v.Value.Storage, momentum);
                if (overwrite) v.Value.Device.Copy(average.Value.Storage, v.Value.Storage);
            }
        }
        Iterations++;
    }

    /// <summary>
    /// Keras's <c>finalize_variable_values</c>: with <see cref="UseEma"/>, overwrites each variable with its moving
    /// average (what Keras's <c>fit</c> does after the last epoch); otherwise nothing.
    /// </summary>
    public void FinalizeVariableValues(IReadOnlyList<Variable> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        if (!UseEma) return;
        if (variables.Count != averages.Count)
            throw new ArgumentException($"The length of model variables ({variables.Count}) to override does not match the length of model variables stored in the optimizer ({averages.Count}). Please check if the optimizer was called on your model.", nameof(variables));
        foreach (var v in variables)
        {
            if (!averages.TryGetValue(v, out var average))
                throw new ArgumentException($"Unknown variable: '{v.Name}'. This optimizer holds no moving average for it.", nameof(variables));
            v.Value.Device.Copy(average.Value.Storage, v.Value.Storage);
        }
    }

    /// <summary>Keras's <c>_clip_gradients</c>: clipnorm, else global_clipnorm, else clipvalue, each into fresh step buffers (the caller's gradients stay as they are).</summary>
    private Tensor[] ClipGradients(IReadOnlyList<(Tensor Gradient, Variable Variable)> gradsAndVars)
    {
        var grads = gradsAndVars.Select(p => p.Gradient).ToArray();
        if (Clipnorm is > 0)
            return grads.Select(g =>
            {
                var c = Tensor.Rent(g.Device, g.Shape, zeroed: false);
                g.Device.ClipByNorm(g.Storage, c.Storage, (float)Clipnorm.Value);
                return c;
            }).ToArray();
        if (GlobalClipnorm is > 0)
        {
            // Σ‖g‖² stays on the device: one scalar per gradient, added into one, read by each scaling kernel.
            var byDevice = grads.GroupBy(g => g.Device).ToList();
            if (byDevice.Count != 1)
                throw new InvalidOperationException($"{Name}: global_clipnorm needs all gradients on one device; they are on {string.Join(", ", byDevice.Select(d => d.Key.Name))}.");
            var device = byDevice[0].Key;
            var squares = grads.Select(g =>
            {
                var s = Tensor.Rent(device, [1], zeroed: false);
                device.SumOfSquares(g.Storage, s.Storage, 1f);
                return s.Storage;
            }).ToList();
            var total = Tensor.Rent(device, [1], zeroed: false);
            device.AddN(squares, total.Storage, relu: false);
            return grads.Select(g =>
            {
                var c = Tensor.Rent(device, g.Shape, zeroed: false);
                device.ScaleByGlobalNorm(g.Storage, total.Storage, (float)GlobalClipnorm.Value, c.Storage);
                return c;
            }).ToArray();
        }
        if (Clipvalue is > 0)
            return grads.Select(g =>
            {
                var c = Tensor.Rent(g.Device, g.Shape, zeroed: false);
                g.Device.ClipByValue(g.Storage, c.Storage, (float)Clipvalue.Value);
                return c;
            }).ToArray();
        return grads;
    }

    /// <summary>
    /// Keras 3 variables beyond iterations, learning rate and the slots, listed after the slots (Nadam's
    /// <c>_u_product</c>); written to Keras 3 files, and on reading only checked, since they follow from <see cref="Iterations"/>.
    /// </summary>
    internal virtual IReadOnlyList<NDArray> Keras3ExtraValues() => [];

    /// <summary>Updates one variable in place with its gradient on their device; <see cref="Iterations"/> is the count before this step.</summary>
    protected abstract void Update(Variable variable, Tensor gradient);

    /// <summary>Config as Keras writes it in <c>training_config.optimizer_config.config</c>.</summary>
    public abstract Dictionary<string, object?> GetConfig();

    /// <summary>Keras 3's base <c>get_config</c> entries: name, learning_rate (a float or the serialized schedule) and the base options.</summary>
    private protected Dictionary<string, object?> BaseConfig() => new()
    {
        ["name"] = Name,
        ["learning_rate"] = schedule is null ? LearningRate : LearningRateSchedule.Serialize(schedule),
        ["weight_decay"] = WeightDecay,
        ["clipnorm"] = Clipnorm,
        ["global_clipnorm"] = GlobalClipnorm,
        ["clipvalue"] = Clipvalue,
        ["use_ema"] = UseEma,
        ["ema_momentum"] = EmaMomentum,
        ["ema_overwrite_frequency"] = EmaOverwriteFrequency,
        ["loss_scale_factor"] = null,
        ["gradient_accumulation_steps"] = null,
    };

    /// <summary>Keras 3's base optimizer keyword arguments, passed from each optimizer's constructor.</summary>
    private protected readonly record struct BaseOptions(double? WeightDecay, double? Clipnorm, double? Clipvalue, double? GlobalClipnorm,
        bool UseEma, double EmaMomentum, int? EmaOverwriteFrequency);
}
