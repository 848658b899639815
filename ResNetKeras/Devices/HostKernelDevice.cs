using ResNetKeras.Kernels;

namespace ResNetKeras.Devices;

/// <summary>
/// A device that runs <see cref="IKernels"/> over host arrays: the CPU device hands its own arrays to the kernels,
/// the simulated device stages copies of its unmanaged memory. Each method maps its storages inside
/// <see cref="Launch"/>, so a queued device maps them when the work runs, not when it is issued.
/// </summary>
public abstract class HostKernelDevice : IDevice
{
    /// <summary>Runs on the given kernels.</summary>
    protected HostKernelDevice(IKernels kernels) => Kernels = kernels;

    /// <summary>The kernels (replaced by a timing decorator while <see cref="KernelProfiler"/> runs).</summary>
    public IKernels Kernels { get; internal set; }

    /// <inheritdoc/>
    public abstract string Name { get; }

    /// <inheritdoc/>
    public StoragePool Pool { get; } = new();

    /// <inheritdoc/>
    public abstract DeviceStorage Allocate(int length);

    /// <inheritdoc/>
    public abstract void CopyFromHost(ReadOnlySpan<float> source, DeviceStorage destination, int destinationOffset = 0);

    /// <inheritdoc/>
    public abstract void CopyToHost(DeviceStorage source, int sourceOffset, Span<float> destination);

    /// <inheritdoc/>
    public abstract void Synchronize();

    /// <summary>Runs (or queues) one kernel call; the storages are mapped inside it.</summary>
    protected abstract void Launch(Action kernel);

    /// <summary>An array holding the storage's current values, for a kernel to read.</summary>
    protected abstract float[] Read(DeviceStorage storage);

    /// <summary>An array the kernel overwrites whole; its values land in the storage.</summary>
    protected abstract float[] Write(DeviceStorage storage);

    /// <summary>An array holding the current values that the kernel updates in place.</summary>
    protected abstract float[] Update(DeviceStorage storage);

    private float[]? ReadOrNull(DeviceStorage? s) => s is null ? null : Read(s);
    private float[]? WriteOrNull(DeviceStorage? s) => s is null ? null : Write(s);
    private float[]? UpdateOrNull(DeviceStorage? s) => s is null ? null : Update(s);

    /// <inheritdoc/>
    public void Copy(DeviceStorage source, DeviceStorage destination) =>
        Launch(() => Read(source).AsSpan(0, source.Length).CopyTo(Write(destination)));

    /// <inheritdoc/>
    public void Fill(DeviceStorage destination, float value) => Launch(() => Array.Fill(Write(destination), value));

    /// <inheritdoc/>
    public void Conv2DForward(DeviceStorage x, DeviceStorage w, DeviceStorage? bias, DeviceStorage y, in ConvGeometry g)
    {
        var geo = g;
        Launch(() => Kernels.Conv2DForward(Read(x), Read(w), ReadOrNull(bias), Write(y), geo));
    }

    /// <inheritdoc/>
    public void Conv2DBackwardData(DeviceStorage dy, DeviceStorage w, DeviceStorage dx, in ConvGeometry g)
    {
        var geo = g;
        Launch(() => Kernels.Conv2DBackwardData(Read(dy), Read(w), Write(dx), geo));
    }

    /// <inheritdoc/>
    public void Conv2DBackwardFilter(DeviceStorage x, DeviceStorage dy, DeviceStorage dw, in ConvGeometry g)
    {
        var geo = g;
        Launch(() => Kernels.Conv2DBackwardFilter(Read(x), Read(dy), Write(dw), geo));
    }

    /// <inheritdoc/>
    public void Gemm(bool transA, bool transB, int m, int n, int k, DeviceStorage a, DeviceStorage b, DeviceStorage c) =>
        Launch(() => Kernels.Gemm(transA, transB, m, n, k, Read(a), Read(b), Write(c)));

    /// <inheritdoc/>
    public void BiasAdd(DeviceStorage x, DeviceStorage bias, DeviceStorage y, int channels) =>
        Launch(() => Kernels.BiasAdd(Read(x), Read(bias), Write(y), channels));

    /// <inheritdoc/>
    public void ColumnSum(DeviceStorage dy, DeviceStorage db, int channels) =>
        Launch(() => Kernels.ColumnSum(Read(dy), Write(db), channels));

