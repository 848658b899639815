using ResNetKeras.Engine;
using ResNetKeras.Ops;

namespace ResNetKeras.Keras;

/// <summary>
/// <c>keras.layers.Normalization(axis=-1, mean=None, variance=None, invert=False)</c> as in Keras 3:
/// (x − mean)/max(√variance, 1e-7) with one mean and variance per entry of <see cref="Axis"/> (one for all when
/// <see cref="Axis"/> is null), or the inverse with <see cref="Invert"/>. Without <c>mean</c> and <c>variance</c> the
/// statistics are non-trainable weights <c>mean</c>, <c>variance</c>, <c>count</c> set by <see cref="Adapt"/>.
/// A single kept axis only (Keras also takes a tuple).
/// </summary>
public sealed class Normalization : Layer
{
    private const float Epsilon = 1e-7f;
    private readonly float[]? givenMean, givenVariance;
    private Variable? mean, variance, count;
    private Tensor? constMean, constVariance;
    private int channels = -1;

    /// <summary>Keras's signature and defaults; <paramref name="mean"/> and <paramref name="variance"/> hold one value (broadcast) or one per entry of the axis.</summary>
    public Normalization(int? axis = -1, double[]? mean = null, double[]? variance = null, bool invert = false, string? name = null) : base(name)
    {
        if ((mean is null) != (variance is null))
            throw new ArgumentException($"When setting values directly, both `mean` and `variance` must be set. Received: mean={Format(mean)} and variance={Format(variance)}", mean is null ? nameof(mean) : nameof(variance));
        if (mean is not null && mean.Length != variance!.Length)
            throw new ArgumentException($"When setting values directly, `mean` and `variance` must have the same shape. Received: mean shape ({mean.Length},) and variance shape ({variance.Length},)", nameof(variance));
        if (mean is not null && (mean.Length == 0 || (axis is null && mean.Length != 1)))
            throw new ArgumentException($"Invalid value for argument `mean`: expected one value{(axis is null ? "" : " or one per entry of the axis")}; received {mean.Length}.", nameof(mean));
        Axis = axis;
        Invert = invert;
        givenMean = mean?.Select(v => (float)v).ToArray();
        givenVariance = variance?.Select(v => (float)v).ToArray();
    }

    /// <summary>The kept axis (null: one statistic for everything).</summary>
    public int? Axis { get; }
    /// <summary>Whether the layer undoes the normalization.</summary>
    public bool Invert { get; }

    private static string Format(double[]? v) => v is null ? "None" : "[" + string.Join(", ", v.Select(Callback.PyStr)) + "]";

    private int KeptAxis(int[] shape, string what)
    {
        if (Axis is not { } a) return -1;
        int r = shape.Length;
        if (a < -r || a >= r)
            throw new ArgumentException($"All `axis` values must be in the range [-ndim, ndim). Received inputs with ndim={r}, while axis=({a},)", what);
        int k = a < 0 ? a + r : a;
        if (shape[k] < 0)
            throw new ArgumentException($"All `axis` values to be kept must have a known shape. Received axis=({a},), inputs.shape={KerasTensor.FormatShape(shape)}, with unknown axis at index {k}", what);
        return k;
    }

    private void EnsureStatistics(int[] shape, string what)
    {
        int k = KeptAxis(shape, what);
        int c = k < 0 ? 1 : shape[k];
        if (channels >= 0)
        {
            if (c != channels)
                throw new ArgumentException($"Layer \"{Name}\" was built for {channels} value(s) along axis {Axis}, but received shape {KerasTensor.FormatShape(shape)}.", what);
            return;
        }
        if (givenMean is not null && givenMean.Length != 1 && givenMean.Length != c)
            throw new ArgumentException($"Layer \"{Name}\": `mean` and `variance` of {givenMean.Length} values cannot be broadcast to the {c} entries of axis {Axis} of shape {KerasTensor.FormatShape(shape)}.", what);
        channels = c;
        if (givenMean is null)
        {
            int[] statShape = k < 0 ? [] : [c];
            mean = AddWeight("mean", statShape, new Zeros(), trainable: false);
            variance = AddWeight("variance", statShape, new Ones(), trainable: false);
            count = AddWeight("count", [], new Zeros(), trainable: false);
        }
    }

