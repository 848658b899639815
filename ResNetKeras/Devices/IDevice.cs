using ResNetKeras.Kernels;

namespace ResNetKeras.Devices;

/// <summary>
/// The one seam between the engine and the hardware (Keras 3's backend, at the granularity cuDNN and cuBLAS offer).
/// A device owns tensor storage and runs every computation of training and inference on it; ops, layers, losses,
/// metrics and optimizers only call these methods. A device may queue work and return at once: everything issued to
/// one device runs in issue order, and only <see cref="CopyToHost"/> and <see cref="Synchronize"/> wait for it.
/// Adding a device means implementing this interface and one <see cref="DeviceStorage"/> class. Layouts are Keras's:
/// NHWC activations, HWIO convolution kernels, (in, out) dense kernels, row-major.
/// </summary>
public interface IDevice
{
    /// <summary>The name used to select it (<c>cpu</c>, <c>sim</c>, <c>cuda:0</c>).</summary>
    string Name { get; }

    /// <summary>The device's caching allocator (step buffers go back to it and are handed out again).</summary>
    StoragePool Pool { get; }

    /// <summary>New storage of <paramref name="length"/> floats; contents undefined.</summary>
    DeviceStorage Allocate(int length);

    /// <summary>Copies host values into <paramref name="destination"/> at <paramref name="destinationOffset"/>; the source may be reused as soon as this returns.</summary>
    void CopyFromHost(ReadOnlySpan<float> source, DeviceStorage destination, int destinationOffset = 0);

    /// <summary>Waits for queued work, then copies <paramref name="destination"/>.Length values from <paramref name="sourceOffset"/> to the host.</summary>
    void CopyToHost(DeviceStorage source, int sourceOffset, Span<float> destination);

    /// <summary>destination = source (same lengths).</summary>
    void Copy(DeviceStorage source, DeviceStorage destination);

    /// <summary>Sets every element to <paramref name="value"/>.</summary>
    void Fill(DeviceStorage destination, float value);

    /// <summary>Waits until everything issued so far has run; rethrows a failure of queued work.</summary>
    void Synchronize();

    /// <summary>y[n,i,j,o] = bias[o] + Σ x[n, i·sh + di − pt, j·sw + dj − pl, c]·w[di,dj,c,o] (zero outside the input; no bias when null).</summary>
    void Conv2DForward(DeviceStorage x, DeviceStorage w, DeviceStorage? bias, DeviceStorage y, in ConvGeometry g);

    /// <summary>dx of <see cref="Conv2DForward"/> given dy.</summary>
    void Conv2DBackwardData(DeviceStorage dy, DeviceStorage w, DeviceStorage dx, in ConvGeometry g);

    /// <summary>dw of <see cref="Conv2DForward"/> given x and dy (summed over the batch).</summary>
    void Conv2DBackwardFilter(DeviceStorage x, DeviceStorage dy, DeviceStorage dw, in ConvGeometry g);

    /// <summary>c (m×n) = op(a)·op(b), row-major; transA/transB read a/b transposed.</summary>
    void Gemm(bool transA, bool transB, int m, int n, int k, DeviceStorage a, DeviceStorage b, DeviceStorage c);

    /// <summary>y[r, ch] = x[r, ch] + bias[ch].</summary>
    void BiasAdd(DeviceStorage x, DeviceStorage bias, DeviceStorage y, int channels);

    /// <summary>db[ch] = Σ_r dy[r, ch].</summary>
    void ColumnSum(DeviceStorage dy, DeviceStorage db, int channels);

    /// <summary>Training-mode batch normalization with its statistics and moving-statistics update in one call (see <see cref="IKernels.BatchNormTrainingForward"/>).</summary>
    void BatchNormTrainingForward(DeviceStorage x, DeviceStorage? gamma, DeviceStorage? beta, DeviceStorage y, DeviceStorage saveMean, DeviceStorage saveInvStd,
        DeviceStorage? movingMean, DeviceStorage? movingVariance, int channels, float epsilon, float momentum, bool besselCorrection, bool relu);

