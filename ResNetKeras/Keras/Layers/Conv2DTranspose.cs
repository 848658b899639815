using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.layers.Conv2DTranspose</c> (a "deconvolution") over NHWC inputs: the kernel is Keras's
/// (kh, kw, filters, in_channels), bias (filters,). Output size per axis as Keras 3: "valid" in·s + max(k − s, 0),
/// "same" in·s, or with <c>outputPadding</c> (in − 1)·s + k − 2·pad + output_padding.
/// </summary>
public sealed class Conv2DTranspose : Layer
{
    private Variable? kernel, bias;

    /// <summary>Keras's signature with its defaults (strides 1, padding "valid", no output padding, dilation 1).</summary>
    public Conv2DTranspose(int filters, IntPair kernelSize, IntPair? strides = null, string padding = "valid", IntPair? outputPadding = null,
        IntPair? dilationRate = null, string? activation = null, bool useBias = true, Initializer? kernelInitializer = null, Initializer? biasInitializer = null,
        Regularizer? kernelRegularizer = null, Regularizer? biasRegularizer = null, string? name = null, bool trainable = true)
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
        if (outputPadding is IntPair op && (op.First < 0 || op.Second < 0 || op.First >= Strides.First || op.Second >= Strides.Second))
            throw new ArgumentException($"Strides must be greater than output padding. Received strides=({Strides.First}, {Strides.Second}), output_padding=({op.First}, {op.Second}).", nameof(outputPadding));
        OutputPadding = outputPadding;
        Activation = Activations.Normalize(activation);
        UseBias = useBias;
        KernelInitializer = kernelInitializer ?? new GlorotUniform();
        BiasInitializer = biasInitializer ?? new Zeros();
        KernelRegularizer = kernelRegularizer;
        BiasRegularizer = biasRegularizer;
    }

    /// <summary>Output channels.</summary>
    public int Filters { get; }
    /// <summary>Window (kh, kw).</summary>
    public IntPair KernelSize { get; }
    /// <summary>Strides (sh, sw): the upsampling factor.</summary>
    public IntPair Strides { get; }
    /// <summary>"valid" or "same".</summary>
    public string Padding { get; }
    /// <summary>Extra rows/columns at the bottom/right (<c>output_padding</c>; null: Keras's inferred size).</summary>
    public IntPair? OutputPadding { get; }
    /// <summary>Dilation (dh, dw).</summary>
    public IntPair DilationRate { get; }
    /// <summary>Activation identifier ("linear" when none).</summary>
    public string Activation { get; }
    /// <summary>Whether a bias is added.</summary>
    public bool UseBias { get; }
    /// <summary>Kernel initializer.</summary>
    public Initializer KernelInitializer { get; }
    /// <summary>Bias initializer.</summary>
    public Initializer BiasInitializer { get; }
    /// <summary>Kernel regularizer, if any.</summary>
    public Regularizer? KernelRegularizer { get; }
    /// <summary>Bias regularizer, if any.</summary>
    public Regularizer? BiasRegularizer { get; }

    /// <inheritdoc/>
    protected override void Build(int[][] inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        var s = inputShapes[0];
        if (s.Length != 4) throw ShapeError("min_ndim=4, max_ndim=4 (batch, height, width, channels)", s);
        kernel = AddWeight("kernel", [KernelSize.First, KernelSize.Second, Filters, s[3]], KernelInitializer, regularizer: KernelRegularizer);
        if (UseBias) bias = AddWeight("bias", [Filters], BiasInitializer, regularizer: BiasRegularizer);
    }

    /// <inheritdoc/>
    protected override int[] ComputeOutputShape(int[][] inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        var s = inputShapes[0];
        if (s.Length != 4) throw ShapeError("min_ndim=4, max_ndim=4 (batch, height, width, channels)", s);
        if (s[3] != kernel!.Value.Dim(3))
            throw ShapeError($"axis -1 of input shape to have value {kernel.Value.Dim(3)}", s);
        bool same = Padding == "same";
        int h = s[1] < 0 ? -1 : Op.ConvTransposeOutputLength(s[1], KernelSize.First, Strides.First, same, OutputPadding?.First, DilationRate.First);
        int w = s[2] < 0 ? -1 : Op.ConvTransposeOutputLength(s[2], KernelSize.Second, Strides.Second, same, OutputPadding?.Second, DilationRate.Second);
        return [s[0], h, w, Filters];
    }

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training) =>
        Activations.Apply(Activation, Op.Conv2DTranspose(inputs[0], kernel!.Value, bias?.Value, Strides.First, Strides.Second, Padding,
            OutputPadding?.First, OutputPadding?.Second, DilationRate.First, DilationRate.Second));

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["filters"] = Filters;
        c["kernel_size"] = KernelSize.ToList();
        c["strides"] = Strides.ToList();
        c["padding"] = Padding;
        c["output_padding"] = OutputPadding?.ToList();
        c["data_format"] = "channels_last";
        c["dilation_rate"] = DilationRate.ToList();
        c["activation"] = Activation;
        Serialization.AddWeightConfig(c, UseBias, KernelInitializer, BiasInitializer, KernelRegularizer, BiasRegularizer);
        return c;
    }

    /// <summary>The layer from its Keras config (<c>Conv2DTranspose.from_config</c>).</summary>
    internal static Conv2DTranspose FromConfig(LayerConfigReader c) =>
        new(c.Int("filters", 0), c.Pair("kernel_size", 1), c.Pair("strides", 1), c.Str("padding") ?? "valid",
            c.Has("output_padding") ? c.Pair("output_padding", 0) : null, c.Pair("dilation_rate", 1), c.Activation, c.Bool("use_bias", true),
            c.Init("kernel_initializer"), c.Init("bias_initializer"), c.Reg("kernel_regularizer"), c.Reg("bias_regularizer"), c.ChannelsLastName, c.Trainable);
}