    /// <inheritdoc/>
    public void BatchNormTrainingForward(DeviceStorage x, DeviceStorage? gamma, DeviceStorage? beta, DeviceStorage y, DeviceStorage saveMean, DeviceStorage saveInvStd,
        DeviceStorage? movingMean, DeviceStorage? movingVariance, int channels, float epsilon, float momentum, bool besselCorrection, bool relu) =>
        Launch(() => Kernels.BatchNormTrainingForward(Read(x), ReadOrNull(gamma), ReadOrNull(beta), Write(y), Write(saveMean), Write(saveInvStd),
            UpdateOrNull(movingMean), UpdateOrNull(movingVariance), channels, epsilon, momentum, besselCorrection, relu));

    /// <inheritdoc/>
    public void BatchNormTrainingBackward(DeviceStorage x, DeviceStorage dy, DeviceStorage? reluOutput, DeviceStorage? gamma, DeviceStorage saveMean, DeviceStorage saveInvStd,
        DeviceStorage? dx, DeviceStorage dgamma, DeviceStorage dbeta, int channels) =>
        Launch(() => Kernels.BatchNormTrainingBackward(Read(x), Read(dy), ReadOrNull(reluOutput), ReadOrNull(gamma), Read(saveMean), Read(saveInvStd),
            WriteOrNull(dx), Write(dgamma), Write(dbeta), channels));

    /// <inheritdoc/>
    public void BatchNormInferenceForward(DeviceStorage x, DeviceStorage? gamma, DeviceStorage? beta, DeviceStorage movingMean, DeviceStorage movingVariance, DeviceStorage y,
        int channels, float epsilon, bool relu) =>
        Launch(() => Kernels.BatchNormInferenceForward(Read(x), ReadOrNull(gamma), ReadOrNull(beta), Read(movingMean), Read(movingVariance), Write(y), channels, epsilon, relu));

    /// <inheritdoc/>
    public void BatchNormInferenceBackward(DeviceStorage x, DeviceStorage dy, DeviceStorage? reluOutput, DeviceStorage? gamma, DeviceStorage movingMean, DeviceStorage movingVariance,
        DeviceStorage? dx, DeviceStorage dgamma, DeviceStorage dbeta, int channels, float epsilon) =>
        Launch(() => Kernels.BatchNormInferenceBackward(Read(x), Read(dy), ReadOrNull(reluOutput), ReadOrNull(gamma), Read(movingMean), Read(movingVariance),
            WriteOrNull(dx), Write(dgamma), Write(dbeta), channels, epsilon));

    /// <inheritdoc/>
    public void Unary(UnaryKind kind, DeviceStorage x, DeviceStorage y) => Launch(() => Kernels.Unary(kind, Read(x), Write(y)));

    /// <inheritdoc/>
    public void UnaryGrad(UnaryKind kind, DeviceStorage y, DeviceStorage dy, DeviceStorage dx) => Launch(() => Kernels.UnaryGrad(kind, Read(y), Read(dy), Write(dx)));

    /// <inheritdoc/>
    public void AddN(IReadOnlyList<DeviceStorage> xs, DeviceStorage y, bool relu)
    {
        var inputs = xs.ToArray();
        Launch(() =>
        {
            var arrays = new float[inputs.Length][];
            for (int i = 0; i < arrays.Length; i++) arrays[i] = Read(inputs[i]);
            Kernels.AddN(arrays, Write(y), relu);
        });
    }

    /// <inheritdoc/>
    public void Scale(DeviceStorage x, float a, DeviceStorage y) => Launch(() => Kernels.Scale(Read(x), a, Write(y)));

    /// <inheritdoc/>
    public void Multiply(DeviceStorage a, DeviceStorage b, DeviceStorage y) => Launch(() => Kernels.Multiply(Read(a), Read(b), Write(y)));

    /// <inheritdoc/>
    public void DropoutMask(DeviceStorage mask, float rate, ulong seed) => Launch(() => Kernels.DropoutMask(Write(mask), rate, seed));

    /// <inheritdoc/>
    public void Softmax(DeviceStorage x, DeviceStorage y, int classes) => Launch(() => Kernels.Softmax(Read(x), Write(y), classes));