    /// <summary>Training-mode batch-norm gradients dx (when given), dgamma, dbeta in one call.</summary>
    void BatchNormTrainingBackward(DeviceStorage x, DeviceStorage dy, DeviceStorage? reluOutput, DeviceStorage? gamma, DeviceStorage saveMean, DeviceStorage saveInvStd,
        DeviceStorage? dx, DeviceStorage dgamma, DeviceStorage dbeta, int channels);

    /// <summary>Inference-mode batch normalization with the moving statistics.</summary>
    void BatchNormInferenceForward(DeviceStorage x, DeviceStorage? gamma, DeviceStorage? beta, DeviceStorage movingMean, DeviceStorage movingVariance, DeviceStorage y,
        int channels, float epsilon, bool relu);

    /// <summary>Gradients of <see cref="BatchNormInferenceForward"/>.</summary>
    void BatchNormInferenceBackward(DeviceStorage x, DeviceStorage dy, DeviceStorage? reluOutput, DeviceStorage? gamma, DeviceStorage movingMean, DeviceStorage movingVariance,
        DeviceStorage? dx, DeviceStorage dgamma, DeviceStorage dbeta, int channels, float epsilon);

    /// <summary>Element-wise activation.</summary>
    void Unary(UnaryKind kind, DeviceStorage x, DeviceStorage y);

    /// <summary>dx = dy·f'(x) from the activation's output y.</summary>
    void UnaryGrad(UnaryKind kind, DeviceStorage y, DeviceStorage dy, DeviceStorage dx);

    /// <summary>y = Σ xs (same lengths); max(y, 0) in the same pass with <paramref name="relu"/>.</summary>
    void AddN(IReadOnlyList<DeviceStorage> xs, DeviceStorage y, bool relu);

    /// <summary>y = a·x.</summary>
    void Scale(DeviceStorage x, float a, DeviceStorage y);

    /// <summary>y = a·b element-wise.</summary>
    void Multiply(DeviceStorage a, DeviceStorage b, DeviceStorage y);

    /// <summary>An inverted-dropout mask from a counter-based draw of (seed, index).</summary>
    void DropoutMask(DeviceStorage mask, float rate, ulong seed);

    /// <summary>Row-wise softmax of a (rows × classes) matrix.</summary>
    void Softmax(DeviceStorage x, DeviceStorage y, int classes);

    /// <summary>Softmax gradient from its output.</summary>
    void SoftmaxBackward(DeviceStorage y, DeviceStorage dy, DeviceStorage dx, int classes);

    /// <summary>Per-row cross-entropy (see <see cref="CrossEntropyKind"/>).</summary>
    void CrossEntropyForward(CrossEntropyKind kind, DeviceStorage predictions, DeviceStorage labels, DeviceStorage loss, int classes);

    /// <summary>Gradient of <see cref="CrossEntropyForward"/> with respect to the predictions.</summary>
    void CrossEntropyBackward(CrossEntropyKind kind, DeviceStorage predictions, DeviceStorage labels, DeviceStorage dloss, DeviceStorage dpredictions, int classes);

    /// <summary>Sum (divided by <paramref name="divisor"/>) over the middle axis of an (outer × reduced × inner) view.</summary>
    void ReduceSum(DeviceStorage x, DeviceStorage y, int outer, int reduced, int inner, double divisor);

    /// <summary>y[o, r, i] = s[o, i] / divisor: the gradient of <see cref="ReduceSum"/>.</summary>
    void BroadcastReduced(DeviceStorage s, DeviceStorage y, int outer, int reduced, int inner, float divisor);

    /// <summary>y[0] = scale·Σ x².</summary>
    void SumOfSquares(DeviceStorage x, DeviceStorage y, float scale);

    /// <summary>y = (a·s[0])·x.</summary>
    void ScaleByScalar(DeviceStorage x, DeviceStorage s, float a, DeviceStorage y);

