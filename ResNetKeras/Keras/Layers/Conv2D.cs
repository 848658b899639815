using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.layers.Conv2D</c> over NHWC inputs with an HWIO kernel (kh, kw, in, filters) and bias
/// (filters,); Keras's defaults: strides 1, padding "valid", dilation 1, one group, no activation, glorot_uniform
/// kernel, zero bias. With <c>groups</c> the kernel is (kh, kw, in / groups, filters).
/// </summary>
public sealed class Conv2D : Layer
{
    private Variable? kernel, bias;

    /// <summary>Keras's signature with its defaults.</summary>
    public Conv2D(int filters, IntPair kernelSize, IntPair? strides = null, string padding = "valid", string? activation = null,
        bool useBias = true, Initializer? kernelInitializer = null, Initializer? biasInitializer = null,
        Regularizer? kernelRegularizer = null, Regularizer? biasRegularizer = null, string? name = null, bool trainable = true,
        IntPair? dilationRate = null, int groups = 1)
        : base(name, trainable)
    {
        if (filters <= 0)
            throw new ArgumentException($"Invalid value for argument `filters`. Expected a strictly positive value. Received filters={filters}.", nameof(filters));
        Filters = filters;
        KernelSize = kernelSize.Positive(Name, "kernel_size");
        Strides = (strides ?? 1).Positive(Name, "strides");
        DilationRate = (dilationRate ?? 1).Positive(Name, "dilation_rate");
        if (groups <= 0)
            throw new ArgumentException($"Invalid value for argument `groups`. Expected a strictly positive value. Received groups={groups}.", nameof(groups));
        if (filters % groups != 0)
            throw new ArgumentException($"The number of filters must be evenly divisible by the number of groups. Received: groups={groups}, filters={filters}.", nameof(groups));
        Groups = groups;
        CheckStridesAndDilation(Strides, DilationRate);
        Padding = NormalizePadding(padding);
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
    /// <summary>Strides (sh, sw).</summary>
    public IntPair Strides { get; }
    /// <summary>"valid" or "same".</summary>
    public string Padding { get; }
    /// <summary>Dilation (dh, dw) of the window (<c>dilation_rate</c>).</summary>
    public IntPair DilationRate { get; }
    /// <summary>Channel groups (<c>groups</c>): each group of filters sees its own slice of the input channels.</summary>
    public int Groups { get; }
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

    // Keras's BaseConv refuses the combination (TensorFlow's conv has no kernel for it).
    internal static void CheckStridesAndDilation(IntPair strides, IntPair dilation)
    {
        if ((strides.First > 1 || strides.Second > 1) && (dilation.First > 1 || dilation.Second > 1))
            throw new ArgumentException($"`strides > 1` not supported in conjunction with `dilation_rate > 1`. Received: strides=({strides.First}, {strides.Second}) and dilation_rate=({dilation.First}, {dilation.Second})", "strides");
    }

    internal static string NormalizePadding(string padding)
    {
        var p = padding?.ToLowerInvariant();
        if (p is not ("valid" or "same"))
            throw new ArgumentException($"Invalid value for argument `padding`. Expected one of {{\"valid\", \"same\"}}. Received padding={padding}.", nameof(padding));
        return p;
    }

    /// <inheritdoc/>
    protected override void Build(int[][] inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        var s = inputShapes[0];
        if (s.Length != 4) throw ShapeError("min_ndim=4, max_ndim=4 (batch, height, width, channels)", s);
        if (s[3] % Groups != 0)
            throw new ArgumentException($"The number of input channels must be evenly divisible by the number of groups. Received groups={Groups}, but the input has {s[3]} channels (full input shape is {KerasTensor.FormatShape(s)}).", "inputs");
        kernel = AddWeight("kernel", [KernelSize.First, KernelSize.Second, s[3] / Groups, Filters], KernelInitializer, regularizer: KernelRegularizer);
        if (UseBias) bias = AddWeight("bias", [Filters], BiasInitializer, regularizer: BiasRegularizer);
    }

    /// <inheritdoc/>
    protected override int[] ComputeOutputShape(int[][] inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        var s = inputShapes[0];
        if (s.Length != 4) throw ShapeError("min_ndim=4, max_ndim=4 (batch, height, width, channels)", s);
        if (s[3] != kernel!.Value.Dim(2) * Groups)
            throw ShapeError($"axis -1 of input shape to have value {kernel.Value.Dim(2) * Groups}", s);
        return [s[0], OutLength(s[1], (KernelSize.First - 1) * DilationRate.First + 1, Strides.First, s),
            OutLength(s[2], (KernelSize.Second - 1) * DilationRate.Second + 1, Strides.Second, s), Filters];
    }

    private int OutLength(int n, int k, int stride, int[] s)
    {
        if (Padding == "same") return (n + stride - 1) / stride;
        if (n < k)
            throw new ArgumentException($"Layer \"{Name}\": the kernel size {KernelSize.First}x{KernelSize.Second} is larger than the input of shape {KerasTensor.FormatShape(s)} with padding \"valid\".", "inputs");
        return (n - k) / stride + 1;
    }

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training) =>
        Activations.Apply(Activation, ForwardLinear(inputs[0]));

    // The bias is added inside the convolution: one pass and one activation-sized buffer less than BiasAdd after it.
    // Dilation 1 with one group stays on the original call: the tutorial's path is unchanged.
    private Tensor ForwardLinear(Tensor x) => DilationRate == new IntPair(1, 1) && Groups == 1
        ? Op.Conv2D(x, kernel!.Value, bias?.Value, Strides.First, Strides.Second, Padding)
        : Op.Conv2D(x, kernel!.Value, bias?.Value, Strides.First, Strides.Second, Padding, DilationRate.First, DilationRate.Second, Groups);

    internal override bool OutputsSoftmax => Activation == "softmax";

    internal override Tensor ForwardLogits(IReadOnlyList<Tensor> inputs, bool training) => ForwardLinear(inputs[0]);

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
        c["groups"] = Groups;
        c["activation"] = Activation;
        Serialization.AddWeightConfig(c, UseBias, KernelInitializer, BiasInitializer, KernelRegularizer, BiasRegularizer);
        return c;
    }

    /// <summary>The layer from its Keras config (<c>Conv2D.from_config</c>).</summary>
    internal static Conv2D FromConfig(LayerConfigReader c) =>
        new(c.Int("filters", 0), c.Pair("kernel_size", 1), c.Pair("strides", 1), c.Str("padding") ?? "valid", c.Activation,
            c.Bool("use_bias", true), c.Init("kernel_initializer"), c.Init("bias_initializer"), c.Reg("kernel_regularizer"), c.Reg("bias_regularizer"),
            c.ChannelsLastName, c.Trainable, c.Pair("dilation_rate", 1), c.Int("groups", 1));
}
