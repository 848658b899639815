namespace ResNetKeras.Kernels;

/// <summary>
/// The kernels over host arrays that the host-memory devices run (<see cref="Devices.Cpu.CpuDevice"/> directly,
/// <see cref="Devices.Sim.SimDevice"/> on staged copies of its memory). Ops never see this interface: they call
/// <see cref="Devices.IDevice"/>. Every buffer is dense, row-major float32; NHWC images and HWIO kernels. Output
/// buffers are overwritten unless a method says it accumulates or updates.
/// </summary>
public interface IKernels
{
    /// <summary>y[n,i,j,o] = bias[o] + Σ x[n, i·sh + di − pt, j·sw + dj − pl, c] · w[di,dj,c,o] (zero outside the input; no bias when null).</summary>
    void Conv2DForward(float[] x, float[] w, float[]? bias, float[] y, in ConvGeometry g);

    /// <summary>dx = ∂L/∂x of <see cref="Conv2DForward"/> given dy.</summary>
    void Conv2DBackwardData(float[] dy, float[] w, float[] dx, in ConvGeometry g);

    /// <summary>dw = ∂L/∂w of <see cref="Conv2DForward"/> given x and dy (summed over the batch).</summary>
    void Conv2DBackwardFilter(float[] x, float[] dy, float[] dw, in ConvGeometry g);

    /// <summary>c (m×n) = op(a)·op(b) with op(a) m×k, op(b) k×n; row-major; transA/transB read a/b transposed.</summary>
    void Gemm(bool transA, bool transB, int m, int n, int k, float[] a, float[] b, float[] c);

    /// <summary>y[r, ch] = x[r, ch] + bias[ch].</summary>
    void BiasAdd(float[] x, float[] bias, float[] y, int channels);

    /// <summary>db[ch] = Σ_r dy[r, ch].</summary>
    void ColumnSum(float[] dy, float[] db, int channels);

    /// <summary>Per-channel mean and biased variance over all rows of a (rows × channels) matrix.</summary>
    void ChannelMoments(float[] x, int channels, float[] mean, float[] variance);

    /// <summary>
    /// y = (x − mean[ch])·scale[ch] + shift[ch] per channel (the affine form of batch normalization); with
    /// <paramref name="relu"/>, max(y, 0) in the same pass, exactly what <see cref="Unary"/> would give after it.
    /// </summary>
    void ChannelAffine(float[] x, float[] mean, float[] scale, float[] shift, float[] y, int channels, bool relu);

    /// <summary>
    /// Per-channel Σ dy and Σ dy·(x − mean)·invStd (the batch-norm gradient reductions). With
    /// <paramref name="reluOutput"/>, dy is first masked to where that output is positive (the gradient of a ReLU
    /// fused after the normalization), with the values <see cref="UnaryGrad"/> would give.
    /// </summary>
    void BatchNormReductions(float[] x, float[] dy, float[]? reluOutput, float[] mean, float[] invStd, int channels, float[] sumDy, float[] sumDyXhat);

    /// <summary>
    /// Training-mode batch-norm input gradient: dx = γ·invStd·(dy − Σdy/m − x̂·Σdy·x̂/m), dy masked by
    /// <paramref name="reluOutput"/> as in <see cref="BatchNormReductions"/>.
    /// </summary>
    void BatchNormBackwardData(float[] x, float[] dy, float[]? reluOutput, float[] mean, float[] invStd, float[] gamma, float[] sumDy, float[] sumDyXhat, int channels, float[] dx);

    /// <summary>Element-wise unary function or its gradient.</summary>
    void Unary(UnaryKind kind, float[] x, float[] y);

    /// <summary>
    /// dx = dy · f'(x) for an activation, from its output y alone (relu: y &gt; 0 exactly where x &gt; 0), so training
    /// keeps one buffer per activation instead of two.
    /// </summary>
    void UnaryGrad(UnaryKind kind, float[] y, float[] dy, float[] dx);

