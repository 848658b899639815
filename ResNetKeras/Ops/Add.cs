using ResNetKeras.Engine;
using ResNetKeras.Kernels;

namespace ResNetKeras.Ops;

public static partial class Op
{
    /// <summary>
    /// Element-wise sum of same-shaped tensors (<c>tf.math.add_n</c>; Keras's <c>Add</c> layer). With
    /// <paramref name="relu"/>, max(sum, 0) in the same pass: the values of <c>Relu(AddN(xs))</c> (a residual join).
    /// </summary>
    public static Tensor AddN(IReadOnlyList<Tensor> xs, bool relu = false)
    {
        const string op = "AddN";
        OpCheck.NotNull(op, "xs", xs);
        if (xs.Count == 0) throw new ArgumentException($"{op}: expected at least one tensor in `xs`; received none.", nameof(xs));
        for (int i = 0; i < xs.Count; i++)
        {
            OpCheck.NotNull(op, $"xs[{i}]", xs[i]);
            OpCheck.SameShape(op, "xs[0]", xs[0], $"xs[{i}]", xs[i]);
        }
        var device = OpCheck.SameDevice(op, xs);
        var y = OpCheck.Like(xs[0]);
        var storages = new Devices.DeviceStorage[xs.Count];
        for (int i = 0; i < storages.Length; i++) storages[i] = xs[i].Storage;
        device.AddN(storages, y.Storage, relu);
        var inputs = xs.ToArray();
        GradientTape.Record(y, inputs, (dy, needs) =>
        {
            if (relu)
            {
                var masked = OpCheck.Like(dy);
                device.UnaryGrad(UnaryKind.Relu, y.Storage, dy.Storage, masked.Storage);
                dy = masked;
            }
            var g = new Tensor?[inputs.Length];
            for (int i = 0; i < g.Length; i++) g[i] = needs[i] ? dy : null;
            return g;
        }, saved: relu ? [y] : []);
        return y;
    }

    /// <summary>a + b for same-shaped tensors.</summary>
    public static Tensor Add(Tensor a, Tensor b) => AddN([a, b]);

    /// <summary>s·x.</summary>
    public static Tensor Scale(Tensor x, float s)
    {
        OpCheck.NotNull("Scale", "x", x);
        var y = OpCheck.Like(x);
        x.Device.Scale(x.Storage, s, y.Storage);
        GradientTape.Record(y, [x], (dy, needs) =>
        {
            var dx = OpCheck.Like(x);
            x.Device.Scale(dy.Storage, s, dx.Storage);
            return [dx];
        }, saved: []);
        return y;
    }
}
