using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.layers.Conv1D</c> over (batch, steps, channels) with kernel (kernel_size, in / groups, filters) and bias
/// (filters,); padding "valid", "same" or "causal" (left padding by (k − 1)·dilation, so output t sees inputs ≤ t).
/// Runs as the 2-D convolution of a height-1 view.
/// </summary>
public sealed class Conv1D : Layer
{
    private Variable? kernel, bias;

    /// <summary>Keras's signature with its defaults (strides 1, padding "valid", dilation 1, one group).</summary>
    public Conv1D(int filters, int kernelSize, int strides = 1, string padding = "valid", int dilationRate = 1, int groups = 1, string? activation = null,
        bool useBias = true, Initializer? kernelInitializer = null, Initializer? biasInitializer = null,
        Regularizer? kernelRegularizer = null, Regularizer? biasRegularizer = null, string? name = null, bool trainable = true)
        : base(name, trainable)
    {
        if (filters <= 0)
            throw new ArgumentException($"Invalid value for argument `filters`. Expected a strictly positive value. Received filters={filters}.", nameof(filters));
        Filters = filters;
        KernelSize = new IntPair(kernelSize, kernelSize).Positive(Name, "kernel_size").First;
        Strides = new IntPair(strides, strides).Positive(Name, "strides").First;
        DilationRate = new IntPair(dilationRate, dilationRate).Positive(Name, "dilation_rate").First;
        Conv2D.CheckStridesAndDilation(Strides, DilationRate);
        var p = padding?.ToLowerInvariant();
        if (p is not ("valid" or "same" or "causal"))
            throw new ArgumentException($"Invalid value for argument `padding`. Expected one of {{\"valid\", \"same\", \"causal\"}}. Received padding={padding}.", nameof(padding));
        Padding = p;
        if (groups <= 0)
            throw new ArgumentException($"Invalid value for argument `groups`. Expected a strictly positive value. Received groups={groups}.", nameof(groups));
        if (filters % groups != 0)
            throw new ArgumentException($"The number of filters must be evenly divisible by the number of groups. Received: groups={groups}, filters={filters}.", nameof(groups));
        Groups = groups;
        Activation = Activations.Normalize(activation);
        UseBias = useBias;
        KernelInitializer = kernelInitializer ?? new GlorotUniform();
        BiasInitializer = biasInitializer ?? new Zeros();
        KernelRegularizer = kernelRegularizer;
        BiasRegularizer = biasRegularizer;
    }

    /// <summary>Output channels.</summary>
    public int Filters { get; }
    /// <summary>Window length.</summary>
    public int KernelSize { get; }
    /// <summary>Stride.</summary>
    public int Strides { get; }
    /// <summary>"valid", "same" or "causal".</summary>
    public string Padding { get; }
    /// <summary>Dilation.</summary>
    public int DilationRate { get; }
    /// <summary>Channel groups.</summary>
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

    /// <inheritdoc/>
    protected override void Build(int[][] inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        var s = inputShapes[0];
        if (s.Length != 3) throw ShapeError("min_ndim=3, max_ndim=3 (batch, steps, channels)", s);
        if (s[2] % Groups != 0)
            throw new ArgumentException($"The number of input channels must be evenly divisible by the number of groups. Received groups={Groups}, but the input has {s[2]} channels (full input shape is {KerasTensor.FormatShape(s)}).", "inputs");
        kernel = AddWeight("kernel", [KernelSize, s[2] / Groups, Filters], KernelInitializer, regularizer: KernelRegularizer);
        if (UseBias) bias = AddWeight("bias", [Filters], BiasInitializer, regularizer: BiasRegularizer);
    }

    /// <inheritdoc/>
    protected override int[] ComputeOutputShape(int[][] inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        var s = inputShapes[0];
        if (s.Length != 3) throw ShapeError("min_ndim=3, max_ndim=3 (batch, steps, channels)", s);
        if (s[2] != kernel!.Value.Dim(1) * Groups)
            throw ShapeError($"axis -1 of input shape to have value {kernel.Value.Dim(1) * Groups}", s);
        int steps = s[1] < 0 ? -1 : Padding == "causal" ? (s[1] + Strides - 1) / Strides
            : DepthwiseConv2D.ConvOutLength(Name, s, 1, KernelSize, Strides, DilationRate, Padding);
        return [s[0], steps, Filters];
    }

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training)
    {
        var x = inputs[0];
        OpCheck1D(x);
        int n = x.Dim(0), steps = x.Dim(1), c = x.Dim(2);
        var image = Op.Reshape(x, n, 1, steps, c);
        string padding = Padding;
        if (Padding == "causal")
        {
            image = Op.ZeroPad2D(image, 0, 0, (KernelSize - 1) * DilationRate, 0);
            padding = "valid";
        }
        var k = kernel!.Value;
        var k2 = Op.Reshape(k, 1, k.Dim(0), k.Dim(1), k.Dim(2));
        var y = DilationRate == 1 && Groups == 1
            ? Op.Conv2D(image, k2, bias?.Value, 1, Strides, padding)
            : Op.Conv2D(image, k2, bias?.Value, 1, Strides, padding, 1, DilationRate, Groups);
        return Activations.Apply(Activation, Op.Reshape(y, n, y.Dim(2), Filters));
    }

    private void OpCheck1D(Tensor x)
    {
        if (x.Rank != 3)
            throw new ArgumentException($"Layer \"{Name}\": expected input of rank 3 (batch, steps, channels); received shape {ShapeUtil.Format(x.ShapeSpan)}.", "inputs");
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["filters"] = Filters;
        c["kernel_size"] = new object[] { KernelSize };
        c["strides"] = new object[] { Strides };
        c["padding"] = Padding;
        c["data_format"] = "channels_last";
        c["dilation_rate"] = new object[] { DilationRate };
        c["groups"] = Groups;
        c["activation"] = Activation;
        Serialization.AddWeightConfig(c, UseBias, KernelInitializer, BiasInitializer, KernelRegularizer, BiasRegularizer);
        return c;
    }

    /// <summary>The layer from its Keras config (<c>Conv1D.from_config</c>).</summary>
    internal static Conv1D FromConfig(LayerConfigReader c) =>
        new(c.Int("filters", 0), c.Single("kernel_size", 1), c.Single("strides", 1), c.Str("padding") ?? "valid", c.Single("dilation_rate", 1),
            c.Int("groups", 1), c.Activation, c.Bool("use_bias", true), c.Init("kernel_initializer"), c.Init("bias_initializer"),
            c.Reg("kernel_regularizer"), c.Reg("bias_regularizer"), c.ChannelsLastName, c.Trainable);
}