    /// <inheritdoc/>
    public void SoftmaxBackward(DeviceStorage y, DeviceStorage dy, DeviceStorage dx, int classes) =>
        Launch(() => Kernels.SoftmaxBackward(Read(y), Read(dy), Write(dx), classes));

    /// <inheritdoc/>
    public void CrossEntropyForward(CrossEntropyKind kind, DeviceStorage predictions, DeviceStorage labels, DeviceStorage loss, int classes) =>
        Launch(() => Kernels.CrossEntropyForward(kind, Read(predictions), Read(labels), Write(loss), classes));

    /// <inheritdoc/>
    public void CrossEntropyBackward(CrossEntropyKind kind, DeviceStorage predictions, DeviceStorage labels, DeviceStorage dloss, DeviceStorage dpredictions, int classes) =>
        Launch(() => Kernels.CrossEntropyBackward(kind, Read(predictions), Read(labels), Read(dloss), Write(dpredictions), classes));

    /// <inheritdoc/>
    public void ReduceSum(DeviceStorage x, DeviceStorage y, int outer, int reduced, int inner, double divisor) =>
        Launch(() => Kernels.ReduceSum(Read(x), Write(y), outer, reduced, inner, divisor));

    /// <inheritdoc/>
    public void BroadcastReduced(DeviceStorage s, DeviceStorage y, int outer, int reduced, int inner, float divisor) =>
        Launch(() => Kernels.BroadcastReduced(Read(s), Write(y), outer, reduced, inner, divisor));

    /// <inheritdoc/>
    public void SumOfSquares(DeviceStorage x, DeviceStorage y, float scale) => Launch(() => Kernels.SumOfSquares(Read(x), Write(y), scale));

    /// <inheritdoc/>
    public void ScaleByScalar(DeviceStorage x, DeviceStorage s, float a, DeviceStorage y) => Launch(() => Kernels.ScaleByScalar(Read(x), Read(s), a, Write(y)));

    /// <inheritdoc/>
    public void Pool2DForward(bool max, DeviceStorage x, DeviceStorage y, in ConvGeometry g)
    {
        var geo = g;
        Launch(() => Kernels.Pool2DForward(max, Read(x), Write(y), geo));
    }

    /// <inheritdoc/>
    public void Pool2DBackward(bool max, DeviceStorage x, DeviceStorage dy, DeviceStorage dx, in ConvGeometry g)
    {
        var geo = g;
        Launch(() => Kernels.Pool2DBackward(max, Read(x), Read(dy), Write(dx), geo));
    }

    /// <inheritdoc/>
    public void ZeroPad2D(DeviceStorage x, DeviceStorage y, int n, int h, int w, int c, int top, int bottom, int left, int right) =>
        Launch(() => Kernels.ZeroPad2D(Read(x), Write(y), n, h, w, c, top, bottom, left, right));

    /// <inheritdoc/>
    public void Crop2D(DeviceStorage y, DeviceStorage x, int n, int h, int w, int c, int top, int bottom, int left, int right) =>
        Launch(() => Kernels.Crop2D(Read(y), Write(x), n, h, w, c, top, bottom, left, right));

    /// <inheritdoc/>
    public void AdamUpdate(DeviceStorage variable, DeviceStorage gradient, DeviceStorage m, DeviceStorage v, DeviceStorage? vhat, float alpha, float beta1, float beta2, float epsilon) =>
        Launch(() => Kernels.AdamUpdate(Update(variable), Read(gradient), Update(m), Update(v), UpdateOrNull(vhat), alpha, beta1, beta2, epsilon));

    /// <inheritdoc/>
    public void SgdUpdate(DeviceStorage variable, DeviceStorage gradient, DeviceStorage? velocity, float learningRate, float momentum, bool nesterov) =>
        Launch(() => Kernels.SgdUpdate(Update(variable), Read(gradient), UpdateOrNull(velocity), learningRate, momentum, nesterov));

    /// <inheritdoc/>
    public void AssignAdd(DeviceStorage target, DeviceStorage value) => Launch(() => Kernels.AssignAdd(Update(target), Read(value)));

    // ---- issue 17 layers: convolution variants, resizing, normalization, augmentation (kept together for merging) ----

    /// <inheritdoc/>
    public void Conv2DGeneralForward(DeviceStorage x, DeviceStorage w, DeviceStorage? bias, DeviceStorage y, in ConvGeometry g, int dilationH, int dilationW, int groups)
    {
        var geo = g;
        Launch(() => Kernels.Conv2DGeneralForward(Read(x), Read(w), ReadOrNull(bias), Write(y), geo, dilationH, dilationW, groups));
    }

