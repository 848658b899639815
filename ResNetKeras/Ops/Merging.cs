using ResNetKeras.Engine;
using ResNetKeras.Kernels;

namespace ResNetKeras.Ops;

public static partial class Op
{
    /// <summary>a − b for same-shaped tensors (<c>keras.ops.subtract</c> without broadcasting; the <c>Subtract</c> layer).</summary>
    public static Tensor Subtract(Tensor a, Tensor b) => Binary("Subtract", BinaryKind.Subtract, a, b);

    /// <summary>Element-wise max(a, b) (<c>keras.ops.maximum</c>; the gradient goes to a on ties, as in TensorFlow).</summary>
    public static Tensor Maximum(Tensor a, Tensor b) => Binary("Maximum", BinaryKind.Maximum, a, b);

    /// <summary>Element-wise min(a, b) (<c>keras.ops.minimum</c>; the gradient goes to a on ties).</summary>
    public static Tensor Minimum(Tensor a, Tensor b) => Binary("Minimum", BinaryKind.Minimum, a, b);

    private static Tensor Binary(string op, BinaryKind kind, Tensor a, Tensor b)
    {
        OpCheck.NotNull(op, "a", a);
        OpCheck.NotNull(op, "b", b);
        OpCheck.SameShape(op, "a", a, "b", b);
        var device = OpCheck.SameDevice(op, a, b);
        var y = OpCheck.Like(a);
        device.Binary(kind, a.Storage, b.Storage, y.Storage);
        if (kind == BinaryKind.Subtract)
        {
            // Reads only dy, so a and b need not be kept: a gets dy itself (as AddN hands it on), b gets −dy.
            GradientTape.Record(y, [a, b], (dy, needs) =>
            {
                Tensor? db = null;
                if (needs[1])
                {
                    db = OpCheck.Like(b);
                    device.Scale(dy.Storage, -1f, db.Storage);
                }
                return [needs[0] ? dy : null, db];
            }, saved: []);
            return y;
        }
        GradientTape.Record(y, [a, b], (dy, needs) =>
        {
            var da = needs[0] ? OpCheck.Like(a) : null;
            var db = needs[1] ? OpCheck.Like(b) : null;
            device.BinaryGrad(kind, a.Storage, b.Storage, dy.Storage, da?.Storage, db?.Storage);
            return [da, db];
        }, saved: [a, b]);
        return y;
    }

    /// <summary>
    /// Joins tensors along <paramref name="axis"/> (<c>keras.ops.concatenate</c>); every other axis must match.
    /// </summary>
    public static Tensor Concatenate(IReadOnlyList<Tensor> xs, int axis = -1)
    {
        const string op = "Concatenate";
        OpCheck.NotNull(op, "xs", xs);
        if (xs.Count == 0) throw new ArgumentException($"{op}: expected at least one tensor in `xs`; received none.", nameof(xs));
        for (int i = 0; i < xs.Count; i++) OpCheck.NotNull(op, $"xs[{i}]", xs[i]);
        int rank = xs[0].Rank;
        int a = ShapeUtil.NormalizeAxis(axis, rank, nameof(axis));
        var first = xs[0].Shape;
        int outer = 1;
        for (int d = 0; d < a; d++) outer *= first[d];
        var inners = new int[xs.Count];
        int total = 0, axisLength = 0;
        for (int i = 0; i < xs.Count; i++)
        {
            var s = xs[i].Shape;
            bool fits = s.Length == rank;
            for (int d = 0; fits && d < rank; d++) fits = d == a || s[d] == first[d];
            if (!fits)
                throw new ArgumentException($"{op}: all input shapes must match except on the concatenation axis {a}; received shapes {ShapeUtil.Format(first)} and {ShapeUtil.Format(s)} (xs[{i}]).", nameof(xs));
            inners[i] = outer == 0 ? 0 : xs[i].Size / Math.Max(outer, 1);
            total += inners[i];
            axisLength += s[a];
        }
        var device = OpCheck.SameDevice(op, xs);
        var outShape = (int[])first.Clone();
        outShape[a] = axisLength;
        var y = Tensor.Rent(device, outShape, zeroed: false);
        device.Concat(xs.Select(t => t.Storage).ToArray(), y.Storage, outer, inners);
        var inputs = xs.ToArray();
        GradientTape.Record(y, inputs, (dy, needs) =>
        {
            var g = new Tensor?[inputs.Length];
            for (int i = 0, offset = 0; i < inputs.Length; offset += inners[i], i++)
            {
                if (!needs[i]) continue;
                g[i] = OpCheck.Like(inputs[i]);
                device.SliceColumns(dy.Storage, g[i]!.Storage, outer, total, offset, inners[i]);
            }
            return g;
        }, saved: []);
        return y;
    }

    /// <summary>Permutes axes: output axis d is input axis perm[d] (<c>keras.ops.transpose(x, axes)</c>).</summary>
    public static Tensor Transpose(Tensor x, params int[] perm)
    {
        const string op = "Transpose";
        OpCheck.NotNull(op, "x", x);
        OpCheck.NotNull(op, "perm", perm);
        if (perm.Length != x.Rank || perm.OrderBy(p => p).Where((p, i) => p != i).Any())
            throw new ArgumentException($"{op}: `perm` must be a permutation of 0..{x.Rank - 1}; received perm=[{string.Join(", ", perm)}] for shape {ShapeUtil.Format(x.ShapeSpan)}.", nameof(perm));
        var shape = x.Shape;
        var outShape = perm.Select(p => shape[p]).ToArray();
        var inverse = new int[perm.Length];
        for (int d = 0; d < perm.Length; d++) inverse[perm[d]] = d;
        var y = Tensor.Rent(x.Device, outShape, zeroed: false);
        x.Device.Transpose(x.Storage, y.Storage, shape, perm);
        GradientTape.Record(y, [x], (dy, needs) =>
        {
            var dx = OpCheck.Like(x);
            x.Device.Transpose(dy.Storage, dx.Storage, outShape, inverse);
            return [dx];
        }, saved: []);
        return y;
    }

