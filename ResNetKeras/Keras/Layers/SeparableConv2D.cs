using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.layers.SeparableConv2D</c>: a depthwise convolution (kernel (kh, kw, in, depth_multiplier), with the
/// strides, padding and dilation) followed by a 1×1 pointwise convolution (kernel (1, 1, in·depth_multiplier, filters))
/// and the bias (filters,). Weights in Keras's order: depthwise_kernel, pointwise_kernel, bias.
/// </summary>
public sealed class SeparableConv2D : Layer
{
    private Variable? depthwise, pointwise, bias;

    /// <summary>Keras's signature with its defaults.</summary>
    public SeparableConv2D(int filters, IntPair kernelSize, IntPair? strides = null, string padding = "valid", IntPair? dilationRate = null,
        int depthMultiplier = 1, string? activation = null, bool useBias = true, Initializer? depthwiseInitializer = null,
        Initializer? pointwiseInitializer = null, Initializer? biasInitializer = null, Regularizer? depthwiseRegularizer = null,
        Regularizer? pointwiseRegularizer = null, Regularizer? biasRegularizer = null, string? name = null, bool trainable = true)
        : base(name, trainable)
    {
        if (filters <= 0)
            throw new ArgumentException($"Invalid value for argument `filters`. Expected a strictly positive value. Received filters={filters}.", nameof(filters));
        Filters = filters;
        KernelSize = kernelSize.Positive(Name, "kernel_size");
        Strides = (strides ?? 1).Positive(Name, "strides");
        Padding = Conv2D.NormalizePadding(padding);
        DilationRate = (dilationRate ?? 1).Positive(Name, "dilation_rate");
        Conv2D.CheckStridesAndDilation(Strides, DilationRate);
        if (depthMultiplier <= 0)
            throw new ArgumentException($"Invalid value for argument `depth_multiplier`. Expected a strictly positive value. Received depth_multiplier={depthMultiplier}.", nameof(depthMultiplier));
        DepthMultiplier = depthMultiplier;
        Activation = Activations.Normalize(activation);
        UseBias = useBias;
        DepthwiseInitializer = depthwiseInitializer ?? new GlorotUniform();
        PointwiseInitializer = pointwiseInitializer ?? new GlorotUniform();
        BiasInitializer = biasInitializer ?? new Zeros();
        DepthwiseRegularizer = depthwiseRegularizer;
        PointwiseRegularizer = pointwiseRegularizer;
        BiasRegularizer = biasRegularizer;
    }

    /// <summary>Output channels.</summary>
    public int Filters { get; }
    /// <summary>Depthwise window (kh, kw).</summary>
    public IntPair KernelSize { get; }
    /// <summary>Strides (sh, sw) of the depthwise step.</summary>
    public IntPair Strides { get; }
    /// <summary>"valid" or "same".</summary>
    public string Padding { get; }
    /// <summary>Dilation (dh, dw) of the depthwise step.</summary>
    public IntPair DilationRate { get; }
    /// <summary>Depthwise filters per input channel.</summary>
    public int DepthMultiplier { get; }
    /// <summary>Activation identifier ("linear" when none).</summary>
    public string Activation { get; }
    /// <summary>Whether a bias is added.</summary>
    public bool UseBias { get; }
    /// <summary>Depthwise kernel initializer.</summary>
    public Initializer DepthwiseInitializer { get; }
    /// <summary>Pointwise kernel initializer.</summary>
    public Initializer PointwiseInitializer { get; }
    /// <summary>Bias initializer.</summary>
    public Initializer BiasInitializer { get; }
    /// <summary>Depthwise kernel regularizer, if any.</summary>
    public Regularizer? DepthwiseRegularizer { get; }
    /// <summary>Pointwise kernel regularizer, if any.</summary>
    public Regularizer? PointwiseRegularizer { get; }
    /// <summary>Bias regularizer, if any.</summary>
    public Regularizer? BiasRegularizer { get; }

    /// <inheritdoc/>
    protected override void Build(int[][] inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        var s = inputShapes[0];
        if (s.Length != 4) throw ShapeError("min_ndim=4, max_ndim=4 (batch, height, width, channels)", s);
        depthwise = AddWeight("depthwise_kernel", [KernelSize.First, KernelSize.Second, s[3], DepthMultiplier], DepthwiseInitializer, regularizer: DepthwiseRegularizer);
        pointwise = AddWeight("pointwise_kernel", [1, 1, s[3] * DepthMultiplier, Filters], PointwiseInitializer, regularizer: PointwiseRegularizer);
        if (UseBias) bias = AddWeight("bias", [Filters], BiasInitializer, regularizer: BiasRegularizer);
    }

    /// <inheritdoc/>
    protected override int[] ComputeOutputShape(int[][] inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        var s = inputShapes[0];
        if (s.Length != 4) throw ShapeError("min_ndim=4, max_ndim=4 (batch, height, width, channels)", s);
        if (s[3] != depthwise!.Value.Dim(2))
            throw ShapeError($"axis -1 of input shape to have value {depthwise.Value.Dim(2)}", s);
        return [s[0], DepthwiseConv2D.ConvOutLength(Name, s, 1, KernelSize.First, Strides.First, DilationRate.First, Padding),
            DepthwiseConv2D.ConvOutLength(Name, s, 2, KernelSize.Second, Strides.Second, DilationRate.Second, Padding), Filters];
    }

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training)
    {
        var d = Op.DepthwiseConv2D(inputs[0], depthwise!.Value, null, Strides.First, Strides.Second, Padding, DilationRate.First, DilationRate.Second);
        return Activations.Apply(Activation, Op.Conv2D(d, pointwise!.Value, bias?.Value, 1, 1, "valid"));
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["filters"] = Filters;
        c["kernel_size"] = KernelSize.ToList();
        c["strides"] = Strides.ToList();
        c["padding"] = Padding;
        c["data_format"] = "channels_last";
        c["dilation_rate"] = DilationRate.ToList();
        c["depth_multiplier"] = DepthMultiplier;
        c["activation"] = Activation;
        c["use_bias"] = UseBias;
        c["depthwise_initializer"] = Serialization.Serialize(DepthwiseInitializer);
        c["pointwise_initializer"] = Serialization.Serialize(PointwiseInitializer);
        c["bias_initializer"] = Serialization.Serialize(BiasInitializer);
        c["depthwise_regularizer"] = Serialization.Serialize(DepthwiseRegularizer);
        c["pointwise_regularizer"] = Serialization.Serialize(PointwiseRegularizer);
        c["bias_regularizer"] = Serialization.Serialize(BiasRegularizer);
        c["activity_regularizer"] = null;
        c["depthwise_constraint"] = null;
        c["pointwise_constraint"] = null;
        c["bias_constraint"] = null;
        return c;
    }

    /// <summary>The layer from its Keras config (<c>SeparableConv2D.from_config</c>).</summary>
    internal static SeparableConv2D FromConfig(LayerConfigReader c) =>
        new(c.Int("filters", 0), c.Pair("kernel_size", 1), c.Pair("strides", 1), c.Str("padding") ?? "valid", c.Pair("dilation_rate", 1),
            c.Int("depth_multiplier", 1), c.Activation, c.Bool("use_bias", true), c.Init("depthwise_initializer"), c.Init("pointwise_initializer"),
            c.Init("bias_initializer"), c.Reg("depthwise_regularizer"), c.Reg("pointwise_regularizer"), c.Reg("bias_regularizer"), c.ChannelsLastName, c.Trainable);
}