    /// <summary>Average or max pooling.</summary>
    void Pool2DForward(bool max, DeviceStorage x, DeviceStorage y, in ConvGeometry g);

    /// <summary>Gradient of <see cref="Pool2DForward"/>.</summary>
    void Pool2DBackward(bool max, DeviceStorage x, DeviceStorage dy, DeviceStorage dx, in ConvGeometry g);

    /// <summary>Zero padding of height and width.</summary>
    void ZeroPad2D(DeviceStorage x, DeviceStorage y, int n, int h, int w, int c, int top, int bottom, int left, int right);

    /// <summary>The inverse window of <see cref="ZeroPad2D"/>.</summary>
    void Crop2D(DeviceStorage y, DeviceStorage x, int n, int h, int w, int c, int top, int bottom, int left, int right);

    /// <summary>One Adam (or AMSGrad) step on a variable and its slots.</summary>
    void AdamUpdate(DeviceStorage variable, DeviceStorage gradient, DeviceStorage m, DeviceStorage v, DeviceStorage? vhat, float alpha, float beta1, float beta2, float epsilon);

    /// <summary>One SGD step (with momentum when <paramref name="velocity"/> is given).</summary>
    void SgdUpdate(DeviceStorage variable, DeviceStorage gradient, DeviceStorage? velocity, float learningRate, float momentum, bool nesterov);

    /// <summary>target += value.</summary>
    void AssignAdd(DeviceStorage target, DeviceStorage value);

    /// <summary>1 where a prediction counts as right for an accuracy metric, else 0 (see <see cref="MatchKind"/>).</summary>
    void Matches(MatchKind kind, DeviceStorage predictions, DeviceStorage labels, DeviceStorage result, int classes, int k, float threshold);

    /// <summary>Per row, the index of its largest value as a float (first on ties).</summary>
    void ArgMaxRows(DeviceStorage x, DeviceStorage y, int classes);

    /// <summary>y = a / b, 0 where b is 0.</summary>
    void DivideNoNan(DeviceStorage a, DeviceStorage b, DeviceStorage y);

    /// <summary>Per-element loss terms of the regression and binary losses.</summary>
    void ElementwiseLoss(ElementwiseLossKind kind, DeviceStorage yTrue, DeviceStorage yPred, DeviceStorage values, float parameter);

    /// <summary>Gradient of <see cref="ElementwiseLoss"/> with respect to the predictions.</summary>
    void ElementwiseLossGrad(ElementwiseLossKind kind, DeviceStorage yTrue, DeviceStorage yPred, DeviceStorage dValues, DeviceStorage dPred, float parameter);

    // ---- issue 17 layers: convolution variants, resizing, normalization, augmentation (kept together for merging) ----

    /// <summary>Convolution with dilation and groups (see <see cref="IKernels.Conv2DGeneralForward"/>).</summary>
    void Conv2DGeneralForward(DeviceStorage x, DeviceStorage w, DeviceStorage? bias, DeviceStorage y, in ConvGeometry g, int dilationH, int dilationW, int groups);

    /// <summary>dx of <see cref="Conv2DGeneralForward"/> given dy.</summary>
    void Conv2DGeneralBackwardData(DeviceStorage dy, DeviceStorage w, DeviceStorage dx, in ConvGeometry g, int dilationH, int dilationW, int groups);

    /// <summary>dw of <see cref="Conv2DGeneralForward"/> given x and dy.</summary>
    void Conv2DGeneralBackwardFilter(DeviceStorage x, DeviceStorage dy, DeviceStorage dw, in ConvGeometry g, int dilationH, int dilationW, int groups);

    /// <summary>Bilinear or nearest resize with half-pixel centers (see <see cref="IKernels.Resize2DForward"/>).</summary>
    void Resize2DForward(bool bilinear, DeviceStorage x, DeviceStorage y, int n, int h, int w, int c, int outH, int outW);