    /// <summary>Row-wise softmax of a (rows × classes) matrix.</summary>
    void Softmax(float[] x, float[] y, int classes);

    /// <summary>y = Σ_i xs[i] (same lengths); with <paramref name="relu"/>, max(y, 0) in the same pass.</summary>
    void AddN(IReadOnlyList<float[]> xs, float[] y, bool relu);

    /// <summary>y = a·x.</summary>
    void Scale(float[] x, float a, float[] y);

    /// <summary>Average or max pooling (windows clipped to the input; average counts in-bounds cells only).</summary>
    void Pool2DForward(bool max, float[] x, float[] y, in ConvGeometry g);

    /// <summary>Gradient of <see cref="Pool2DForward"/> (max routes to the first maximal cell).</summary>
    void Pool2DBackward(bool max, float[] x, float[] dy, float[] dx, in ConvGeometry g);

    /// <summary>y = x·m element-wise.</summary>
    void Multiply(float[] x, float[] m, float[] y);

    /// <summary>Copies (n, h, w, c) <paramref name="x"/> into the centre of a zeroed (n, h+top+bottom, w+left+right, c) <paramref name="y"/>.</summary>
    void ZeroPad2D(float[] x, float[] y, int n, int h, int w, int c, int top, int bottom, int left, int right);

    /// <summary>The inverse window of <see cref="ZeroPad2D"/>: copies the centre of padded <paramref name="y"/> back into <paramref name="x"/>.</summary>
    void Crop2D(float[] y, float[] x, int n, int h, int w, int c, int top, int bottom, int left, int right);

    /// <summary>
    /// Training-mode batch normalization in one call: batch mean and biased variance per channel into
    /// <paramref name="saveMean"/> and 1/√(σ² + ε) into <paramref name="saveInvStd"/> (what the backward call reads),
    /// y = γ·(x − μ)·invStd + β (max(y, 0) with <paramref name="relu"/>), and, when given, the moving statistics
    /// updated with <paramref name="momentum"/>: Keras's fused form (variance scaled by m/(m−1)) with
    /// <paramref name="besselCorrection"/>, else moving −= (moving − batch)·(1 − momentum) with the biased variance.
    /// </summary>
    void BatchNormTrainingForward(float[] x, float[]? gamma, float[]? beta, float[] y, float[] saveMean, float[] saveInvStd,
        float[]? movingMean, float[]? movingVariance, int channels, float epsilon, float momentum, bool besselCorrection, bool relu);

    /// <summary>
    /// Training-mode batch-norm gradients in one call: dbeta = Σ dy, dgamma = Σ dy·x̂ and, when <paramref name="dx"/> is
    /// given, the input gradient; dy is first masked by <paramref name="reluOutput"/> when a ReLU was fused.
    /// </summary>
    void BatchNormTrainingBackward(float[] x, float[] dy, float[]? reluOutput, float[]? gamma, float[] saveMean, float[] saveInvStd,
        float[]? dx, float[] dgamma, float[] dbeta, int channels);

    /// <summary>Inference-mode batch normalization with the moving statistics (max(y, 0) with <paramref name="relu"/>).</summary>
    void BatchNormInferenceForward(float[] x, float[]? gamma, float[]? beta, float[] movingMean, float[] movingVariance, float[] y,
        int channels, float epsilon, bool relu);

    /// <summary>Gradients of <see cref="BatchNormInferenceForward"/>: dbeta, dgamma and, when given, dx (statistics held constant).</summary>
    void BatchNormInferenceBackward(float[] x, float[] dy, float[]? reluOutput, float[]? gamma, float[] movingMean, float[] movingVariance,
        float[]? dx, float[] dgamma, float[] dbeta, int channels, float epsilon);

    /// <summary>dx = y·(dy − Σ_j dy_j·y_j) row-wise: the softmax gradient from its output.</summary>
    void SoftmaxBackward(float[] y, float[] dy, float[] dx, int classes);

