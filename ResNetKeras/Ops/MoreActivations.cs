using ResNetKeras.Engine;
using ResNetKeras.Kernels;

namespace ResNetKeras.Ops;

public static partial class Op
{
    /// <summary>min(max(x, 0), 6) (<c>keras.ops.relu6</c>).</summary>
    public static Tensor Relu6(Tensor x) => Activation("Relu6", UnaryKind.Relu6, x, 0f);

    /// <summary>x for x &gt; 0, negativeSlope·x otherwise (<c>keras.ops.leaky_relu</c>, default slope 0.2).</summary>
    public static Tensor LeakyRelu(Tensor x, float negativeSlope = 0.2f) => Activation("LeakyRelu", UnaryKind.LeakyRelu, x, negativeSlope);

    /// <summary>x for x &gt; 0, α·(e^x − 1) otherwise (<c>keras.ops.elu</c>).</summary>
    public static Tensor Elu(Tensor x, float alpha = 1f) => Activation("Elu", UnaryKind.Elu, x, alpha);

    /// <summary>Scaled ELU with Keras's constants (<c>keras.ops.selu</c>).</summary>
    public static Tensor Selu(Tensor x) => Activation("Selu", UnaryKind.Selu, x, 0f);

    /// <summary>x·Φ(x), or its tanh approximation with <paramref name="approximate"/> (<c>keras.ops.gelu</c>; Keras's default is approximate=True for the op, False for the activation).</summary>
    public static Tensor Gelu(Tensor x, bool approximate = false) => Activation("Gelu", approximate ? UnaryKind.GeluTanh : UnaryKind.Gelu, x, 0f);

    /// <summary>x·sigmoid(x) (<c>keras.ops.silu</c>, swish).</summary>
    public static Tensor Silu(Tensor x) => Activation("Silu", UnaryKind.Silu, x, 0f);

    /// <summary>log(1 + e^x) (<c>keras.ops.softplus</c>).</summary>
    public static Tensor Softplus(Tensor x) => Activation("Softplus", UnaryKind.Softplus, x, 0f);

    /// <summary>x/(1 + |x|) (<c>keras.ops.softsign</c>).</summary>
    public static Tensor Softsign(Tensor x) => Activation("Softsign", UnaryKind.Softsign, x, 0f);

    /// <summary>relu6(x + 3)/6 (<c>keras.ops.hard_sigmoid</c> in Keras 3).</summary>
    public static Tensor HardSigmoid(Tensor x) => Activation("HardSigmoid", UnaryKind.HardSigmoid, x, 0f);

    /// <summary>e^x (<c>keras.ops.exp</c>; the "exponential" activation).</summary>
    public static Tensor Exponential(Tensor x) => Activation("Exponential", UnaryKind.Exponential, x, 0f);

    /// <summary>Any <see cref="UnaryKind"/> with its parameter (LeakyRelu's slope, Elu's α), through one device call each way.</summary>
    public static Tensor Activation(UnaryKind kind, Tensor x, float alpha = 0f) => Activation(kind.ToString(), kind, x, alpha);

    private static Tensor Activation(string op, UnaryKind kind, Tensor x, float alpha)
    {
        OpCheck.NotNull(op, "x", x);
        var y = OpCheck.Like(x);
        x.Device.Activation(kind, x.Storage, y.Storage, alpha);
        var saved = kind.GradientFromOutput() ? y : x;
        GradientTape.Record(y, [x], (dy, needs) =>
        {
            var dx = OpCheck.Like(x);
            x.Device.ActivationGrad(kind, saved.Storage, dy.Storage, dx.Storage, alpha);
            return [dx];
        }, saved: [saved]);
        return y;
    }

    /// <summary>
    /// Keras's <c>relu(x, negative_slope, max_value, threshold)</c>: x where x &gt; threshold else 0, clipped to
    /// [0, maxValue] when given, minus negativeSlope·max(threshold − x, 0).
    /// </summary>
    public static Tensor Relu(Tensor x, float negativeSlope, float? maxValue = null, float threshold = 0f)
    {
        const string op = "Relu";
        OpCheck.NotNull(op, "x", x);
        if (maxValue is { } m && (float.IsNaN(m) || m < 0))
            throw new ArgumentException($"{op}: expected a non-negative `maxValue`; received maxValue={m}.", nameof(maxValue));
        if (float.IsNaN(negativeSlope)) throw new ArgumentException($"{op}: `negativeSlope` must be a number; received NaN.", nameof(negativeSlope));
        if (float.IsNaN(threshold)) throw new ArgumentException($"{op}: `threshold` must be a number; received NaN.", nameof(threshold));
        float max = maxValue ?? float.PositiveInfinity;
        var y = OpCheck.Like(x);
        x.Device.ClippedRelu(x.Storage, y.Storage, negativeSlope, max, threshold);
        GradientTape.Record(y, [x], (dy, needs) =>
        {
            var dx = OpCheck.Like(x);
            x.Device.ClippedReluGrad(x.Storage, dy.Storage, dx.Storage, negativeSlope, max, threshold);
            return [dx];
        }, saved: [x]);
        return y;
    }