    /// <summary>Gradient of <see cref="Resize2DForward"/>.</summary>
    void Resize2DBackward(bool bilinear, DeviceStorage dy, DeviceStorage dx, int n, int h, int w, int c, int outH, int outW);

    /// <summary>Row-wise layer normalization saving mean and inverse deviation (see <see cref="IKernels.LayerNormForward"/>).</summary>
    void LayerNormForward(DeviceStorage x, DeviceStorage? gamma, DeviceStorage? beta, DeviceStorage y, DeviceStorage mean, DeviceStorage invStd, int rows, int cols, float epsilon);

    /// <summary>Gradients of <see cref="LayerNormForward"/> (each output only when given).</summary>
    void LayerNormBackward(DeviceStorage x, DeviceStorage dy, DeviceStorage? gamma, DeviceStorage mean, DeviceStorage invStd, DeviceStorage? dx, DeviceStorage? dgamma, DeviceStorage? dbeta, int rows, int cols);

    /// <summary>y[n, s, c] = x[n, s, c]·mask[n, c].</summary>
    void ChannelMaskMultiply(DeviceStorage x, DeviceStorage mask, DeviceStorage y, int batch, int spatial, int channels);

    /// <summary>Projective image transform (see <see cref="IKernels.AffineTransform2DForward"/>).</summary>
    void AffineTransform2DForward(DeviceStorage x, DeviceStorage transforms, DeviceStorage y, int n, int h, int w, int c, bool bilinear, AffineFillMode fillMode, float fillValue);

    /// <summary>Gradient of <see cref="AffineTransform2DForward"/>.</summary>
    void AffineTransform2DBackward(DeviceStorage dy, DeviceStorage transforms, DeviceStorage dx, int n, int h, int w, int c, bool bilinear, AffineFillMode fillMode);

    /// <summary>Per-image contrast adjustment with clipping (see <see cref="IKernels.AdjustContrastForward"/>).</summary>
    void AdjustContrastForward(DeviceStorage x, DeviceStorage factors, DeviceStorage y, int n, int spatial, int c, float low, float high);

    /// <summary>Gradient of <see cref="AdjustContrastForward"/>.</summary>
    void AdjustContrastBackward(DeviceStorage x, DeviceStorage dy, DeviceStorage factors, DeviceStorage dx, int n, int spatial, int c, float low, float high);
    // ---- Activations, merge and shape layers (issue 17); see the IKernels methods of the same names. ----

    /// <summary>y = f(x) for any activation kind; <paramref name="alpha"/> is LeakyRelu's slope and Elu's α.</summary>
    void Activation(UnaryKind kind, DeviceStorage x, DeviceStorage y, float alpha);

    /// <summary>dx = dy·f'(x) from the output when <see cref="UnaryKindExtensions.GradientFromOutput"/>, else from the input.</summary>
    void ActivationGrad(UnaryKind kind, DeviceStorage saved, DeviceStorage dy, DeviceStorage dx, float alpha);

    /// <summary>Keras's relu(x, negative_slope, max_value, threshold) (max_value +∞ for none).</summary>
    void ClippedRelu(DeviceStorage x, DeviceStorage y, float negativeSlope, float maxValue, float threshold);

    /// <summary>Gradient of <see cref="ClippedRelu"/> from its input.</summary>
    void ClippedReluGrad(DeviceStorage x, DeviceStorage dy, DeviceStorage dx, float negativeSlope, float maxValue, float threshold);

    /// <summary>PReLU with α broadcast over the batch and the shared axes (stride 0).</summary>
    void PRelu(DeviceStorage x, DeviceStorage alpha, DeviceStorage y, int[] sampleShape, int[] alphaStrides);

    /// <summary>dx and dα of <see cref="PRelu"/> (each when given).</summary>
    void PReluGrad(DeviceStorage x, DeviceStorage alpha, DeviceStorage dy, DeviceStorage? dx, DeviceStorage? dalpha, int[] sampleShape, int[] alphaStrides);

    /// <summary>Row-wise log-softmax of a (rows × classes) matrix.</summary>
    void LogSoftmax(DeviceStorage x, DeviceStorage y, int classes);