    /// <summary>Per-row cross-entropy of a (rows × classes) prediction; labels are one-hot rows or, for sparse kinds, one class index per row.</summary>
    void CrossEntropyForward(CrossEntropyKind kind, float[] predictions, float[] labels, float[] loss, int classes);

    /// <summary>dpredictions = dloss[r]·∂ℓ_r/∂predictions for <see cref="CrossEntropyForward"/>.</summary>
    void CrossEntropyBackward(CrossEntropyKind kind, float[] predictions, float[] labels, float[] dloss, float[] dpredictions, int classes);

    /// <summary>
    /// y[o, i] = (Σ_r x[o, r, i]) / divisor over an (outer × reduced × inner) view, summed in double in index order
    /// (a sum or mean over contiguous axes; over everything when outer = inner = 1).
    /// </summary>
    void ReduceSum(float[] x, float[] y, int outer, int reduced, int inner, double divisor);

    /// <summary>y[o, r, i] = s[o, i] / divisor over an (outer × reduced × inner) view: the gradient of <see cref="ReduceSum"/>.</summary>
    void BroadcastReduced(float[] s, float[] y, int outer, int reduced, int inner, float divisor);

    /// <summary>y[0] = scale·Σ x² (summed in double): an L2 penalty.</summary>
    void SumOfSquares(float[] x, float[] y, float scale);

    /// <summary>y = (a·s[0])·x: a gradient scaled by an upstream scalar.</summary>
    void ScaleByScalar(float[] x, float[] s, float a, float[] y);

    /// <summary>
    /// Inverted-dropout mask: 1/(1 − rate) where the uniform draw u(seed, i) ≥ rate, else 0. The draw is a
    /// counter-based hash of (seed, i), so every device produces the same mask without a sequential generator.
    /// </summary>
    void DropoutMask(float[] mask, float rate, ulong seed);

    /// <summary>
    /// TensorFlow's ResourceApplyAdam in float32: m ← m + (g − m)(1 − β1), v ← v + (g² − v)(1 − β2),
    /// θ ← θ − α·m/(√v + ε), with v replaced by the running maximum v̂ when <paramref name="vhat"/> is given (AMSGrad).
    /// </summary>
    void AdamUpdate(float[] variable, float[] gradient, float[] m, float[] v, float[]? vhat, float alpha, float beta1, float beta2, float epsilon);

    /// <summary>
    /// Keras's SGD: θ ← θ − lr·g without <paramref name="velocity"/>; else v ← μ·v − lr·g and θ ← θ + v
    /// (Nesterov: θ ← θ + μ·v − lr·g).
    /// </summary>
    void SgdUpdate(float[] variable, float[] gradient, float[]? velocity, float learningRate, float momentum, bool nesterov);

    /// <summary>target += value element-wise (metric state and other accumulators).</summary>
    void AssignAdd(float[] target, float[] value);

    /// <summary>
    /// Writes 1 or 0 per row (argmax and top-k kinds; <paramref name="classes"/> per row) or per element (equal and
    /// threshold kinds) into <paramref name="result"/>; sparse labels hold one class index per row.
    /// </summary>
    void Matches(MatchKind kind, float[] predictions, float[] labels, float[] result, int classes, int k, float threshold);

    /// <summary>y[r] = the index of the largest value of row r (first on ties, as np.argmax), as a float.</summary>
    void ArgMaxRows(float[] x, float[] y, int classes);

    /// <summary>y = a / b element-wise, 0 where b is 0 (<c>divide_no_nan</c>).</summary>
    void DivideNoNan(float[] a, float[] b, float[] y);

    /// <summary>values[i] = the loss term of (yTrue[i], yPred[i]) (see <see cref="ElementwiseLossKind"/>; <paramref name="parameter"/> is δ or the label smoothing).</summary>
    void ElementwiseLoss(ElementwiseLossKind kind, float[] yTrue, float[] yPred, float[] values, float parameter);

