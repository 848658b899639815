using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary><c>keras.layers.Dense</c>: y = act(x·W + b) with W (in, units), b (units,), over the last axis.</summary>
public sealed class Dense : Layer
{
    private Variable? kernel, bias;

    /// <summary>Keras's signature with its defaults.</summary>
    public Dense(int units, string? activation = null, bool useBias = true, Initializer? kernelInitializer = null,
        Initializer? biasInitializer = null, Regularizer? kernelRegularizer = null, Regularizer? biasRegularizer = null,
        string? name = null, bool trainable = true)
        : base(name, trainable)
    {
        if (units <= 0)
            throw new ArgumentException($"Invalid value for argument `units`. Expected a strictly positive value. Received units={units}.", nameof(units));
        Units = units;
        Activation = Activations.Normalize(activation);
        UseBias = useBias;
        KernelInitializer = kernelInitializer ?? new GlorotUniform();
        BiasInitializer = biasInitializer ?? new Zeros();
        KernelRegularizer = kernelRegularizer;
        BiasRegularizer = biasRegularizer;
    }

    /// <summary>Output size.</summary>
    public int Units { get; }
    /// <summary>Activation identifier.</summary>
    public string Activation { get; }
    /// <summary>Whether a bias is added.</summary>
    public bool UseBias { get; }
    /// <summary>Kernel initializer.</summary>
    public Initializer KernelInitializer { get; }
    /// <summary>Bias initializer.</summary>
    public Initializer BiasInitializer { get; }
    /// <summary>Kernel regularizer.</summary>
    public Regularizer? KernelRegularizer { get; }
    /// <summary>Bias regularizer.</summary>
    public Regularizer? BiasRegularizer { get; }

    /// <inheritdoc/>
    protected override void Build(int[][] inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        var s = inputShapes[0];
        if (s.Length < 2 || s[^1] < 0) throw ShapeError("min_ndim=2 with a defined last axis", s);
        kernel = AddWeight("kernel", [s[^1], Units], KernelInitializer, regularizer: KernelRegularizer);
        if (UseBias) bias = AddWeight("bias", [Units], BiasInitializer, regularizer: BiasRegularizer);
    }

    /// <inheritdoc/>
    protected override int[] ComputeOutputShape(int[][] inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        var s = inputShapes[0];
        if (s.Length < 2) throw ShapeError("min_ndim=2", s);
        if (s[^1] != kernel!.Value.Dim(0)) throw ShapeError($"axis -1 of input shape to have value {kernel.Value.Dim(0)}", s);
        return [.. s[..^1], Units];
    }

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training) =>
        Activations.Apply(Activation, ForwardLinear(inputs[0]));

    private Tensor ForwardLinear(Tensor x)
    {
        var shape = x.Shape;
        var x2 = x.Rank == 2 ? x : Op.Reshape(x, -1, shape[^1]);
        var y = Op.MatMul(x2, kernel!.Value);
        if (bias is not null) y = Op.BiasAdd(y, bias.Value);
        return x.Rank == 2 ? y : Op.Reshape(y, [.. shape[..^1], Units]);
    }

    internal override bool OutputsSoftmax => Activation == "softmax";

    internal override Tensor ForwardLogits(IReadOnlyList<Tensor> inputs, bool training) => ForwardLinear(inputs[0]);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["units"] = Units;
        c["activation"] = Activation;
        Serialization.AddWeightConfig(c, UseBias, KernelInitializer, BiasInitializer, KernelRegularizer, BiasRegularizer);
        return c;
    }
}
