using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.layers.DepthwiseConv2D</c>: each input channel convolved with its own <c>depthMultiplier</c> filters,
/// output channel c·depth_multiplier + m. Kernel (kh, kw, in_channels, depth_multiplier) as Keras, bias
/// (in_channels·depth_multiplier,).
/// </summary>
public sealed class DepthwiseConv2D : Layer
{
    private Variable? kernel, bias;

    /// <summary>Keras's signature with its defaults (strides 1, padding "valid", depth multiplier 1, dilation 1).</summary>
    public DepthwiseConv2D(IntPair kernelSize, IntPair? strides = null, string padding = "valid", int depthMultiplier = 1, IntPair? dilationRate = null,
        string? activation = null, bool useBias = true, Initializer? depthwiseInitializer = null, Initializer? biasInitializer = null,
        Regularizer? depthwiseRegularizer = null, Regularizer? biasRegularizer = null, string? name = null, bool trainable = true)
        : base(name, trainable)
    {
        KernelSize = kernelSize.Positive(Name, "kernel_size");
        Strides = (strides ?? 1).Positive(Name, "strides");
        Padding = Conv2D.NormalizePadding(padding);
        if (depthMultiplier <= 0)
            throw new ArgumentException($"Invalid value for argument `depth_multiplier`. Expected a strictly positive value. Received depth_multiplier={depthMultiplier}.", nameof(depthMultiplier));
        DepthMultiplier = depthMultiplier;
        DilationRate = (dilationRate ?? 1).Positive(Name, "dilation_rate");
        Conv2D.CheckStridesAndDilation(Strides, DilationRate);
        Activation = Activations.Normalize(activation);
        UseBias = useBias;
        DepthwiseInitializer = depthwiseInitializer ?? new GlorotUniform();
        BiasInitializer = biasInitializer ?? new Zeros();
        DepthwiseRegularizer = depthwiseRegularizer;
        BiasRegularizer = biasRegularizer;
    }

    /// <summary>Window (kh, kw).</summary>
    public IntPair KernelSize { get; }
    /// <summary>Strides (sh, sw).</summary>
    public IntPair Strides { get; }
    /// <summary>"valid" or "same".</summary>
    public string Padding { get; }
    /// <summary>Filters per input channel.</summary>
    public int DepthMultiplier { get; }
    /// <summary>Dilation (dh, dw).</summary>
    public IntPair DilationRate { get; }
    /// <summary>Activation identifier ("linear" when none).</summary>
    public string Activation { get; }
    /// <summary>Whether a bias is added.</summary>
    public bool UseBias { get; }
    /// <summary>Depthwise kernel initializer.</summary>
    public Initializer DepthwiseInitializer { get; }
    /// <summary>Bias initializer.</summary>
    public Initializer BiasInitializer { get; }
    /// <summary>Depthwise kernel regularizer, if any.</summary>
    public Regularizer? DepthwiseRegularizer { get; }
    /// <summary>Bias regularizer, if any.</summary>
    public Regularizer? BiasRegularizer { get; }

    /// <inheritdoc/>
    protected override void Build(int[][] inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        var s = inputShapes[0];
        if (s.Length != 4) throw ShapeError("min_ndim=4, max_ndim=4 (batch, height, width, channels)", s);
        kernel = AddWeight("kernel", [KernelSize.First, KernelSize.Second, s[3], DepthMultiplier], DepthwiseInitializer, regularizer: DepthwiseRegularizer);
        if (UseBias) bias = AddWeight("bias", [s[3] * DepthMultiplier], BiasInitializer, regularizer: BiasRegularizer);
    }

    /// <inheritdoc/>
    protected override int[] ComputeOutputShape(int[][] inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        var s = inputShapes[0];
        if (s.Length != 4) throw ShapeError("min_ndim=4, max_ndim=4 (batch, height, width, channels)", s);
        if (s[3] != kernel!.Value.Dim(2))
            throw ShapeError($"axis -1 of input shape to have value {kernel.Value.Dim(2)}", s);
        return [s[0], ConvOutLength(Name, s, 1, KernelSize.First, Strides.First, DilationRate.First, Padding),
            ConvOutLength(Name, s, 2, KernelSize.Second, Strides.Second, DilationRate.Second, Padding), s[3] * DepthMultiplier];
    }

    /// <summary>Keras's conv_output_length for the dilated extent, with this library's error for a window larger than a "valid" input.</summary>
    internal static int ConvOutLength(string layer, int[] s, int axis, int k, int stride, int dilation, string padding)
    {
        int n = s[axis], ek = (k - 1) * dilation + 1;
        if (n < 0) return -1;
        if (padding == "same") return (n + stride - 1) / stride;
        if (n < ek)
            throw new ArgumentException($"Layer \"{layer}\": the (dilated) kernel extent {ek} is larger than the input of shape {KerasTensor.FormatShape(s)} with padding \"valid\".", "inputs");
        return (n - ek) / stride + 1;
    }

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training) =>
        Activations.Apply(Activation, Op.DepthwiseConv2D(inputs[0], kernel!.Value, bias?.Value, Strides.First, Strides.Second, Padding, DilationRate.First, DilationRate.Second));

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["kernel_size"] = KernelSize.ToList();
        c["strides"] = Strides.ToList();
        c["padding"] = Padding;
        c["depth_multiplier"] = DepthMultiplier;
        c["data_format"] = "channels_last";
        c["dilation_rate"] = DilationRate.ToList();
        c["activation"] = Activation;
        c["use_bias"] = UseBias;
        c["depthwise_initializer"] = Serialization.Serialize(DepthwiseInitializer);
        c["bias_initializer"] = Serialization.Serialize(BiasInitializer);
        c["depthwise_regularizer"] = Serialization.Serialize(DepthwiseRegularizer);
        c["bias_regularizer"] = Serialization.Serialize(BiasRegularizer);
        c["activity_regularizer"] = null;
        c["depthwise_constraint"] = null;
        c["bias_constraint"] = null;
        return c;
    }

    /// <summary>The layer from its Keras config (<c>DepthwiseConv2D.from_config</c>).</summary>
    internal static DepthwiseConv2D FromConfig(LayerConfigReader c) =>
        new(c.Pair("kernel_size", 1), c.Pair("strides", 1), c.Str("padding") ?? "valid", c.Int("depth_multiplier", 1), c.Pair("dilation_rate", 1),
            c.Activation, c.Bool("use_bias", true), c.Init("depthwise_initializer"), c.Init("bias_initializer"),
            c.Reg("depthwise_regularizer"), c.Reg("bias_regularizer"), c.ChannelsLastName, c.Trainable);
}