    /// <summary>dPred[i] = dValues[i]·∂term/∂yPred[i] for <see cref="ElementwiseLoss"/>.</summary>
    void ElementwiseLossGrad(ElementwiseLossKind kind, float[] yTrue, float[] yPred, float[] dValues, float[] dPred, float parameter);

    // ---- issue 17 layers: convolution variants, resizing, normalization, augmentation (kept together for merging) ----

    /// <summary>
    /// <see cref="Conv2DForward"/> with dilation and groups: y[n,i,j,o] = bias[o] + Σ x[n, i·sh + di·dh − pt, j·sw + dj·dw − pl, grp·icg + c]·w[di,dj,c,o]
    /// over c &lt; icg = InC/groups, where grp = o / (OutC/groups); the kernel is (kh, kw, InC/groups, OutC) as in Keras.
    /// </summary>
    void Conv2DGeneralForward(float[] x, float[] w, float[]? bias, float[] y, in ConvGeometry g, int dilationH, int dilationW, int groups);

    /// <summary>dx of <see cref="Conv2DGeneralForward"/> given dy.</summary>
    void Conv2DGeneralBackwardData(float[] dy, float[] w, float[] dx, in ConvGeometry g, int dilationH, int dilationW, int groups);

    /// <summary>dw of <see cref="Conv2DGeneralForward"/> given x and dy (summed over the batch).</summary>
    void Conv2DGeneralBackwardFilter(float[] x, float[] dy, float[] dw, in ConvGeometry g, int dilationH, int dilationW, int groups);

    /// <summary>
    /// tf.image.resize of NHWC (n, h, w, c) to (n, outH, outW, c) with half-pixel centers and no antialiasing (Keras 3):
    /// bilinear, or nearest with source index min(floor((i + 0.5)·in/out), in − 1).
    /// </summary>
    void Resize2DForward(bool bilinear, float[] x, float[] y, int n, int h, int w, int c, int outH, int outW);

    /// <summary>dx of <see cref="Resize2DForward"/> given dy.</summary>
    void Resize2DBackward(bool bilinear, float[] dy, float[] dx, int n, int h, int w, int c, int outH, int outW);

    /// <summary>
    /// Row-wise layer normalization of a (rows × cols) view: y = (x − μ)·σ⁻¹·gamma + beta with the population variance,
    /// σ⁻¹ = 1/√(var + ε); saves μ and σ⁻¹ per row for the backward pass.
    /// </summary>
    void LayerNormForward(float[] x, float[]? gamma, float[]? beta, float[] y, float[] mean, float[] invStd, int rows, int cols, float epsilon);

    /// <summary>Gradients of <see cref="LayerNormForward"/>: dx, dgamma and dbeta, each only when given.</summary>
    void LayerNormBackward(float[] x, float[] dy, float[]? gamma, float[] mean, float[] invStd, float[]? dx, float[]? dgamma, float[]? dbeta, int rows, int cols);

    /// <summary>y[n, s, c] = x[n, s, c]·mask[n, c] over a (batch × spatial × channels) view (SpatialDropout2D's broadcast mask).</summary>
    void ChannelMaskMultiply(float[] x, float[] mask, float[] y, int batch, int spatial, int channels);

    /// <summary>
    /// TensorFlow's ImageProjectiveTransformV3 over NHWC images (Keras 3's affine_transform): output pixel (x, y) of
    /// image b reads the input at ((t0·x + t1·y + t2)/p, (t3·x + t4·y + t5)/p), p = t6·x + t7·y + 1, with the 8
    /// transform values of image b in <paramref name="transforms"/>; coordinates are mapped by
    /// <paramref name="fillMode"/>, then sampled bilinearly or by rounding, out-of-image taps reading <paramref name="fillValue"/>.
    /// </summary>
    void AffineTransform2DForward(float[] x, float[] transforms, float[] y, int n, int h, int w, int c, bool bilinear, AffineFillMode fillMode, float fillValue);