    /// <summary>(batch, features) → (batch, n, features), each row repeated n times (Keras's <c>RepeatVector</c>).</summary>
    public static Tensor RepeatVector(Tensor x, int n)
    {
        const string op = "RepeatVector";
        OpCheck.Rank(op, "x", x, 2, "(batch, features)");
        OpCheck.Positive(op, "n", n);
        int batch = x.Dim(0), features = x.Dim(1);
        var y = Tensor.Rent(x.Device, [batch, n, features], zeroed: false);
        x.Device.BroadcastReduced(x.Storage, y.Storage, batch, n, features, 1f);
        GradientTape.Record(y, [x], (dy, needs) =>
        {
            var dx = OpCheck.Like(x);
            x.Device.ReduceSum(dy.Storage, dx.Storage, batch, n, features, 1);
            return [dx];
        }, saved: []);
        return y;
    }

    /// <summary>x·scale + offset with scalar scale and offset (Keras's <c>Rescaling</c>).</summary>
    public static Tensor ScaleOffset(Tensor x, float scale, float offset)
    {
        OpCheck.NotNull("ScaleOffset", "x", x);
        var y = OpCheck.Like(x);
        x.Device.AffineScalar(x.Storage, y.Storage, scale, offset);
        GradientTape.Record(y, [x], (dy, needs) =>
        {
            var dx = OpCheck.Like(x);
            x.Device.Scale(dy.Storage, scale, dx.Storage);
            return [dx];
        }, saved: []);
        return y;
    }

    /// <summary>
    /// Keras 3's Normalization along <paramref name="axis"/>: (x − mean)/max(√variance, ε), or its inverse
    /// mean + x·max(√variance, ε); mean and variance have one value per entry of that axis (or one value when
    /// <paramref name="axis"/> is null). Gradients flow to x only (the statistics are constants).
    /// </summary>
    public static Tensor Normalize(Tensor x, Tensor mean, Tensor variance, int? axis, float epsilon = 1e-7f, bool invert = false)
    {
        const string op = "Normalize";
        OpCheck.NotNull(op, "x", x);
        OpCheck.NotNull(op, "mean", mean);
        OpCheck.NotNull(op, "variance", variance);
        OpCheck.SameDevice(op, x, mean, variance);
        int outer = 1, channels = 1, inner = x.Size;
        if (axis is { } ax)
        {
            int a = ShapeUtil.NormalizeAxis(ax, x.Rank, nameof(axis));
            channels = x.Dim(a);
            outer = 1;
            for (int d = 0; d < a; d++) outer *= x.Dim(d);
            inner = 1;
            for (int d = a + 1; d < x.Rank; d++) inner *= x.Dim(d);
        }
        if (mean.Size != channels || variance.Size != channels)
            throw new ArgumentException($"{op}: expected `mean` and `variance` with {channels} value(s) for input shape {ShapeUtil.Format(x.ShapeSpan)} and axis={axis?.ToString() ?? "None"}; received {mean.Size} and {variance.Size}.", nameof(mean));
        var y = OpCheck.Like(x);
        x.Device.AxisNormalize(x.Storage, mean.Storage, variance.Storage, y.Storage, outer, channels, inner, epsilon, invert);
        GradientTape.Record(y, [x], (dy, needs) =>
        {
            var dx = OpCheck.Like(x);
            x.Device.AxisNormalizeGrad(dy.Storage, variance.Storage, dx.Storage, outer, channels, inner, epsilon, invert);
            return [dx];
        }, saved: [variance]);
        return y;
    }

    /// <summary>
    /// x repeated along its axes of length 1 up to <paramref name="shape"/> (same rank; NumPy's broadcast_to of
    /// equal ranks). One device call per broadcast axis; the gradient sums over those axes.
    /// </summary>
    public static Tensor BroadcastTo(Tensor x, params int[] shape)
    {
        const string op = "BroadcastTo";
        OpCheck.NotNull(op, "x", x);
        OpCheck.NotNull(op, "shape", shape);
        if (shape.Length != x.Rank || shape.Where((d, i) => x.Dim(i) != d && x.Dim(i) != 1).Any())
            throw new ArgumentException($"{op}: cannot broadcast shape {ShapeUtil.Format(x.ShapeSpan)} to {ShapeUtil.Format(shape)}; each axis must be equal or 1 in `x`, with the same rank.", nameof(shape));
        var y = x;
        for (int a = 0; a < shape.Length; a++)
            if (y.Dim(a) != shape[a]) y = BroadcastAxis(y, a, shape[a]);
        return y;
    }

    private static Tensor BroadcastAxis(Tensor x, int axis, int n)
    {
        var shape = x.Shape;
        int outer = 1, inner = 1;
        for (int d = 0; d < axis; d++) outer *= shape[d];
        for (int d = axis + 1; d < shape.Length; d++) inner *= shape[d];
        var outShape = (int[])shape.Clone();
        outShape[axis] = n;
        var y = Tensor.Rent(x.Device, outShape, zeroed: false);
        x.Device.BroadcastReduced(x.Storage, y.Storage, outer, n, inner, 1f);
        GradientTape.Record(y, [x], (dy, needs) =>
        {
            var dx = OpCheck.Like(x);
            x.Device.ReduceSum(dy.Storage, dx.Storage, outer, n, inner, 1);
            return [dx];
        }, saved: []);
        return y;
    }
}
