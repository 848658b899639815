using ResNetKeras.Engine;

namespace ResNetKeras.Ops;

public static partial class Op
{
    /// <summary>Mean of all elements, a 0-d tensor (<c>tf.reduce_mean</c>; summed in double on the device).</summary>
    public static Tensor Mean(Tensor x)
    {
        OpCheck.NotNull("Mean", "x", x);
        return ReduceAll(x, divisor: x.Size);
    }

    /// <summary>Sum of all elements, a 0-d tensor (<c>tf.reduce_sum</c>).</summary>
    public static Tensor Sum(Tensor x)
    {
        OpCheck.NotNull("Sum", "x", x);
        return ReduceAll(x, divisor: 1);
    }

    /// <summary>Sum over <paramref name="axis"/> (negative counts from the end), dropping it unless <paramref name="keepDims"/> (<c>tf.reduce_sum(x, axis)</c>).</summary>
    public static Tensor Sum(Tensor x, int axis, bool keepDims = false) => ReduceAxis("Sum", x, axis, keepDims, mean: false);

    /// <summary>Mean over <paramref name="axis"/> (<c>tf.reduce_mean(x, axis)</c>).</summary>
    public static Tensor Mean(Tensor x, int axis, bool keepDims = false) => ReduceAxis("Mean", x, axis, keepDims, mean: true);

    private static Tensor ReduceAll(Tensor x, int divisor)
    {
        var device = x.Device;
        var y = Tensor.Rent(device, [], zeroed: false);
        // An empty mean is NaN, as in NumPy and TensorFlow (0/0).
        device.ReduceSum(x.Storage, y.Storage, 1, x.Size, 1, divisor);
        GradientTape.Record(y, [x], (dy, needs) =>
        {
            var dx = OpCheck.Like(x);
            device.BroadcastReduced(dy.Storage, dx.Storage, 1, x.Size, 1, divisor);
            return [dx];
        }, saved: []);
        return y;
    }

    private static Tensor ReduceAxis(string op, Tensor x, int axis, bool keepDims, bool mean)
    {
        OpCheck.NotNull(op, "x", x);
        int a = ShapeUtil.NormalizeAxis(axis, x.Rank, nameof(axis));
        var shape = x.Shape;
        int outer = 1, inner = 1, reduced = shape[a];
        for (int i = 0; i < a; i++) outer *= shape[i];
        for (int i = a + 1; i < shape.Length; i++) inner *= shape[i];
        var outShape = keepDims ? shape.Select((d, i) => i == a ? 1 : d).ToArray() : shape.Where((_, i) => i != a).ToArray();
        var device = x.Device;
        var y = Tensor.Rent(device, outShape, zeroed: false);
        device.ReduceSum(x.Storage, y.Storage, outer, reduced, inner, mean ? reduced : 1);
        GradientTape.Record(y, [x], (dy, needs) =>
        {
            var dx = OpCheck.Like(x);
            device.BroadcastReduced(dy.Storage, dx.Storage, outer, reduced, inner, mean ? reduced : 1);
            return [dx];
        }, saved: []);
        return y;
    }

    /// <summary>Keras's L2 regularization penalty l·Σw² (no ½), a 0-d tensor; gradient 2·l·w.</summary>
    public static Tensor L2Penalty(Tensor w, float l)
    {
        OpCheck.NotNull("L2Penalty", "w", w);
        var device = w.Device;
        var y = Tensor.Rent(device, [], zeroed: false);
        device.SumOfSquares(w.Storage, y.Storage, l);
        GradientTape.Record(y, [w], (dy, needs) =>
        {
            var g = OpCheck.Like(w);
            device.ScaleByScalar(w.Storage, dy.Storage, 2f * l, g.Storage);
            return [g];
        }, saved: [w]);
        return y;
    }
}
