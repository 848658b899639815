using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.layers.PReLU(alpha_initializer="Zeros", alpha_regularizer=None, alpha_constraint=None, shared_axes=None)</c>:
/// x for x &gt; 0, α·x otherwise, with a trainable α per position of the sample (one per shared axis, 1-based as Keras counts).
/// </summary>
public sealed class PReLU : Layer
{
    private Variable? alpha;

    /// <summary>Keras's signature with its defaults (constraints are not supported).</summary>
    public PReLU(Initializer? alphaInitializer = null, Regularizer? alphaRegularizer = null, int[]? sharedAxes = null, string? name = null, bool trainable = true)
        : base(name, trainable)
    {
        AlphaInitializer = alphaInitializer ?? new Zeros();
        AlphaRegularizer = alphaRegularizer;
        SharedAxes = sharedAxes is null ? null : (int[])sharedAxes.Clone();
    }

    /// <summary>Initializer of α.</summary>
    public Initializer AlphaInitializer { get; }
    /// <summary>Regularizer of α.</summary>
    public Regularizer? AlphaRegularizer { get; }
    /// <summary>Axes (1-based, batch excluded) along which α is shared.</summary>
    public int[]? SharedAxes { get; }

    /// <inheritdoc/>
    protected override void Build(int[][] inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        var s = inputShapes[0];
        if (s.Length < 2) throw ShapeError("min_ndim=2", s);
        var shape = s[1..];
        foreach (int a in SharedAxes ?? [])
        {
            if (a < 1 || a > shape.Length)
                throw new ArgumentException($"Invalid value for argument `shared_axes` of layer \"{Name}\": axis {a} is outside [1, {shape.Length}] for input shape {KerasTensor.FormatShape(s)}.", "sharedAxes");
            shape[a - 1] = 1;
        }
        for (int d = 0; d < shape.Length; d++)
            if (shape[d] < 0) throw ShapeError($"a defined axis {d + 1} (or that axis in shared_axes)", s);
        alpha = AddWeight("alpha", shape, AlphaInitializer, regularizer: AlphaRegularizer);
    }

    /// <inheritdoc/>
    protected override int[] ComputeOutputShape(int[][] inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        var s = inputShapes[0];
        var a = alpha!.Value.Shape;
        if (s.Length != a.Length + 1) throw ShapeError($"ndim={a.Length + 1}", s);
        for (int d = 0; d < a.Length; d++)
            if (a[d] != 1 && s[d + 1] != a[d]) throw ShapeError($"axis {d + 1} of input shape to have value {a[d]}", s);
        return s;
    }

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training) => Op.PRelu(inputs[0], alpha!.Value);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["alpha_initializer"] = Serialization.Serialize(AlphaInitializer);
        c["alpha_regularizer"] = Serialization.Serialize(AlphaRegularizer);
        c["alpha_constraint"] = null;
        c["shared_axes"] = SharedAxes;
        return c;
    }

    /// <summary>The layer a config describes.</summary>
    public static PReLU FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        var c = new LayerConfig(config);
        if (c.Has("alpha_constraint")) throw new InvalidDataException("layer config: PReLU's alpha_constraint is not supported.");
        return new PReLU(c.Init("alpha_initializer"), c.Reg("alpha_regularizer"), c.Ints("shared_axes"), c.Name, c.Trainable);
    }
}