    /// <inheritdoc/>
    public void Conv2DGeneralBackwardData(DeviceStorage dy, DeviceStorage w, DeviceStorage dx, in ConvGeometry g, int dilationH, int dilationW, int groups)
    {
        var geo = g;
        Launch(() => Kernels.Conv2DGeneralBackwardData(Read(dy), Read(w), Write(dx), geo, dilationH, dilationW, groups));
    }

    /// <inheritdoc/>
    public void Conv2DGeneralBackwardFilter(DeviceStorage x, DeviceStorage dy, DeviceStorage dw, in ConvGeometry g, int dilationH, int dilationW, int groups)
    {
        var geo = g;
        Launch(() => Kernels.Conv2DGeneralBackwardFilter(Read(x), Read(dy), Write(dw), geo, dilationH, dilationW, groups));
    }

    /// <inheritdoc/>
    public void Resize2DForward(bool bilinear, DeviceStorage x, DeviceStorage y, int n, int h, int w, int c, int outH, int outW) =>
        Launch(() => Kernels.Resize2DForward(bilinear, Read(x), Write(y), n, h, w, c, outH, outW));

    /// <inheritdoc/>
    public void Resize2DBackward(bool bilinear, DeviceStorage dy, DeviceStorage dx, int n, int h, int w, int c, int outH, int outW) =>
        Launch(() => Kernels.Resize2DBackward(bilinear, Read(dy), Write(dx), n, h, w, c, outH, outW));

    /// <inheritdoc/>
    public void LayerNormForward(DeviceStorage x, DeviceStorage? gamma, DeviceStorage? beta, DeviceStorage y, DeviceStorage mean, DeviceStorage invStd, int rows, int cols, float epsilon) =>
        Launch(() => Kernels.LayerNormForward(Read(x), ReadOrNull(gamma), ReadOrNull(beta), Write(y), Write(mean), Write(invStd), rows, cols, epsilon));

    /// <inheritdoc/>
    public void LayerNormBackward(DeviceStorage x, DeviceStorage dy, DeviceStorage? gamma, DeviceStorage mean, DeviceStorage invStd, DeviceStorage? dx, DeviceStorage? dgamma, DeviceStorage? dbeta, int rows, int cols) =>
        Launch(() => Kernels.LayerNormBackward(Read(x), Read(dy), ReadOrNull(gamma), Read(mean), Read(invStd), WriteOrNull(dx), WriteOrNull(dgamma), WriteOrNull(dbeta), rows, cols));

    /// <inheritdoc/>
    public void ChannelMaskMultiply(DeviceStorage x, DeviceStorage mask, DeviceStorage y, int batch, int spatial, int channels) =>
        Launch(() => Kernels.ChannelMaskMultiply(Read(x), Read(mask), Write(y), batch, spatial, channels));

    /// <inheritdoc/>
    public void AffineTransform2DForward(DeviceStorage x, DeviceStorage transforms, DeviceStorage y, int n, int h, int w, int c, bool bilinear, AffineFillMode fillMode, float fillValue) =>
        Launch(() => Kernels.AffineTransform2DForward(Read(x), Read(transforms), Write(y), n, h, w, c, bilinear, fillMode, fillValue));

    /// <inheritdoc/>
    public void AffineTransform2DBackward(DeviceStorage dy, DeviceStorage transforms, DeviceStorage dx, int n, int h, int w, int c, bool bilinear, AffineFillMode fillMode) =>
        Launch(() => Kernels.AffineTransform2DBackward(Read(dy), Read(transforms), Write(dx), n, h, w, c, bilinear, fillMode));

    /// <inheritdoc/>
    public void AdjustContrastForward(DeviceStorage x, DeviceStorage factors, DeviceStorage y, int n, int spatial, int c, float low, float high) =>
        Launch(() => Kernels.AdjustContrastForward(Read(x), Read(factors), Write(y), n, spatial, c, low, high));

    /// <inheritdoc/>
    public void AdjustContrastBackward(DeviceStorage x, DeviceStorage dy, DeviceStorage factors, DeviceStorage dx, int n, int spatial, int c, float low, float high) =>
        Launch(() => Kernels.AdjustContrastBackward(Read(x), Read(dy), Read(factors), Write(dx), n, spatial, c, low, high));
    // ---- Activations, merge and shape layers (issue 17). ----

