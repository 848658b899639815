using ResNetKeras.Engine;
using ResNetKeras.Kernels;

namespace ResNetKeras.Ops;

public static partial class Op
{
    /// <summary>a / b element-wise for same-shaped tensors (<c>keras.ops.divide</c> without broadcasting).</summary>
    public static Tensor Divide(Tensor a, Tensor b) => Binary("Divide", BinaryKind.Divide, a, b);

    /// <summary>
    /// Keras 3's <c>keras.ops.normalize(x, axis, order=2)</c>: x·min(1/√Σx², 1/ε) along <paramref name="axis"/>, i.e.
    /// x/max(‖x‖₂, ε) with ε = <paramref name="epsilon"/> (Keras's <c>backend.epsilon()</c> by default), so a zero
    /// vector stays zero. Differentiable.
    /// </summary>
    public static Tensor L2Normalize(Tensor x, int axis = -1, float epsilon = Epsilon)
    {
        const string op = "L2Normalize";
        OpCheck.NotNull(op, "x", x);
        if (x.Rank < 1) throw new ArgumentException($"{op}: expected a tensor of rank >= 1; received a scalar.", nameof(x));
        if (!(epsilon > 0) || float.IsInfinity(epsilon))
            throw new ArgumentException($"{op}: expected a positive finite `epsilon`; received epsilon={epsilon}.", nameof(epsilon));
        return AlongAxis(op, x, axis, t => L2NormalizeLastAxis(t, epsilon));
    }

    private static Tensor L2NormalizeLastAxis(Tensor x, float epsilon)
    {
        int k = x.Dim(-1);
        var y = OpCheck.Like(x);
        x.Device.L2NormalizeRows(x.Storage, y.Storage, k, epsilon);
        GradientTape.Record(y, [x], (dy, needs) =>
        {
            var dx = OpCheck.Like(x);
            x.Device.L2NormalizeRowsGrad(x.Storage, dy.Storage, dx.Storage, k, epsilon);
            return [dx];
        }, saved: [x]);
        return y;
    }
}
