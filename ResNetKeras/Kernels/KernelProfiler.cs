using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using ResNetKeras.Devices.Cpu;

namespace ResNetKeras.Kernels;

/// <summary>
/// Time per kernel (forward and backward kernels are separate entries, e.g. Conv2DForward, Conv2DBackwardFilter):
/// enabling it wraps the CPU device's kernels in a timing decorator. For the benchmark's <c>--profile</c>.
/// </summary>
public static class KernelProfiler
{
    private static readonly ConcurrentDictionary<string, (long Ticks, long Calls)> Totals = new();
    private static IKernels? wrapped;

    /// <summary>Starts or stops timing.</summary>
    public static bool Enabled
    {
        get => wrapped is not null;
        set
        {
            if (value && wrapped is null)
            {
                wrapped = CpuDevice.Instance.Kernels;
                CpuDevice.Instance.Kernels = new Timing(wrapped);
            }
            else if (!value && wrapped is not null)
            {
                CpuDevice.Instance.Kernels = wrapped;
                wrapped = null;
            }
        }
    }

    /// <summary>Clears the totals.</summary>
    public static void Reset() => Totals.Clear();

    /// <summary>One line per kernel, slowest first: total ms, calls, share.</summary>
    public static string Report()
    {
        var rows = Totals.OrderByDescending(kv => kv.Value.Ticks).ToList();
        double all = rows.Sum(r => r.Value.Ticks);
        var sb = new StringBuilder("kernel                     total_ms   calls   share\n");
        foreach (var (name, (ticks, calls)) in rows)
            sb.AppendLine($"{name,-24} {ticks * 1000.0 / Stopwatch.Frequency,10:F1} {calls,7} {100 * ticks / Math.Max(1, all),6:F1}%");
        return sb.ToString();
    }

    private static void Add(string name, long start)
    {
        long dt = Stopwatch.GetTimestamp() - start;
        Totals.AddOrUpdate(name, (dt, 1), (_, v) => (v.Ticks + dt, v.Calls + 1));
    }

    private sealed class Timing(IKernels inner) : IKernels
    {
        private static T Time<T>(string name, Func<T> f) { long t = Stopwatch.GetTimestamp(); var r = f(); Add(name, t); return r; }
        private static void Time(string name, Action f) { long t = Stopwatch.GetTimestamp(); f(); Add(name, t); }