    /// <summary>dx of <see cref="AffineTransform2DForward"/> given dy (the transforms held constant).</summary>
    void AffineTransform2DBackward(float[] dy, float[] transforms, float[] dx, int n, int h, int w, int c, bool bilinear, AffineFillMode fillMode);

    /// <summary>
    /// Keras's RandomContrast: y = clip((x − μ)·f_b + μ, low, high) with μ the mean of image b's channel over its
    /// <paramref name="spatial"/> positions and f_b = <paramref name="factors"/>[b].
    /// </summary>
    void AdjustContrastForward(float[] x, float[] factors, float[] y, int n, int spatial, int c, float low, float high);

    /// <summary>dx of <see cref="AdjustContrastForward"/> given dy.</summary>
    void AdjustContrastBackward(float[] x, float[] dy, float[] factors, float[] dx, int n, int spatial, int c, float low, float high);
    // ---- Activations, merge and shape layers (issue 17): element-wise activations with parameters, PReLU,
    // log-softmax, binary merges, concatenation, transposition, rescaling and normalization. ----

    /// <summary>
    /// y = f(x) for any <see cref="UnaryKind"/>; <paramref name="alpha"/> is LeakyRelu's negative slope and Elu's α
    /// (ignored by the other kinds).
    /// </summary>
    void Activation(UnaryKind kind, float[] x, float[] y, float alpha);

    /// <summary>
    /// dx = dy·f'(x). <paramref name="saved"/> is the output y when <see cref="UnaryKindExtensions.GradientFromOutput"/>
    /// holds for <paramref name="kind"/>, else the input x.
    /// </summary>
    void ActivationGrad(UnaryKind kind, float[] saved, float[] dy, float[] dx, float alpha);

    /// <summary>
    /// Keras's <c>relu(x, negative_slope, max_value, threshold)</c>: g = (x &gt; θ ? x : 0), clipped to [0, max] when
    /// <paramref name="maxValue"/> is finite, minus slope·max(θ − x, 0).
    /// </summary>
    void ClippedRelu(float[] x, float[] y, float negativeSlope, float maxValue, float threshold);

    /// <summary>dx = dy·f'(x) of <see cref="ClippedRelu"/> (1 where x &gt; θ and inside the clip, + slope where x &lt; θ).</summary>
    void ClippedReluGrad(float[] x, float[] dy, float[] dx, float negativeSlope, float maxValue, float threshold);

    /// <summary>
    /// PReLU: y = x for x &gt; 0, else α[a(i)]·x, where each sample has shape <paramref name="sampleShape"/> and the
    /// α index of sample position (c₀, c₁, ...) is Σ c_d·<paramref name="alphaStrides"/>[d] (stride 0 on shared axes).
    /// </summary>
    void PRelu(float[] x, float[] alpha, float[] y, int[] sampleShape, int[] alphaStrides);

    /// <summary>Gradients of <see cref="PRelu"/>: dx (when given) and dα = Σ dy·min(x, 0) over the batch and shared axes (when given; summed in double in index order).</summary>
    void PReluGrad(float[] x, float[] alpha, float[] dy, float[]? dx, float[]? dalpha, int[] sampleShape, int[] alphaStrides);

    /// <summary>Row-wise log-softmax, x − max − log Σ e^(x − max), of a (rows × classes) matrix.</summary>
    void LogSoftmax(float[] x, float[] y, int classes);

    /// <summary>dx = dy − e^y·Σ_j dy_j row-wise: the log-softmax gradient from its output.</summary>
    void LogSoftmaxBackward(float[] y, float[] dy, float[] dx, int classes);

    /// <summary>y = a ∘ b element-wise (see <see cref="BinaryKind"/>).</summary>
    void Binary(BinaryKind kind, float[] a, float[] b, float[] y);

    /// <summary>da and db (each when given) of <see cref="Binary"/> given dy; max/min route dy to one side, to a on ties.</summary>
    void BinaryGrad(BinaryKind kind, float[] a, float[] b, float[] dy, float[]? da, float[]? db);