    /// <inheritdoc/>
    protected override void Build(int[][] inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        EnsureStatistics(inputShapes[0], "inputs");
    }

    /// <inheritdoc/>
    protected override int[] ComputeOutputShape(int[][] inputShapes)
    {
        ExpectInputs(inputShapes, 1);
        EnsureStatistics(inputShapes[0], "inputs");
        return inputShapes[0];
    }

    /// <summary>
    /// <c>layer.adapt(data)</c>: the mean and (population) variance of <paramref name="data"/> over every axis but the
    /// kept one, as NumPy computes them (Keras 3 uses <c>np.mean</c>/<c>np.var</c> for arrays).
    /// </summary>
    public void Adapt(NDArray data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (givenMean is not null)
            throw new InvalidOperationException($"Layer \"{Name}\" was given `mean` and `variance`; adapt() sets them only on a layer built without them.");
        if (data.Rank < 1) throw new ArgumentException("Invalid value for argument `data`: expected an array with a batch axis; received a scalar.", nameof(data));
        var shape = data.IntShape;
        EnsureStatistics([-1, .. shape[1..]], nameof(data));
        int k = KeptAxis(shape, nameof(data));
        var reduce = Enumerable.Range(0, shape.Length).Where(d => d != k).ToArray();
        var converted = data.typecode == NumSharp.NPTypeCode.Single ? null : data.astype(np.float32);
        try
        {
            var f = converted ?? data;
            using (var m = np.mean(f, reduce))
                mean!.Assign(m.reshape(mean.Shape));
            using (var v = np.var(f, reduce))
                variance!.Assign(v.reshape(variance.Shape));
        }
        finally { converted?.Dispose(); }
        count!.Assign([(float)reduce.Aggregate(1L, (p, d) => p * shape[d])]);
    }

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training)
    {
        var x = inputs[0];
        if (x.Rank < 1) throw new ArgumentException($"Layer \"{Name}\" expects inputs with a batch axis; received a scalar.", nameof(inputs));
        // A layer run before it was called symbolically builds from the batch's shape, as Keras builds on first call.
        EnsureStatistics([-1, .. x.Shape[1..]], "inputs");
        Tensor m, v;
        if (givenMean is not null)
        {
            if (constMean is null || !ReferenceEquals(constMean.Device, x.Device))
            {
                var gm = givenMean.Length == channels ? givenMean : Enumerable.Repeat(givenMean[0], channels).ToArray();
                var gv = givenVariance!.Length == channels ? givenVariance : Enumerable.Repeat(givenVariance[0], channels).ToArray();
                constMean = Upload(gm, x.Device, channels);
                constVariance = Upload(gv, x.Device, channels);
            }
            (m, v) = (constMean, constVariance!);
        }
        else (m, v) = (mean!.Value, variance!.Value);
        return Op.Normalize(x, m, v, Axis, Epsilon, Invert);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["axis"] = Axis is { } a ? new[] { a } : Array.Empty<int>();
        c["invert"] = Invert;
        c["mean"] = givenMean is null ? null : givenMean.Length == 1 ? (double)givenMean[0] : givenMean.Select(x => (double)x).ToArray();
        c["variance"] = givenVariance is null ? null : givenVariance.Length == 1 ? (double)givenVariance[0] : givenVariance.Select(x => (double)x).ToArray();
        return c;
    }

    /// <summary>The layer a config describes (an axis list of one entry, an empty list for None, or an integer).</summary>
    public static Normalization FromConfig(IReadOnlyDictionary<string, object?> config)
    {
        var c = new LayerConfig(config);
        // Keras 3 writes the axis tuple as a list ([] for None); an integer or None are read too.
        int? axis = -1;
        if (config.TryGetValue("axis", out var raw))
        {
            var axes = c.Ints("axis");
            if (axes is { Length: > 1 }) throw new InvalidDataException($"layer config: Normalization over several axes is not supported; found axis=[{string.Join(", ", axes)}].");
            axis = axes is null || axes.Length == 0 ? null : axes[0];
        }
        return new Normalization(axis, c.Numbers("mean"), c.Numbers("variance"), c.Bool("invert", false), c.Name);
    }

    private static Tensor Upload(float[] values, Devices.IDevice device, int length)
    {
        var storage = device.Allocate(length);
        device.CopyFromHost(values, storage);
        return new Tensor(storage, length);
    }
}
