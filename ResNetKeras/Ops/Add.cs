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
        var y = OpCheck.Like(xs[0]);
        var data = new float[xs.Count][];
        for (int i = 0; i < data.Length; i++) data[i] = xs[i].Data;
        Backend.Current.AddN(data, y.Data, relu);
        var inputs = xs.ToArray();
        GradientTape.Record(y, inputs, (dy, needs) =>
        {
            if (relu)
            {
                var masked = OpCheck.Like(dy);
                Backend.Current.UnaryGrad(UnaryKind.Relu, y.Data, dy.Data, masked.Data);
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
        Backend.Current.Scale(x.Data, s, y.Data);
        GradientTape.Record(y, [x], (dy, needs) =>
        {
            var dx = OpCheck.Like(x);
            Backend.Current.Scale(dy.Data, s, dx.Data);
            return [dx];
        }, saved: []);
        return y;
    }
}
