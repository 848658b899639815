using System.Text.Json;
using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.layers.LayerNormalization(axis=-1, epsilon=1e-3, center=True, scale=True)</c>: each sample normalized over
/// <c>axis</c> with its own mean and (population) variance, then scaled by gamma and shifted by beta (weights in
/// Keras's order gamma, beta, shaped like the normalized axes). The axes must be the trailing ones.
/// </summary>
public sealed class LayerNormalization : Layer
{
    private Variable? gamma, beta;
    private readonly int[] axes;
    private readonly bool axisIsList;

    /// <summary>Normalizes over one axis (Keras's default: the last).</summary>
    public LayerNormalization(int axis = -1, double epsilon = 1e-3, bool center = true, bool scale = true,
        Initializer? betaInitializer = null, Initializer? gammaInitializer = null, Regularizer? betaRegularizer = null, Regularizer? gammaRegularizer = null,
        string? name = null, bool trainable = true)
        : this([axis], false, epsilon, center, scale, betaInitializer, gammaInitializer, betaRegularizer, gammaRegularizer, name, trainable) { }

    /// <summary>Normalizes over several (trailing) axes, e.g. [-3, -2, -1] for whole images.</summary>
    public LayerNormalization(int[] axis, double epsilon = 1e-3, bool center = true, bool scale = true,
        Initializer? betaInitializer = null, Initializer? gammaInitializer = null, Regularizer? betaRegularizer = null, Regularizer? gammaRegularizer = null,
        string? name = null, bool trainable = true)
        : this(axis, true, epsilon, center, scale, betaInitializer, gammaInitializer, betaRegularizer, gammaRegularizer, name, trainable) { }

    private LayerNormalization(int[] axis, bool isList, double epsilon, bool center, bool scale, Initializer? betaInitializer, Initializer? gammaInitializer,
        Regularizer? betaRegularizer, Regularizer? gammaRegularizer, string? name, bool trainable)
        : base(name, trainable)
    {
        if (axis is null || axis.Length == 0)
            throw new ArgumentException("Invalid value for argument `axis`. Expected an int or a non-empty list of ints. Received axis=[].", nameof(axis));
        if (!(epsilon > 0))
            throw new ArgumentException($"Invalid value for argument `epsilon`. Expected a strictly positive float. Received epsilon={epsilon}.", nameof(epsilon));
        axes = (int[])axis.Clone();
        axisIsList = isList;
        Epsilon = epsilon;
        Center = center;
        Scale = scale;
        BetaInitializer = betaInitializer ?? new Zeros();
        GammaInitializer = gammaInitializer ?? new Ones();
        BetaRegularizer = betaRegularizer;
        GammaRegularizer = gammaRegularizer;
    }

    /// <summary>The normalized axes as given.</summary>
    public IReadOnlyList<int> Axis => axes;
    /// <summary>Variance epsilon.</summary>
    public double Epsilon { get; }
    /// <summary>Whether beta is used.</summary>
    public bool Center { get; }
    /// <summary>Whether gamma is used.</summary>
    public bool Scale { get; }
    /// <summary>Beta initializer.</summary>
    public Initializer BetaInitializer { get; }
    /// <summary>Gamma initializer.</summary>
    public Initializer GammaInitializer { get; }
    /// <summary>Beta regularizer, if any.</summary>
    public Regularizer? BetaRegularizer { get; }
    /// <summary>Gamma regularizer, if any.</summary>
    public Regularizer? GammaRegularizer { get; }

    // The normalized axes as positive indices; they must be the last ones, which the device computes as rows × cols.
    private int[] ResolveAxes(int[] s)
    {
        var resolved = axes.Select(a => a < 0 ? a + s.Length : a).Distinct().OrderBy(a => a).ToArray();
        if (resolved.Any(a => a < 1 || a >= s.Length))
            throw new ArgumentException($"Invalid value for `axis` argument. Expected 0 <= axis < inputs.rank (with the batch axis excluded). Received: axis={FormatAxis()} for input shape {KerasTensor.FormatShape(s)}", "axis");
        if (resolved[^1] != s.Length - 1 || resolved[0] != s.Length - resolved.Length)
            throw new ArgumentException($"LayerNormalization \"{Name}\": axis={FormatAxis()} for input shape {KerasTensor.FormatShape(s)} is supported only when it names the trailing axes (e.g. -1 or [-2, -1]).", "axis");
        return resolved;
    }

    private string FormatAxis() => axisIsList ? "[" + string.Join(", ", axes) + "]" : axes[0].ToString();

    /// <inheritdoc/>
    protected override void Build(int[][] inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        var s = inputShapes[0];
        var shape = ResolveAxes(s).Select(a => s[a]).ToArray();
        if (Scale) gamma = AddWeight("gamma", shape, GammaInitializer, regularizer: GammaRegularizer);
        if (Center) beta = AddWeight("beta", shape, BetaInitializer, regularizer: BetaRegularizer);
    }

    /// <inheritdoc/>
    protected override int[] ComputeOutputShape(int[][] inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        var s = inputShapes[0];
        var resolved = ResolveAxes(s);
        var expected = (gamma ?? beta)?.Value.Shape;
        if (expected is not null && !resolved.Select(a => s[a]).SequenceEqual(expected))
            throw ShapeError($"the normalized axes to have shape {KerasTensor.FormatShape(expected)}", s);
        return s;
    }

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training)
    {
        var x = inputs[0];
        int count = ResolveAxes(x.Shape).Length;
        return Op.LayerNormalization(x, gamma?.Value, beta?.Value, (float)Epsilon, count);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["axis"] = axisIsList ? axes.Cast<object>().ToArray() : axes[0];
        c["epsilon"] = Epsilon;
        c["center"] = Center;
        c["scale"] = Scale;
        c["rms_scaling"] = false;
        c["beta_initializer"] = Serialization.Serialize(BetaInitializer);
        c["gamma_initializer"] = Serialization.Serialize(GammaInitializer);
        c["beta_regularizer"] = Serialization.Serialize(BetaRegularizer);
        c["gamma_regularizer"] = Serialization.Serialize(GammaRegularizer);
        c["beta_constraint"] = null;
        c["gamma_constraint"] = null;
        return c;
    }

    /// <summary>The layer from its Keras config (<c>LayerNormalization.from_config</c>).</summary>
    internal static LayerNormalization FromConfig(LayerConfigReader c)
    {
        if (c.Bool("rms_scaling", false))
            throw new InvalidDataException("layer config: LayerNormalization with rms_scaling=True is not supported.");
        double eps = c.Num("epsilon", 1e-3);
        bool center = c.Bool("center", true), scale = c.Bool("scale", true);
        if (c.Json.TryGetProperty("axis", out var a) && a.ValueKind == JsonValueKind.Array)
            return new LayerNormalization(a.EnumerateArray().Select(e => e.GetInt32()).ToArray(), eps, center, scale,
                c.Init("beta_initializer"), c.Init("gamma_initializer"), c.Reg("beta_regularizer"), c.Reg("gamma_regularizer"), c.Name, c.Trainable);
        return new LayerNormalization(c.Int("axis", -1), eps, center, scale,
            c.Init("beta_initializer"), c.Init("gamma_initializer"), c.Reg("beta_regularizer"), c.Reg("gamma_regularizer"), c.Name, c.Trainable);
    }
}