    /// <summary>Log-softmax gradient from its output.</summary>
    void LogSoftmaxBackward(DeviceStorage y, DeviceStorage dy, DeviceStorage dx, int classes);

    /// <summary>Element-wise a − b, max(a, b) or min(a, b).</summary>
    void Binary(BinaryKind kind, DeviceStorage a, DeviceStorage b, DeviceStorage y);

    /// <summary>Gradients of <see cref="Binary"/> (each when given).</summary>
    void BinaryGrad(BinaryKind kind, DeviceStorage a, DeviceStorage b, DeviceStorage dy, DeviceStorage? da, DeviceStorage? db);

    /// <summary>Concatenation of (outer × inners[i]) views into (outer × Σ inners).</summary>
    void Concat(IReadOnlyList<DeviceStorage> xs, DeviceStorage y, int outer, int[] inners);

    /// <summary>Columns [offset, offset + inner) of an (outer × total) view.</summary>
    void SliceColumns(DeviceStorage y, DeviceStorage x, int outer, int total, int offset, int inner);

    /// <summary>Axis permutation (y's axis d is x's axis perm[d]).</summary>
    void Transpose(DeviceStorage x, DeviceStorage y, int[] shape, int[] perm);

    /// <summary>y = x·scale + offset.</summary>
    void AffineScalar(DeviceStorage x, DeviceStorage y, float scale, float offset);

    /// <summary>Keras 3's Normalization (or its inverse) over an (outer × channels × inner) view.</summary>
    void AxisNormalize(DeviceStorage x, DeviceStorage mean, DeviceStorage variance, DeviceStorage y, int outer, int channels, int inner, float epsilon, bool invert);

    /// <summary>Input gradient of <see cref="AxisNormalize"/>.</summary>
    void AxisNormalizeGrad(DeviceStorage dy, DeviceStorage variance, DeviceStorage dx, int outer, int channels, int inner, float epsilon, bool invert);

    // ---- Confusion-matrix metrics (Precision, Recall, AUC)

    /// <summary>Accumulates per-threshold confusion counts (see <see cref="IKernels.ConfusionUpdate"/>).</summary>
    void ConfusionUpdate(DeviceStorage yTrue, DeviceStorage yPred, DeviceStorage? weights, DeviceStorage thresholds, DeviceStorage tp, DeviceStorage fp, DeviceStorage tn, DeviceStorage fn);

    /// <summary>Precision, recall or an AUC from the counts.</summary>
    void ConfusionResult(ConfusionRatio ratio, DeviceStorage tp, DeviceStorage fp, DeviceStorage tn, DeviceStorage fn, DeviceStorage result);

    /// <summary>Accumulates a class confusion matrix (see <see cref="IKernels.ClassConfusionUpdate"/>).</summary>
    void ClassConfusionUpdate(DeviceStorage yTrue, DeviceStorage yPred, DeviceStorage? weights, DeviceStorage matrix, int classes);

    /// <summary>MeanIoU from a class confusion matrix.</summary>
    void MeanIoUResult(DeviceStorage matrix, DeviceStorage result, int classes);
    // ------------------------------------------------------------------ optimizers (issue 17): Keras 3's update steps, clipping, weight decay, EMA

    /// <summary>Keras 3's RMSprop: v ← ρv + (1−ρ)g²; centered (when <paramref name="averageGradient"/> is given): ḡ ← ρḡ + (1−ρ)g, d = v − ḡ² + ε, else d = v + ε; Δ = lr·g/√d; with <paramref name="momentum"/>: μ ← c·μ + Δ, θ ← θ − μ; else θ ← θ − Δ.</summary>
    void RmspropUpdate(DeviceStorage variable, DeviceStorage gradient, DeviceStorage velocity, DeviceStorage? momentum, DeviceStorage? averageGradient, float learningRate, float rho, float oneMinusRho, float momentumCoefficient, float epsilon);