    /// <inheritdoc/>
    public void Activation(UnaryKind kind, DeviceStorage x, DeviceStorage y, float alpha) => Launch(() => Kernels.Activation(kind, Read(x), Write(y), alpha));

    /// <inheritdoc/>
    public void ActivationGrad(UnaryKind kind, DeviceStorage saved, DeviceStorage dy, DeviceStorage dx, float alpha) =>
        Launch(() => Kernels.ActivationGrad(kind, Read(saved), Read(dy), Write(dx), alpha));

    /// <inheritdoc/>
    public void ClippedRelu(DeviceStorage x, DeviceStorage y, float negativeSlope, float maxValue, float threshold) =>
        Launch(() => Kernels.ClippedRelu(Read(x), Write(y), negativeSlope, maxValue, threshold));

    /// <inheritdoc/>
    public void ClippedReluGrad(DeviceStorage x, DeviceStorage dy, DeviceStorage dx, float negativeSlope, float maxValue, float threshold) =>
        Launch(() => Kernels.ClippedReluGrad(Read(x), Read(dy), Write(dx), negativeSlope, maxValue, threshold));

    /// <inheritdoc/>
    public void PRelu(DeviceStorage x, DeviceStorage alpha, DeviceStorage y, int[] sampleShape, int[] alphaStrides)
    {
        int[] shape = (int[])sampleShape.Clone(), strides = (int[])alphaStrides.Clone();
        Launch(() => Kernels.PRelu(Read(x), Read(alpha), Write(y), shape, strides));
    }

    /// <inheritdoc/>
    public void PReluGrad(DeviceStorage x, DeviceStorage alpha, DeviceStorage dy, DeviceStorage? dx, DeviceStorage? dalpha, int[] sampleShape, int[] alphaStrides)
    {
        int[] shape = (int[])sampleShape.Clone(), strides = (int[])alphaStrides.Clone();
        Launch(() => Kernels.PReluGrad(Read(x), Read(alpha), Read(dy), WriteOrNull(dx), WriteOrNull(dalpha), shape, strides));
    }

    /// <inheritdoc/>
    public void LogSoftmax(DeviceStorage x, DeviceStorage y, int classes) => Launch(() => Kernels.LogSoftmax(Read(x), Write(y), classes));

    /// <inheritdoc/>
    public void LogSoftmaxBackward(DeviceStorage y, DeviceStorage dy, DeviceStorage dx, int classes) =>
        Launch(() => Kernels.LogSoftmaxBackward(Read(y), Read(dy), Write(dx), classes));

    /// <inheritdoc/>
    public void Binary(BinaryKind kind, DeviceStorage a, DeviceStorage b, DeviceStorage y) => Launch(() => Kernels.Binary(kind, Read(a), Read(b), Write(y)));

    /// <inheritdoc/>
    public void BinaryGrad(BinaryKind kind, DeviceStorage a, DeviceStorage b, DeviceStorage dy, DeviceStorage? da, DeviceStorage? db) =>
        Launch(() => Kernels.BinaryGrad(kind, Read(a), Read(b), Read(dy), WriteOrNull(da), WriteOrNull(db)));

    /// <inheritdoc/>
    public void Concat(IReadOnlyList<DeviceStorage> xs, DeviceStorage y, int outer, int[] inners)
    {
        var inputs = xs.ToArray();
        var widths = (int[])inners.Clone();
        Launch(() =>
        {
            var arrays = new float[inputs.Length][];
            for (int i = 0; i < arrays.Length; i++) arrays[i] = Read(inputs[i]);
            Kernels.Concat(arrays, Write(y), outer, widths);
        });
    }

    /// <inheritdoc/>
    public void SliceColumns(DeviceStorage y, DeviceStorage x, int outer, int total, int offset, int inner) =>
        Launch(() => Kernels.SliceColumns(Read(y), Write(x), outer, total, offset, inner));

    /// <inheritdoc/>
    public void Transpose(DeviceStorage x, DeviceStorage y, int[] shape, int[] perm)
    {
        int[] s = (int[])shape.Clone(), p = (int[])perm.Clone();
        Launch(() => Kernels.Transpose(Read(x), Write(y), s, p));
    }

