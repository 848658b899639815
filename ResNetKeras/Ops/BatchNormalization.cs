using ResNetKeras.Engine;
using ResNetKeras.Kernels;

namespace ResNetKeras.Ops;

public static partial class Op
{
    /// <summary>
    /// Training-mode batch normalization over every axis but the last (Keras's BatchNormalization in
    /// <c>fit</c>): y = γ·(x − μ_B)/√(σ²_B + ε) + β with the batch mean and biased variance; gradients
    /// flow through μ_B and σ²_B. <paramref name="gamma"/>/<paramref name="beta"/> may be null (scale/center off).
    /// With <paramref name="relu"/>, returns max(y, 0) computed in the same pass, and its gradient is masked inside the
    /// batch-norm gradient kernels: the values of <c>Relu(BatchNormTraining(...))</c> with two passes and one buffer less.
    /// </summary>
    public static Tensor BatchNormTraining(Tensor x, Tensor? gamma, Tensor? beta, float epsilon, out float[] batchMean, out float[] batchVariance, bool relu = false)
    {
        const string op = "BatchNormTraining";
        int c = CheckNorm(op, x, gamma, beta);
        int rows = c == 0 ? 0 : x.Size / c;
        var mean = new float[c];
        var variance = new float[c];
        var k = Backend.Current;
        k.ChannelMoments(x.Data, c, mean, variance);
        var (invStd, scale, shift) = AffineParameters(variance, gamma, beta, epsilon);
        var y = OpCheck.Like(x);
        k.ChannelAffine(x.Data, mean, scale, shift, y.Data, c, relu);
        batchMean = mean;
        batchVariance = variance;
        GradientTape.Record(y, NormInputs(x, gamma, beta), (dy, needs) =>
        {
            var sumDy = new float[c];
            var sumDyXhat = new float[c];
            var mask = relu ? y.Data : null;
            Backend.Current.BatchNormReductions(x.Data, dy.Data, mask, mean, invStd, c, sumDy, sumDyXhat);
            Tensor? dx = null;
            if (needs[0])
            {
                dx = OpCheck.Like(x);
                var g = gamma?.Data ?? Ones(c);
                Backend.Current.BatchNormBackwardData(x.Data, dy.Data, mask, mean, invStd, g, sumDy, sumDyXhat, c, dx.Data);
            }
            return NormGradients(dx, gamma, beta, sumDyXhat, sumDy);
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
        var (invStd, scale, shift) = AffineParameters(movingVariance.Data, gamma, beta, epsilon);
        var mean = (float[])movingMean.Data.Clone();
        var y = OpCheck.Like(x);
        Backend.Current.ChannelAffine(x.Data, mean, scale, shift, y.Data, c, relu);
        GradientTape.Record(y, NormInputs(x, gamma, beta), (dy, needs) =>
        {
            if (relu)
            {
                var masked = OpCheck.Like(dy);
                Backend.Current.UnaryGrad(UnaryKind.Relu, y.Data, dy.Data, masked.Data);
                dy = masked;
            }
            var sumDy = new float[c];
            var sumDyXhat = new float[c];
            Backend.Current.BatchNormReductions(x.Data, dy.Data, null, mean, invStd, c, sumDy, sumDyXhat);
            Tensor? dx = null;
            if (needs[0])
            {
                dx = OpCheck.Like(x);
                Backend.Current.ChannelAffine(dy.Data, new float[c], scale, new float[c], dx.Data, c, relu: false);
            }
            return NormGradients(dx, gamma, beta, sumDyXhat, sumDy);
        }, saved: NormSaved(x, gamma, relu ? y : null));
        return y;
    }

    /// <summary>
    /// Updates moving statistics in place from one training batch (not differentiated).
    /// With <paramref name="besselCorrection"/> (Keras's fused path, every 4-D input):
    /// moving ← (1−f)·moving + f·batch with the variance scaled by count/(count−1), f = 1 − momentum.
    /// Without (rank ≠ 4): moving ← moving − (moving − batch)·f with the biased variance.
    /// </summary>
    public static void UpdateMovingStatistics(Tensor movingMean, Tensor movingVariance, float[] batchMean, float[] batchVariance, float momentum, int count, bool besselCorrection)
    {
        const string op = "UpdateMovingStatistics";
        OpCheck.NotNull(op, "movingMean", movingMean);
        OpCheck.NotNull(op, "movingVariance", movingVariance);
        int c = movingMean.Size;
        if (movingVariance.Size != c || batchMean.Length != c || batchVariance.Length != c)
            throw new ArgumentException($"{op}: expected {c} channels in every statistic; received moving variance {movingVariance.Size}, batch mean {batchMean.Length}, batch variance {batchVariance.Length}.");
        float f = 1f - momentum;
        float correction = besselCorrection && count > 1 ? (float)count / (count - 1) : 1f;
        for (int i = 0; i < c; i++)
        {
            if (besselCorrection)
            {
                movingMean.Data[i] = (1f - f) * movingMean.Data[i] + f * batchMean[i];
                movingVariance.Data[i] = (1f - f) * movingVariance.Data[i] + f * batchVariance[i] * correction;
            }
            else
            {
                movingMean.Data[i] -= (movingMean.Data[i] - batchMean[i]) * f;
                movingVariance.Data[i] -= (movingVariance.Data[i] - batchVariance[i]) * f;
            }
        }
    }

    /// <summary>Per channel: 1/√(σ² + ε), the scale γ/√(σ² + ε) and the shift β (γ = 1, β = 0 when absent).</summary>
    private static (float[] InvStd, float[] Scale, float[] Shift) AffineParameters(float[] variance, Tensor? gamma, Tensor? beta, float epsilon)
    {
        int c = variance.Length;
        var invStd = new float[c];
        var scale = new float[c];
        var shift = new float[c];
        for (int i = 0; i < c; i++)
        {
            invStd[i] = 1f / MathF.Sqrt(variance[i] + epsilon);
            scale[i] = (gamma?.Data[i] ?? 1f) * invStd[i];
            shift[i] = beta?.Data[i] ?? 0f;
        }
        return (invStd, scale, shift);
    }

    /// <summary>The recorded inputs: x, then gamma and beta when present (both norms share this order).</summary>
    private static Tensor[] NormInputs(Tensor x, Tensor? gamma, Tensor? beta) =>
        gamma is null ? (beta is null ? [x] : [x, beta]) : (beta is null ? [x, gamma] : [x, gamma, beta]);

    /// <summary>What both backward functions read: x, γ when present, the output when a ReLU is fused (the statistics are private arrays).</summary>
    private static Tensor[] NormSaved(Tensor x, Tensor? gamma, Tensor? reluOutput) =>
        new[] { x, gamma, reluOutput }.Where(t => t is not null).ToArray()!;

    /// <summary>Gradients aligned with <see cref="NormInputs"/>: dgamma = Σ dy·x̂, dbeta = Σ dy.</summary>
    private static Tensor?[] NormGradients(Tensor? dx, Tensor? gamma, Tensor? beta, float[] sumDyXhat, float[] sumDy)
    {
        var grads = new List<Tensor?> { dx };
        if (gamma is not null) grads.Add(new Tensor(sumDyXhat, sumDyXhat.Length));
        if (beta is not null) grads.Add(new Tensor(sumDy, sumDy.Length));
        return grads.ToArray();
    }

    private static float[] Ones(int c)
    {
        var a = new float[c];
        Array.Fill(a, 1f);
        return a;
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
