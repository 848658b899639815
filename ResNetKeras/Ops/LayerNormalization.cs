using ResNetKeras.Engine;

namespace ResNetKeras.Ops;

public static partial class Op
{
    /// <summary>
    /// Layer normalization over the trailing <paramref name="normalizedAxes"/> axes of <paramref name="x"/>
    /// (Keras's LayerNormalization: population variance, (x − μ)/√(var + ε)·gamma + beta); gamma and beta,
    /// when given, have as many elements as the normalized axes together.
    /// </summary>
    public static Tensor LayerNormalization(Tensor x, Tensor? gamma, Tensor? beta, float epsilon, int normalizedAxes = 1)
    {
        const string op = "LayerNormalization";
        OpCheck.NotNull(op, "x", x);
        if (normalizedAxes < 1 || normalizedAxes > x.Rank)
            throw new ArgumentException($"{op}: expected 1 <= normalizedAxes <= rank {x.Rank} of x of shape {ShapeUtil.Format(x.ShapeSpan)}; received normalizedAxes={normalizedAxes}.", nameof(normalizedAxes));
        if (!(epsilon > 0))
            throw new ArgumentException($"{op}: invalid value for argument `epsilon`. Expected a positive float. Received epsilon={epsilon}.", nameof(epsilon));
        int cols = 1;
        for (int i = x.Rank - normalizedAxes; i < x.Rank; i++) cols *= x.Dim(i);
        int rows = x.Size / cols;
        foreach (var (p, t) in new[] { ("gamma", gamma), ("beta", beta) })
            if (t is not null && t.Size != cols)
                throw new ArgumentException($"{op}: `{p}` of shape {ShapeUtil.Format(t.ShapeSpan)} does not match the normalized axes of x of shape {ShapeUtil.Format(x.ShapeSpan)} ({cols} elements).", p);
        var device = OpCheck.SameDevice(op, x, gamma, beta);
        var mean = device.Allocate(rows);
        var invStd = device.Allocate(rows);
        var y = OpCheck.Like(x);
        device.LayerNormForward(x.Storage, gamma?.Storage, beta?.Storage, y.Storage, mean, invStd, rows, cols, epsilon);
        Tensor[] inputs = gamma is null ? (beta is null ? [x] : [x, beta]) : (beta is null ? [x, gamma] : [x, gamma, beta]);
        GradientTape.Record(y, inputs, (dy, needs) =>
        {
            var dx = needs[0] ? OpCheck.Like(x) : null;
            int k = 1;
            Tensor? dgamma = null, dbeta = null;
            if (gamma is not null && needs[k++]) dgamma = OpCheck.Like(gamma);
            if (beta is not null && needs[k]) dbeta = OpCheck.Like(beta);
            device.LayerNormBackward(x.Storage, dy.Storage, gamma?.Storage, mean, invStd, dx?.Storage, dgamma?.Storage, dbeta?.Storage, rows, cols);
            var grads = new List<Tensor?> { dx };
            if (gamma is not null) grads.Add(dgamma);
            if (beta is not null) grads.Add(dbeta);
            return [.. grads];
        }, saved: gamma is null ? [x] : [x, gamma]);
        return y;
    }
}