    /// <summary>
    /// Concatenation along one axis: input i viewed as (outer × inners[i]) lands in columns [Σ_{j&lt;i} inners[j], ...) of
    /// y viewed as (outer × Σ inners).
    /// </summary>
    void Concat(IReadOnlyList<float[]> xs, float[] y, int outer, int[] inners);

    /// <summary>x (outer × inner) = columns [offset, offset + inner) of y (outer × total): one input's part of a concatenation.</summary>
    void SliceColumns(float[] y, float[] x, int outer, int total, int offset, int inner);

    /// <summary>y = x with axes permuted: y's axis d is x's axis perm[d] (x has shape <paramref name="shape"/>).</summary>
    void Transpose(float[] x, float[] y, int[] shape, int[] perm);

    /// <summary>y = x·scale + offset.</summary>
    void AffineScalar(float[] x, float[] y, float scale, float offset);

    /// <summary>
    /// Keras 3's Normalization over an (outer × channels × inner) view: y = (x − mean[c])/max(√var[c], ε), or with
    /// <paramref name="invert"/> y = mean[c] + x·max(√var[c], ε).
    /// </summary>
    void AxisNormalize(float[] x, float[] mean, float[] variance, float[] y, int outer, int channels, int inner, float epsilon, bool invert);

    /// <summary>dx of <see cref="AxisNormalize"/>: dy/max(√var[c], ε), or dy·max(√var[c], ε) with <paramref name="invert"/>.</summary>
    void AxisNormalizeGrad(float[] dy, float[] variance, float[] dx, int outer, int channels, int inner, float epsilon, bool invert);

    // ---- Confusion-matrix metrics (Precision, Recall, AUC)

    /// <summary>
    /// Adds, for every threshold θ_k, the (weighted) counts of label ≠ 0 and prediction &gt; θ_k (tp), label = 0 and
    /// prediction &gt; θ_k (fp), label = 0 and prediction ≤ θ_k (tn), label ≠ 0 and prediction ≤ θ_k (fn) to the four
    /// count vectors; one weight per element, or all 1 when <paramref name="weights"/> is null.
    /// </summary>
    void ConfusionUpdate(float[] yTrue, float[] yPred, float[]? weights, float[] thresholds, float[] tp, float[] fp, float[] tn, float[] fn);

    /// <summary>The metric's value from the counts: one value per threshold (precision, recall) or one area (AUC).</summary>
    void ConfusionResult(ConfusionRatio ratio, float[] tp, float[] fp, float[] tn, float[] fn, float[] result);

    /// <summary>
    /// Adds each (true class, predicted class) pair's weight to a (classes × classes) matrix, rows the true class
    /// (Keras's <c>confusion_matrix</c>); both given as class indices, weights all 1 when null.
    /// </summary>
    void ClassConfusionUpdate(float[] yTrue, float[] yPred, float[]? weights, float[] matrix, int classes);

    /// <summary>MeanIoU from a class confusion matrix: the mean over classes with a non-zero denominator of tp/(tp + fp + fn).</summary>
    void MeanIoUResult(float[] matrix, float[] result, int classes);
    // ------------------------------------------------------------------ optimizers (issue 17): Keras 3's update steps, clipping, weight decay, EMA

    /// <summary>Keras 3's RMSprop: v ← ρv + (1−ρ)g²; centered (when <paramref name="averageGradient"/> is given): ḡ ← ρḡ + (1−ρ)g, d = v − ḡ² + ε, else d = v + ε; Δ = lr·g/√d; with <paramref name="momentum"/>: μ ← c·μ + Δ, θ ← θ − μ; else θ ← θ − Δ.</summary>
    void RmspropUpdate(float[] variable, float[] gradient, float[] velocity, float[]? momentum, float[]? averageGradient, float learningRate, float rho, float oneMinusRho, float momentumCoefficient, float epsilon);