        public void Conv2DForward(float[] x, float[] w, float[]? bias, float[] y, in ConvGeometry g) { var h = g; Time(nameof(Conv2DForward), () => inner.Conv2DForward(x, w, bias, y, h)); }
        public void Conv2DBackwardData(float[] dy, float[] w, float[] dx, in ConvGeometry g) { var h = g; Time(nameof(Conv2DBackwardData), () => inner.Conv2DBackwardData(dy, w, dx, h)); }
        public void Conv2DBackwardFilter(float[] x, float[] dy, float[] dw, in ConvGeometry g) { var h = g; Time(nameof(Conv2DBackwardFilter), () => inner.Conv2DBackwardFilter(x, dy, dw, h)); }
        public void Gemm(bool ta, bool tb, int m, int n, int k, float[] a, float[] b, float[] c) => Time(nameof(Gemm), () => inner.Gemm(ta, tb, m, n, k, a, b, c));
        public void BiasAdd(float[] x, float[] bias, float[] y, int c) => Time(nameof(BiasAdd), () => inner.BiasAdd(x, bias, y, c));
        public void ColumnSum(float[] dy, float[] db, int c) => Time(nameof(ColumnSum), () => inner.ColumnSum(dy, db, c));
        public void ChannelMoments(float[] x, int c, float[] mean, float[] variance) => Time(nameof(ChannelMoments), () => inner.ChannelMoments(x, c, mean, variance));
        public void ChannelAffine(float[] x, float[] mean, float[] scale, float[] shift, float[] y, int c, bool relu) =>
            Time(relu ? "ChannelAffineRelu" : nameof(ChannelAffine), () => inner.ChannelAffine(x, mean, scale, shift, y, c, relu));
        public void BatchNormReductions(float[] x, float[] dy, float[]? reluOutput, float[] mean, float[] invStd, int c, float[] sumDy, float[] sumDyXhat) =>
            Time(reluOutput is null ? nameof(BatchNormReductions) : "BatchNormReluReductions", () => inner.BatchNormReductions(x, dy, reluOutput, mean, invStd, c, sumDy, sumDyXhat));
        public void BatchNormBackwardData(float[] x, float[] dy, float[]? reluOutput, float[] mean, float[] invStd, float[] gamma, float[] sumDy, float[] sumDyXhat, int c, float[] dx) =>
            Time(reluOutput is null ? nameof(BatchNormBackwardData) : "BatchNormReluBackwardData", () => inner.BatchNormBackwardData(x, dy, reluOutput, mean, invStd, gamma, sumDy, sumDyXhat, c, dx));
        public void Unary(UnaryKind kind, float[] x, float[] y) => Time(kind + "Forward", () => inner.Unary(kind, x, y));
        public void UnaryGrad(UnaryKind kind, float[] y, float[] dy, float[] dx) => Time(kind + "Backward", () => inner.UnaryGrad(kind, y, dy, dx));
        public void Softmax(float[] x, float[] y, int classes) => Time(nameof(Softmax), () => inner.Softmax(x, y, classes));
        public void AddN(IReadOnlyList<float[]> xs, float[] y, bool relu) => Time(relu ? "AddNRelu" : nameof(AddN), () => inner.AddN(xs, y, relu));
        public void Scale(float[] x, float a, float[] y) => Time(nameof(Scale), () => inner.Scale(x, a, y));
        public void Pool2DForward(bool max, float[] x, float[] y, in ConvGeometry g) { var h = g; Time(nameof(Pool2DForward), () => inner.Pool2DForward(max, x, y, h)); }
        public void Pool2DBackward(bool max, float[] x, float[] dy, float[] dx, in ConvGeometry g) { var h = g; Time(nameof(Pool2DBackward), () => inner.Pool2DBackward(max, x, dy, dx, h)); }
        public void Multiply(float[] x, float[] m, float[] y) => Time(nameof(Multiply), () => inner.Multiply(x, m, y));
        public void ZeroPad2D(float[] x, float[] y, int n, int h, int w, int c, int top, int bottom, int left, int right) => Time(nameof(ZeroPad2D), () => inner.ZeroPad2D(x, y, n, h, w, c, top, bottom, left, right));
        public void Crop2D(float[] y, float[] x, int n, int h, int w, int c, int top, int bottom, int left, int right) => Time(nameof(Crop2D), () => inner.Crop2D(y, x, n, h, w, c, top, bottom, left, right));
        public void BatchNormTrainingForward(float[] x, float[]? gamma, float[]? beta, float[] y, float[] saveMean, float[] saveInvStd, float[]? movingMean, float[]? movingVariance, int c, float eps, float momentum, bool bessel, bool relu) =>
            Time(relu ? "BatchNormReluTrainingForward" : nameof(BatchNormTrainingForward), () => inner.BatchNormTrainingForward(x, gamma, beta, y, saveMean, saveInvStd, movingMean, movingVariance, c, eps, momentum, bessel, relu));
        public void BatchNormTrainingBackward(float[] x, float[] dy, float[]? reluOutput, float[]? gamma, float[] saveMean, float[] saveInvStd, float[]? dx, float[] dgamma, float[] dbeta, int c) =>
            Time(reluOutput is null ? nameof(BatchNormTrainingBackward) : "BatchNormReluTrainingBackward", () => inner.BatchNormTrainingBackward(x, dy, reluOutput, gamma, saveMean, saveInvStd, dx, dgamma, dbeta, c));
        public void BatchNormInferenceForward(float[] x, float[]? gamma, float[]? beta, float[] mm, float[] mv, float[] y, int c, float eps, bool relu) =>
            Time(nameof(BatchNormInferenceForward), () => inner.BatchNormInferenceForward(x, gamma, beta, mm, mv, y, c, eps, relu));
        public void BatchNormInferenceBackward(float[] x, float[] dy, float[]? reluOutput, float[]? gamma, float[] mm, float[] mv, float[]? dx, float[] dgamma, float[] dbeta, int c, float eps) =>
            Time(nameof(BatchNormInferenceBackward), () => inner.BatchNormInferenceBackward(x, dy, reluOutput, gamma, mm, mv, dx, dgamma, dbeta, c, eps));
        public void SoftmaxBackward(float[] y, float[] dy, float[] dx, int classes) => Time(nameof(SoftmaxBackward), () => inner.SoftmaxBackward(y, dy, dx, classes));
        public void CrossEntropyForward(CrossEntropyKind kind, float[] p, float[] labels, float[] loss, int classes) => Time(nameof(CrossEntropyForward), () => inner.CrossEntropyForward(kind, p, labels, loss, classes));
        public void CrossEntropyBackward(CrossEntropyKind kind, float[] p, float[] labels, float[] dl, float[] dp, int classes) => Time(nameof(CrossEntropyBackward), () => inner.CrossEntropyBackward(kind, p, labels, dl, dp, classes));
        public void ReduceSum(float[] x, float[] y, int outer, int reduced, int inner2, double divisor) => Time(nameof(ReduceSum), () => inner.ReduceSum(x, y, outer, reduced, inner2, divisor));
        public void BroadcastReduced(float[] s, float[] y, int outer, int reduced, int inner2, float divisor) => Time(nameof(BroadcastReduced), () => inner.BroadcastReduced(s, y, outer, reduced, inner2, divisor));
        public void SumOfSquares(float[] x, float[] y, float scale) => Time(nameof(SumOfSquares), () => inner.SumOfSquares(x, y, scale));
        public void ScaleByScalar(float[] x, float[] s, float a, float[] y) => Time(nameof(ScaleByScalar), () => inner.ScaleByScalar(x, s, a, y));
        public void DropoutMask(float[] mask, float rate, ulong seed) => Time(nameof(DropoutMask), () => inner.DropoutMask(mask, rate, seed));
        public void AdamUpdate(float[] v, float[] g, float[] m, float[] s, float[]? vhat, float alpha, float b1, float b2, float eps) => Time(nameof(AdamUpdate), () => inner.AdamUpdate(v, g, m, s, vhat, alpha, b1, b2, eps));
        public void SgdUpdate(float[] v, float[] g, float[]? velocity, float lr, float mu, bool nesterov) => Time(nameof(SgdUpdate), () => inner.SgdUpdate(v, g, velocity, lr, mu, nesterov));
        public void AssignAdd(float[] target, float[] value) => Time(nameof(AssignAdd), () => inner.AssignAdd(target, value));
        public void ArgMaxRows(float[] x, float[] y, int classes) => Time(nameof(ArgMaxRows), () => inner.ArgMaxRows(x, y, classes));
        public void DivideNoNan(float[] a, float[] b, float[] y) => Time(nameof(DivideNoNan), () => inner.DivideNoNan(a, b, y));
        public void ElementwiseLoss(ElementwiseLossKind kind, float[] t, float[] p, float[] v, float parameter) => Time(nameof(ElementwiseLoss), () => inner.ElementwiseLoss(kind, t, p, v, parameter));
        public void ElementwiseLossGrad(ElementwiseLossKind kind, float[] t, float[] p, float[] dv, float[] dp, float parameter) => Time(nameof(ElementwiseLossGrad), () => inner.ElementwiseLossGrad(kind, t, p, dv, dp, parameter));
        public void Matches(MatchKind kind, float[] p, float[] labels, float[] result, int classes, int k, float threshold) => Time(nameof(Matches), () => inner.Matches(kind, p, labels, result, classes, k, threshold));

