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

        // ---- issue 17 layers: convolution variants, resizing, normalization, augmentation (kept together for merging) ----
        public void Conv2DGeneralForward(float[] x, float[] w, float[]? bias, float[] y, in ConvGeometry g, int dh, int dw, int groups) { var h = g; Time(nameof(Conv2DGeneralForward), () => inner.Conv2DGeneralForward(x, w, bias, y, h, dh, dw, groups)); }
        public void Conv2DGeneralBackwardData(float[] dy, float[] w, float[] dx, in ConvGeometry g, int dh, int dw, int groups) { var h = g; Time(nameof(Conv2DGeneralBackwardData), () => inner.Conv2DGeneralBackwardData(dy, w, dx, h, dh, dw, groups)); }
        public void Conv2DGeneralBackwardFilter(float[] x, float[] dy, float[] dwt, in ConvGeometry g, int dh, int dw, int groups) { var h = g; Time(nameof(Conv2DGeneralBackwardFilter), () => inner.Conv2DGeneralBackwardFilter(x, dy, dwt, h, dh, dw, groups)); }
        public void Resize2DForward(bool bilinear, float[] x, float[] y, int n, int h, int w, int c, int oh, int ow) => Time(nameof(Resize2DForward), () => inner.Resize2DForward(bilinear, x, y, n, h, w, c, oh, ow));
        public void Resize2DBackward(bool bilinear, float[] dy, float[] dx, int n, int h, int w, int c, int oh, int ow) => Time(nameof(Resize2DBackward), () => inner.Resize2DBackward(bilinear, dy, dx, n, h, w, c, oh, ow));
        public void LayerNormForward(float[] x, float[]? gamma, float[]? beta, float[] y, float[] mean, float[] invStd, int rows, int cols, float eps) => Time(nameof(LayerNormForward), () => inner.LayerNormForward(x, gamma, beta, y, mean, invStd, rows, cols, eps));
        public void LayerNormBackward(float[] x, float[] dy, float[]? gamma, float[] mean, float[] invStd, float[]? dx, float[]? dgamma, float[]? dbeta, int rows, int cols) => Time(nameof(LayerNormBackward), () => inner.LayerNormBackward(x, dy, gamma, mean, invStd, dx, dgamma, dbeta, rows, cols));
        public void ChannelMaskMultiply(float[] x, float[] mask, float[] y, int batch, int spatial, int channels) => Time(nameof(ChannelMaskMultiply), () => inner.ChannelMaskMultiply(x, mask, y, batch, spatial, channels));
        public void AffineTransform2DForward(float[] x, float[] t, float[] y, int n, int h, int w, int c, bool bilinear, AffineFillMode mode, float fill) => Time(nameof(AffineTransform2DForward), () => inner.AffineTransform2DForward(x, t, y, n, h, w, c, bilinear, mode, fill));
        public void AffineTransform2DBackward(float[] dy, float[] t, float[] dx, int n, int h, int w, int c, bool bilinear, AffineFillMode mode) => Time(nameof(AffineTransform2DBackward), () => inner.AffineTransform2DBackward(dy, t, dx, n, h, w, c, bilinear, mode));
        public void AdjustContrastForward(float[] x, float[] f, float[] y, int n, int spatial, int c, float lo, float hi) => Time(nameof(AdjustContrastForward), () => inner.AdjustContrastForward(x, f, y, n, spatial, c, lo, hi));
        public void AdjustContrastBackward(float[] x, float[] dy, float[] f, float[] dx, int n, int spatial, int c, float lo, float hi) => Time(nameof(AdjustContrastBackward), () => inner.AdjustContrastBackward(x, dy, f, dx, n, spatial, c, lo, hi));
        // ---- Activations, merge and shape layers (issue 17). ----
        public void Activation(UnaryKind kind, float[] x, float[] y, float alpha) => Time(kind + "Forward", () => inner.Activation(kind, x, y, alpha));
        public void ActivationGrad(UnaryKind kind, float[] saved, float[] dy, float[] dx, float alpha) => Time(kind + "Backward", () => inner.ActivationGrad(kind, saved, dy, dx, alpha));
        public void ClippedRelu(float[] x, float[] y, float s, float max, float t) => Time(nameof(ClippedRelu), () => inner.ClippedRelu(x, y, s, max, t));
        public void ClippedReluGrad(float[] x, float[] dy, float[] dx, float s, float max, float t) => Time(nameof(ClippedReluGrad), () => inner.ClippedReluGrad(x, dy, dx, s, max, t));
        public void PRelu(float[] x, float[] alpha, float[] y, int[] shape, int[] strides) => Time(nameof(PRelu), () => inner.PRelu(x, alpha, y, shape, strides));
        public void PReluGrad(float[] x, float[] alpha, float[] dy, float[]? dx, float[]? dalpha, int[] shape, int[] strides) => Time(nameof(PReluGrad), () => inner.PReluGrad(x, alpha, dy, dx, dalpha, shape, strides));
        public void LogSoftmax(float[] x, float[] y, int classes) => Time(nameof(LogSoftmax), () => inner.LogSoftmax(x, y, classes));
        public void LogSoftmaxBackward(float[] y, float[] dy, float[] dx, int classes) => Time(nameof(LogSoftmaxBackward), () => inner.LogSoftmaxBackward(y, dy, dx, classes));
        public void Binary(BinaryKind kind, float[] a, float[] b, float[] y) => Time(kind.ToString(), () => inner.Binary(kind, a, b, y));
        public void BinaryGrad(BinaryKind kind, float[] a, float[] b, float[] dy, float[]? da, float[]? db) => Time(kind + "Backward", () => inner.BinaryGrad(kind, a, b, dy, da, db));
        public void Concat(IReadOnlyList<float[]> xs, float[] y, int outer, int[] inners) => Time(nameof(Concat), () => inner.Concat(xs, y, outer, inners));
        public void SliceColumns(float[] y, float[] x, int outer, int total, int offset, int width) => Time(nameof(SliceColumns), () => inner.SliceColumns(y, x, outer, total, offset, width));
        public void Transpose(float[] x, float[] y, int[] shape, int[] perm) => Time(nameof(Transpose), () => inner.Transpose(x, y, shape, perm));
        public void AffineScalar(float[] x, float[] y, float scale, float offset) => Time(nameof(AffineScalar), () => inner.AffineScalar(x, y, scale, offset));
        public void AxisNormalize(float[] x, float[] mean, float[] variance, float[] y, int outer, int c, int inner2, float eps, bool invert) =>
            Time(nameof(AxisNormalize), () => inner.AxisNormalize(x, mean, variance, y, outer, c, inner2, eps, invert));
        public void AxisNormalizeGrad(float[] dy, float[] variance, float[] dx, int outer, int c, int inner2, float eps, bool invert) =>
            Time(nameof(AxisNormalizeGrad), () => inner.AxisNormalizeGrad(dy, variance, dx, outer, c, inner2, eps, invert));
        public void ConfusionUpdate(float[] t, float[] p, float[]? w, float[] th, float[] tp, float[] fp, float[] tn, float[] fn) => Time(nameof(ConfusionUpdate), () => inner.ConfusionUpdate(t, p, w, th, tp, fp, tn, fn));
        public void ClassConfusionUpdate(float[] t, float[] p, float[]? w, float[] m, int classes) => Time(nameof(ClassConfusionUpdate), () => inner.ClassConfusionUpdate(t, p, w, m, classes));
        public void MeanIoUResult(float[] m, float[] result, int classes) => Time(nameof(MeanIoUResult), () => inner.MeanIoUResult(m, result, classes));
        public void ConfusionResult(ConfusionRatio r, float[] tp, float[] fp, float[] tn, float[] fn, float[] result) => Time(nameof(ConfusionResult), () => inner.ConfusionResult(r, tp, fp, tn, fn, result));

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
        public void L2NormalizeRows(float[] x, float[] y, int k, float epsilon) => Time(nameof(L2NormalizeRows), () => inner.L2NormalizeRows(x, y, k, epsilon));
        public void L2NormalizeRowsGrad(float[] x, float[] dy, float[] dx, int k, float epsilon) => Time(nameof(L2NormalizeRowsGrad), () => inner.L2NormalizeRowsGrad(x, dy, dx, k, epsilon));
    }
}