    /// <summary>Keras 3's Adagrad: a ← a + g², θ ← θ − lr·g/√(a + ε).</summary>
    void AdagradUpdate(float[] variable, float[] gradient, float[] accumulator, float learningRate, float epsilon);

    /// <summary>Keras 3's Adadelta: E[g²] ← ρE[g²] + (1−ρ)g², Δ = −√(E[Δ²] + ε)·g/√(E[g²] + ε), E[Δ²] ← ρE[Δ²] + (1−ρ)Δ², θ ← θ + lr·Δ.</summary>
    void AdadeltaUpdate(float[] variable, float[] gradient, float[] accumulatedGrad, float[] accumulatedDeltaVar, float learningRate, float rho, float oneMinusRho, float epsilon);

    /// <summary>Keras 3's Adamax: m ← m + (g − m)(1 − β1), u ← max(β2·u, |g|), θ ← θ − lr·m/((1 − β1^t)(u + ε)).</summary>
    void AdamaxUpdate(float[] variable, float[] gradient, float[] m, float[] u, float learningRate, float oneMinusBeta1, float beta2, float oneMinusBeta1Power, float epsilon);

    /// <summary>Keras 3's Nadam: m ← m + (g − m)(1 − β1), v ← v + (g² − v)(1 − β2), m̂ = u_{t+1}·m/(1 − Πu_{t+1}) + (1 − u_t)·g/(1 − Πu_t), v̂ = v/(1 − β2^t), θ ← θ − m̂·lr/(√v̂ + ε).</summary>
    void NadamUpdate(float[] variable, float[] gradient, float[] m, float[] v, float learningRate, float beta1, float beta2, float uT, float uT1, float uProductT, float uProductT1, float beta2Power, float epsilon);

    /// <summary>Keras 3's Lion: θ ← θ − lr·sign(β1·m + (1 − β1)·g), then m ← β2·m + (1 − β2)·g.</summary>
    void LionUpdate(float[] variable, float[] gradient, float[] m, float learningRate, float beta1, float beta2);

    /// <summary>Keras 3's decoupled weight decay, applied before the update: θ ← θ − θ·wd·lr.</summary>
    void DecayWeights(float[] variable, float weightDecay, float learningRate);

    /// <summary>Keras 3's per-variable <c>clipnorm</c>: clipped = g·c / max(‖g‖₂, c) (‖g‖₂ taken as 0 for an all-zero g).</summary>
    void ClipByNorm(float[] gradient, float[] clipped, float clipnorm);

    /// <summary>Keras 3's <c>clipvalue</c>: clipped = clip(g, −c, c).</summary>
    void ClipByValue(float[] gradient, float[] clipped, float clipvalue);

    /// <summary>Keras 3's <c>clip_by_global_norm</c> for one gradient, given Σ‖g_i‖² over all of them in <paramref name="squaredNorm"/>[0]: clipped = g·c·min(1/n, 1/c) with n = √Σ, NaN when n is not finite.</summary>
    void ScaleByGlobalNorm(float[] gradient, float[] squaredNorm, float clipnorm, float[] clipped);

    /// <summary>Keras 3's EMA of weights: average ← momentum·average + (1 − momentum)·θ.</summary>
    void EmaUpdate(float[] average, float[] variable, float momentum);

    /// <summary>
    /// Keras 3's <c>ops.normalize(x, order=2)</c> per row of <paramref name="k"/> values: y = x·min(1/√Σx², 1/ε)
    /// (so x/max(‖x‖₂, ε); an all-zero row gives zeros).
    /// </summary>
    void L2NormalizeRows(float[] x, float[] y, int k, float epsilon);

    /// <summary>dx of <see cref="L2NormalizeRows"/>: (dy − y·Σ dy·y)/‖x‖₂ per row where ‖x‖₂ ≥ ε, dy/ε where the bound holds.</summary>
    void L2NormalizeRowsGrad(float[] x, float[] dy, float[] dx, int k, float epsilon);
}