    /// <inheritdoc/>
    public void AffineScalar(DeviceStorage x, DeviceStorage y, float scale, float offset) => Launch(() => Kernels.AffineScalar(Read(x), Write(y), scale, offset));

    /// <inheritdoc/>
    public void AxisNormalize(DeviceStorage x, DeviceStorage mean, DeviceStorage variance, DeviceStorage y, int outer, int channels, int inner, float epsilon, bool invert) =>
        Launch(() => Kernels.AxisNormalize(Read(x), Read(mean), Read(variance), Write(y), outer, channels, inner, epsilon, invert));

    /// <inheritdoc/>
    public void AxisNormalizeGrad(DeviceStorage dy, DeviceStorage variance, DeviceStorage dx, int outer, int channels, int inner, float epsilon, bool invert) =>
        Launch(() => Kernels.AxisNormalizeGrad(Read(dy), Read(variance), Write(dx), outer, channels, inner, epsilon, invert));

    /// <inheritdoc/>
    public void Matches(MatchKind kind, DeviceStorage predictions, DeviceStorage labels, DeviceStorage result, int classes, int k, float threshold) =>
        Launch(() => Kernels.Matches(kind, Read(predictions), Read(labels), Write(result), classes, k, threshold));

    /// <inheritdoc/>
    public void ArgMaxRows(DeviceStorage x, DeviceStorage y, int classes) => Launch(() => Kernels.ArgMaxRows(Read(x), Write(y), classes));

    /// <inheritdoc/>
    public void DivideNoNan(DeviceStorage a, DeviceStorage b, DeviceStorage y) => Launch(() => Kernels.DivideNoNan(Read(a), Read(b), Write(y)));

    // ------------------------------------------------------------------ optimizers (issue 17): Keras 3's update steps, clipping, weight decay, EMA

    /// <inheritdoc/>
    public void RmspropUpdate(DeviceStorage variable, DeviceStorage gradient, DeviceStorage velocity, DeviceStorage? momentum, DeviceStorage? averageGradient, float learningRate, float rho, float oneMinusRho, float momentumCoefficient, float epsilon) =>
        Launch(() => Kernels.RmspropUpdate(Update(variable), Read(gradient), Update(velocity), UpdateOrNull(momentum), UpdateOrNull(averageGradient), learningRate, rho, oneMinusRho, momentumCoefficient, epsilon));

    /// <inheritdoc/>
    public void AdagradUpdate(DeviceStorage variable, DeviceStorage gradient, DeviceStorage accumulator, float learningRate, float epsilon) =>
        Launch(() => Kernels.AdagradUpdate(Update(variable), Read(gradient), Update(accumulator), learningRate, epsilon));

    /// <inheritdoc/>
    public void AdadeltaUpdate(DeviceStorage variable, DeviceStorage gradient, DeviceStorage accumulatedGrad, DeviceStorage accumulatedDeltaVar, float learningRate, float rho, float oneMinusRho, float epsilon) =>
        Launch(() => Kernels.AdadeltaUpdate(Update(variable), Read(gradient), Update(accumulatedGrad), Update(accumulatedDeltaVar), learningRate, rho, oneMinusRho, epsilon));

    /// <inheritdoc/>
    public void AdamaxUpdate(DeviceStorage variable, DeviceStorage gradient, DeviceStorage m, DeviceStorage u, float learningRate, float oneMinusBeta1, float beta2, float oneMinusBeta1Power, float epsilon) =>
        Launch(() => Kernels.AdamaxUpdate(Update(variable), Read(gradient), Update(m), Update(u), learningRate, oneMinusBeta1, beta2, oneMinusBeta1Power, epsilon));

    /// <inheritdoc/>
    public void NadamUpdate(DeviceStorage variable, DeviceStorage gradient, DeviceStorage m, DeviceStorage v, float learningRate, float beta1, float beta2, float uT, float uT1, float uProductT, float uProductT1, float beta2Power, float epsilon) =>
        Launch(() => Kernels.NadamUpdate(Update(variable), Read(gradient), Update(m), Update(v), learningRate, beta1, beta2, uT, uT1, uProductT, uProductT1, beta2Power, epsilon));

