using ResNetKeras.Engine;

namespace ResNetKeras.Ops;

public static partial class Op
{
    /// <summary>
    /// Training-mode batch normalization over every axis but the last (Keras's BatchNormalization in
    /// <c>fit</c>): y = γ·(x − μ_B)/√(σ²_B + ε) + β with the batch mean and biased variance; gradients
    /// flow through μ_B and σ²_B. <paramref name="gamma"/>/<paramref name="beta"/> may be null (scale/center off).
    /// When <paramref name="movingMean"/> and <paramref name="movingVariance"/> are given, the same device call updates
    /// them in place (not differentiated) with <paramref name="momentum"/>: with <paramref name="besselCorrection"/>
    /// (Keras's fused path, every 4-D input) moving ← (1−f)·moving + f·batch with the variance scaled by m/(m−1),
    /// f = 1 − momentum; without, moving ← moving − (moving − batch)·f with the biased variance.
    /// With <paramref name="relu"/>, returns max(y, 0) computed in the same pass, and its gradient is masked inside the
    /// batch-norm gradient kernel: the values of <c>Relu(BatchNormTraining(...))</c> with one buffer less.
    /// </summary>
    public static Tensor BatchNormTraining(Tensor x, Tensor? gamma, Tensor? beta, float epsilon, Tensor? movingMean = null, Tensor? movingVariance = null,
        float momentum = 0.99f, bool besselCorrection = true, bool relu = false)
    {
        const string op = "BatchNormTraining";
        int c = CheckNorm(op, x, gamma, beta);
        if ((movingMean is null) != (movingVariance is null))
            throw new ArgumentException($"{op}: pass both `movingMean` and `movingVariance` or neither.", movingMean is null ? nameof(movingMean) : nameof(movingVariance));
        if (movingMean is not null) CheckChannels(op, "movingMean", movingMean, c);
        if (movingVariance is not null) CheckChannels(op, "movingVariance", movingVariance, c);
        var device = OpCheck.SameDevice(op, x, gamma, beta, movingMean, movingVariance);
        var mean = device.Allocate(c);
        var invStd = device.Allocate(c);
        var y = OpCheck.Like(x);
        device.BatchNormTrainingForward(x.Storage, gamma?.Storage, beta?.Storage, y.Storage, mean, invStd,
            movingMean?.Storage, movingVariance?.Storage, c, epsilon, momentum, besselCorrection, relu);
        GradientTape.Record(y, NormInputs(x, gamma, beta), (dy, needs) =>
        {
            var dx = needs[0] ? OpCheck.Like(x) : null;
            var dgamma = Tensor.Rent(device, [c], zeroed: false);
            var dbeta = Tensor.Rent(device, [c], zeroed: false);
            device.BatchNormTrainingBackward(x.Storage, dy.Storage, relu ? y.Storage : null, gamma?.Storage, mean, invStd,
                dx?.Storage, dgamma.Storage, dbeta.Storage, c);
            return NormGradients(dx, gamma, beta, dgamma, dbeta);
        }, saved: NormSaved(x, gamma, relu ? y : null));
        return y;
    }

    /// <summary>
    /// Inference-mode batch normalization with the moving statistics (Keras's BatchNormalization in
    /// <c>evaluate</c>/<c>predict</c>): y = γ·(x − moving_mean)/√(moving_variance + ε) + β; max(y, 0) in the same pass
    /// with <paramref name="relu"/>.
    /// </summary>
    public static Tensor BatchNormInference(Tensor x, Tensor? gamma, Tensor? beta, Tensor movingMean, Tensor movingVariance, float epsilon, bool relu = false)
    {
        const string op = "BatchNormInference";
        int c = CheckNorm(op, x, gamma, beta);
        CheckChannels(op, "movingMean", movingMean, c);
        CheckChannels(op, "movingVariance", movingVariance, c);
        var device = OpCheck.SameDevice(op, x, gamma, beta, movingMean, movingVariance);
        var y = OpCheck.Like(x);
        device.BatchNormInferenceForward(x.Storage, gamma?.Storage, beta?.Storage, movingMean.Storage, movingVariance.Storage, y.Storage, c, epsilon, relu);
        GradientTape.Record(y, NormInputs(x, gamma, beta), (dy, needs) =>
        {
            var dx = needs[0] ? OpCheck.Like(x) : null;
            var dgamma = Tensor.Rent(device, [c], zeroed: false);
            var dbeta = Tensor.Rent(device, [c], zeroed: false);
            device.BatchNormInferenceBackward(x.Storage, dy.Storage, relu ? y.Storage : null, gamma?.Storage, movingMean.Storage, movingVariance.Storage,
                dx?.Storage, dgamma.Storage, dbeta.Storage, c, epsilon);
            return NormGradients(dx, gamma, beta, dgamma, dbeta);
        }, saved: NormSaved(x, gamma, relu ? y : null));
        return y;
    }

    /// <summary>The recorded inputs: x, then gamma and beta when present (both norms share this order).</summary>
    private static Tensor[] NormInputs(Tensor x, Tensor? gamma, Tensor? beta) =>
        gamma is null ? (beta is null ? [x] : [x, beta]) : (beta is null ? [x, gamma] : [x, gamma, beta]);

    /// <summary>What both backward functions read: x, γ when present, the output when a ReLU is fused (the statistics are private storages).</summary>
    private static Tensor[] NormSaved(Tensor x, Tensor? gamma, Tensor? reluOutput) =>
        new[] { x, gamma, reluOutput }.Where(t => t is not null).ToArray()!;

    /// <summary>Gradients aligned with <see cref="NormInputs"/>: dgamma = Σ dy·x̂, dbeta = Σ dy.</summary>
    private static Tensor?[] NormGradients(Tensor? dx, Tensor? gamma, Tensor? beta, Tensor dgamma, Tensor dbeta)
    {
        var grads = new List<Tensor?> { dx };
        if (gamma is not null) grads.Add(dgamma);
        if (beta is not null) grads.Add(dbeta);
        return grads.ToArray();
    }

    private static int CheckNorm(string op, Tensor x, Tensor? gamma, Tensor? beta)
    {
        OpCheck.NotNull(op, "x", x);
        if (x.Rank < 2)
            throw new ArgumentException($"{op}: expected `x` of rank >= 2 (batch, ..., channels); received shape {ShapeUtil.Format(x.ShapeSpan)}.", nameof(x));
        int c = x.Dim(-1);
        if (gamma is not null) CheckChannels(op, "gamma", gamma, c);
        if (beta is not null) CheckChannels(op, "beta", beta, c);
        return c;
    }

    private static void CheckChannels(string op, string param, Tensor t, int c)
    {
        if (t.Rank != 1 || t.Dim(0) != c)
            throw new ArgumentException($"{op}: expected `{param}` of shape ({c},) to match the last axis of x; received shape {ShapeUtil.Format(t.ShapeSpan)}.", param);
    }
}