    /// <summary>
    /// Parametric ReLU (Keras's <c>PReLU</c> layer): x for x &gt; 0, α·x otherwise, with α of the sample shape
    /// (x's shape without the batch axis) or 1 on shared axes, broadcast over the batch.
    /// </summary>
    public static Tensor PRelu(Tensor x, Tensor alpha)
    {
        const string op = "PRelu";
        OpCheck.NotNull(op, "x", x);
        OpCheck.NotNull(op, "alpha", alpha);
        OpCheck.SameDevice(op, x, alpha);
        if (x.Rank < 2) throw new ArgumentException($"{op}: expected `x` of rank ≥ 2 (batch, ...); received shape {ShapeUtil.Format(x.ShapeSpan)}.", nameof(x));
        var sample = x.Shape[1..];
        if (alpha.Rank != sample.Length)
            throw new ArgumentException($"{op}: `alpha` of shape {ShapeUtil.Format(alpha.ShapeSpan)} does not match the sample shape {ShapeUtil.Format(sample)} of `x` (same rank, each axis equal or 1).", nameof(alpha));
        var strides = new int[sample.Length];
        for (int d = sample.Length - 1, s = 1; d >= 0; d--)
        {
            int a = alpha.Dim(d);
            if (a != sample[d] && a != 1)
                throw new ArgumentException($"{op}: `alpha` of shape {ShapeUtil.Format(alpha.ShapeSpan)} does not match the sample shape {ShapeUtil.Format(sample)} of `x` (same rank, each axis equal or 1).", nameof(alpha));
            strides[d] = a == 1 ? 0 : s;
            s *= a;
        }
        var y = OpCheck.Like(x);
        x.Device.PRelu(x.Storage, alpha.Storage, y.Storage, sample, strides);
        GradientTape.Record(y, [x, alpha], (dy, needs) =>
        {
            var dx = needs[0] ? OpCheck.Like(x) : null;
            var da = needs[1] ? OpCheck.Like(alpha) : null;
            x.Device.PReluGrad(x.Storage, alpha.Storage, dy.Storage, dx?.Storage, da?.Storage, sample, strides);
            return [dx, da];
        }, saved: [x, alpha]);
        return y;
    }

    /// <summary>log(softmax(x)) over the last axis, computed as x − max − log Σ e^(x − max) (<c>keras.ops.log_softmax</c>).</summary>
    public static Tensor LogSoftmax(Tensor x)
    {
        const string op = "LogSoftmax";
        OpCheck.NotNull(op, "x", x);
        if (x.Rank < 1) throw new ArgumentException($"{op}: expected a tensor of rank ≥ 1; received a scalar.", nameof(x));
        int k = x.Dim(-1);
        var y = OpCheck.Like(x);
        x.Device.LogSoftmax(x.Storage, y.Storage, k);
        GradientTape.Record(y, [x], (dy, needs) =>
        {
            var dx = OpCheck.Like(x);
            x.Device.LogSoftmaxBackward(y.Storage, dy.Storage, dx.Storage, k);
            return [dx];
        }, saved: [y]);
        return y;
    }

    /// <summary>Softmax over <paramref name="axis"/> (<c>keras.ops.softmax(x, axis)</c>): other axes are moved last and back.</summary>
    public static Tensor Softmax(Tensor x, int axis) => AlongAxis("Softmax", x, axis, Softmax);

    /// <summary>Log-softmax over <paramref name="axis"/> (<c>keras.ops.log_softmax(x, axis)</c>).</summary>
    public static Tensor LogSoftmax(Tensor x, int axis) => AlongAxis("LogSoftmax", x, axis, LogSoftmax);

    private static Tensor AlongAxis(string op, Tensor x, int axis, Func<Tensor, Tensor> lastAxis)
    {
        OpCheck.NotNull(op, "x", x);
        int a = ShapeUtil.NormalizeAxis(axis, x.Rank, nameof(axis));
        if (a == x.Rank - 1) return lastAxis(x);
        // Swap the axis with the last one: the permutation is its own inverse.
        var perm = Enumerable.Range(0, x.Rank).ToArray();
        (perm[a], perm[^1]) = (perm[^1], perm[a]);
        return Transpose(lastAxis(Transpose(x, perm)), perm);
    }
}