    /// <inheritdoc/>
    public void LionUpdate(DeviceStorage variable, DeviceStorage gradient, DeviceStorage m, float learningRate, float beta1, float beta2) =>
        Launch(() => Kernels.LionUpdate(Update(variable), Read(gradient), Update(m), learningRate, beta1, beta2));

    /// <inheritdoc/>
    public void DecayWeights(DeviceStorage variable, float weightDecay, float learningRate) =>
        Launch(() => Kernels.DecayWeights(Update(variable), weightDecay, learningRate));

    /// <inheritdoc/>
    public void ClipByNorm(DeviceStorage gradient, DeviceStorage clipped, float clipnorm) =>
        Launch(() => Kernels.ClipByNorm(Read(gradient), Write(clipped), clipnorm));

    /// <inheritdoc/>
    public void ClipByValue(DeviceStorage gradient, DeviceStorage clipped, float clipvalue) =>
        Launch(() => Kernels.ClipByValue(Read(gradient), Write(clipped), clipvalue));

    /// <inheritdoc/>
    public void ScaleByGlobalNorm(DeviceStorage gradient, DeviceStorage squaredNorm, float clipnorm, DeviceStorage clipped) =>
        Launch(() => Kernels.ScaleByGlobalNorm(Read(gradient), Read(squaredNorm), clipnorm, Write(clipped)));

    /// <inheritdoc/>
    public void EmaUpdate(DeviceStorage average, DeviceStorage variable, float momentum) =>
        Launch(() => Kernels.EmaUpdate(Update(average), Read(variable), momentum));

    /// <inheritdoc/>
    public void ElementwiseLoss(ElementwiseLossKind kind, DeviceStorage yTrue, DeviceStorage yPred, DeviceStorage values, float parameter) =>
        Launch(() => Kernels.ElementwiseLoss(kind, Read(yTrue), Read(yPred), Write(values), parameter));

    /// <inheritdoc/>
    public void ElementwiseLossGrad(ElementwiseLossKind kind, DeviceStorage yTrue, DeviceStorage yPred, DeviceStorage dValues, DeviceStorage dPred, float parameter) =>
        Launch(() => Kernels.ElementwiseLossGrad(kind, Read(yTrue), Read(yPred), Read(dValues), Write(dPred), parameter));

    // ---- Confusion-matrix metrics (Precision, Recall, AUC)

    /// <inheritdoc/>
    public void ConfusionUpdate(DeviceStorage yTrue, DeviceStorage yPred, DeviceStorage? weights, DeviceStorage thresholds, DeviceStorage tp, DeviceStorage fp, DeviceStorage tn, DeviceStorage fn) =>
        Launch(() => Kernels.ConfusionUpdate(Read(yTrue), Read(yPred), ReadOrNull(weights), Read(thresholds), Update(tp), Update(fp), Update(tn), Update(fn)));

    /// <inheritdoc/>
    public void ConfusionResult(ConfusionRatio ratio, DeviceStorage tp, DeviceStorage fp, DeviceStorage tn, DeviceStorage fn, DeviceStorage result) =>
        Launch(() => Kernels.ConfusionResult(ratio, Read(tp), Read(fp), Read(tn), Read(fn), Write(result)));

    /// <inheritdoc/>
    public void ClassConfusionUpdate(DeviceStorage yTrue, DeviceStorage yPred, DeviceStorage? weights, DeviceStorage matrix, int classes) =>
        Launch(() => Kernels.ClassConfusionUpdate(Read(yTrue), Read(yPred), ReadOrNull(weights), Update(matrix), classes));

    /// <inheritdoc/>
    public void MeanIoUResult(DeviceStorage matrix, DeviceStorage result, int classes) =>
        Launch(() => Kernels.MeanIoUResult(Read(matrix), Write(result), classes));

    /// <inheritdoc/>
    public void L2NormalizeRows(DeviceStorage x, DeviceStorage y, int k, float epsilon) =>
        Launch(() => Kernels.L2NormalizeRows(Read(x), Write(y), k, epsilon));

    /// <inheritdoc/>
    public void L2NormalizeRowsGrad(DeviceStorage x, DeviceStorage dy, DeviceStorage dx, int k, float epsilon) =>
        Launch(() => Kernels.L2NormalizeRowsGrad(Read(x), Read(dy), Write(dx), k, epsilon));

    /// <inheritdoc/>
    public override string ToString() => Name;
}