        // optimizers (issue 17)
        public void RmspropUpdate(float[] variable, float[] gradient, float[] velocity, float[]? momentum, float[]? averageGradient, float learningRate, float rho, float oneMinusRho, float momentumCoefficient, float epsilon) => Time(nameof(RmspropUpdate), () => inner.RmspropUpdate(variable, gradient, velocity, momentum, averageGradient, learningRate, rho, oneMinusRho, momentumCoefficient, epsilon));
        public void AdagradUpdate(float[] variable, float[] gradient, float[] accumulator, float learningRate, float epsilon) => Time(nameof(AdagradUpdate), () => inner.AdagradUpdate(variable, gradient, accumulator, learningRate, epsilon));
        public void AdadeltaUpdate(float[] variable, float[] gradient, float[] accumulatedGrad, float[] accumulatedDeltaVar, float learningRate, float rho, float oneMinusRho, float epsilon) => Time(nameof(AdadeltaUpdate), () => inner.AdadeltaUpdate(variable, gradient, accumulatedGrad, accumulatedDeltaVar, learningRate, rho, oneMinusRho, epsilon));
        public void AdamaxUpdate(float[] variable, float[] gradient, float[] m, float[] u, float learningRate, float oneMinusBeta1, float beta2, float oneMinusBeta1Power, float epsilon) => Time(nameof(AdamaxUpdate), () => inner.AdamaxUpdate(variable, gradient, m, u, learningRate, oneMinusBeta1, beta2, oneMinusBeta1Power, epsilon));
        public void NadamUpdate(float[] variable, float[] gradient, float[] m, float[] v, float learningRate, float beta1, float beta2, float uT, float uT1, float uProductT, float uProductT1, float beta2Power, float epsilon) => Time(nameof(NadamUpdate), () => inner.NadamUpdate(variable, gradient, m, v, learningRate, beta1, beta2, uT, uT1, uProductT, uProductT1, beta2Power, epsilon));
        public void LionUpdate(float[] variable, float[] gradient, float[] m, float learningRate, float beta1, float beta2) => Time(nameof(LionUpdate), () => inner.LionUpdate(variable, gradient, m, learningRate, beta1, beta2));
        public void DecayWeights(float[] variable, float weightDecay, float learningRate) => Time(nameof(DecayWeights), () => inner.DecayWeights(variable, weightDecay, learningRate));
        public void ClipByNorm(float[] gradient, float[] clipped, float clipnorm) => Time(nameof(ClipByNorm), () => inner.ClipByNorm(gradient, clipped, clipnorm));
        public void ClipByValue(float[] gradient, float[] clipped, float clipvalue) => Time(nameof(ClipByValue), () => inner.ClipByValue(gradient, clipped, clipvalue));
        public void ScaleByGlobalNorm(float[] gradient, float[] squaredNorm, float clipnorm, float[] clipped) => Time(nameof(ScaleByGlobalNorm), () => inner.ScaleByGlobalNorm(gradient, squaredNorm, clipnorm, clipped));
        public void EmaUpdate(float[] average, float[] variable, float momentum) => Time(nameof(EmaUpdate), () => inner.EmaUpdate(average, variable, momentum));
    }
}