    /// <summary>Keras 3's Adagrad: a ← a + g², θ ← θ − lr·g/√(a + ε).</summary>
    void AdagradUpdate(DeviceStorage variable, DeviceStorage gradient, DeviceStorage accumulator, float learningRate, float epsilon);

    /// <summary>Keras 3's Adadelta: E[g²] ← ρE[g²] + (1−ρ)g², Δ = −√(E[Δ²] + ε)·g/√(E[g²] + ε), E[Δ²] ← ρE[Δ²] + (1−ρ)Δ², θ ← θ + lr·Δ.</summary>
    void AdadeltaUpdate(DeviceStorage variable, DeviceStorage gradient, DeviceStorage accumulatedGrad, DeviceStorage accumulatedDeltaVar, float learningRate, float rho, float oneMinusRho, float epsilon);

    /// <summary>Keras 3's Adamax: m ← m + (g − m)(1 − β1), u ← max(β2·u, |g|), θ ← θ − lr·m/((1 − β1^t)(u + ε)).</summary>
    void AdamaxUpdate(DeviceStorage variable, DeviceStorage gradient, DeviceStorage m, DeviceStorage u, float learningRate, float oneMinusBeta1, float beta2, float oneMinusBeta1Power, float epsilon);

    /// <summary>Keras 3's Nadam: m ← m + (g − m)(1 − β1), v ← v + (g² − v)(1 − β2), m̂ = u_{t+1}·m/(1 − Πu_{t+1}) + (1 − u_t)·g/(1 − Πu_t), v̂ = v/(1 − β2^t), θ ← θ − m̂·lr/(√v̂ + ε).</summary>
    void NadamUpdate(DeviceStorage variable, DeviceStorage gradient, DeviceStorage m, DeviceStorage v, float learningRate, float beta1, float beta2, float uT, float uT1, float uProductT, float uProductT1, float beta2Power, float epsilon);

    /// <summary>Keras 3's Lion: θ ← θ − lr·sign(β1·m + (1 − β1)·g), then m ← β2·m + (1 − β2)·g.</summary>
    void LionUpdate(DeviceStorage variable, DeviceStorage gradient, DeviceStorage m, float learningRate, float beta1, float beta2);

    /// <summary>Keras 3's decoupled weight decay, applied before the update: θ ← θ − θ·wd·lr.</summary>
    void DecayWeights(DeviceStorage variable, float weightDecay, float learningRate);

    /// <summary>Keras 3's per-variable <c>clipnorm</c>: clipped = g·c / max(‖g‖₂, c) (‖g‖₂ taken as 0 for an all-zero g).</summary>
    void ClipByNorm(DeviceStorage gradient, DeviceStorage clipped, float clipnorm);

    /// <summary>Keras 3's <c>clipvalue</c>: clipped = clip(g, −c, c).</summary>
    void ClipByValue(DeviceStorage gradient, DeviceStorage clipped, float clipvalue);

    /// <summary>Keras 3's <c>clip_by_global_norm</c> for one gradient, given Σ‖g_i‖² over all of them in <paramref name="squaredNorm"/>[0]: clipped = g·c·min(1/n, 1/c) with n = √Σ, NaN when n is not finite.</summary>
    void ScaleByGlobalNorm(DeviceStorage gradient, DeviceStorage squaredNorm, float clipnorm, DeviceStorage clipped);

    /// <summary>Keras 3's EMA of weights: average ← momentum·average + (1 − momentum)·θ.</summary>
    void EmaUpdate(DeviceStorage average, DeviceStorage variable, float momentum);

    /// <summary>Row-wise L2 normalization (see <see cref="IKernels.L2NormalizeRows"/>).</summary>
    void L2NormalizeRows(DeviceStorage x, DeviceStorage y, int k, float epsilon);

    /// <summary>Gradient of <see cref="L2NormalizeRows"/>.</summary>
    void L2NormalizeRowsGrad(DeviceStorage x, DeviceStorage dy, DeviceStorage dx, int k, float epsilon);
}
