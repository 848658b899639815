namespace ResNetKeras.Kernels;

/// <summary>
/// The seam between ops and the code that runs them. Ops (<c>ResNetKeras.Ops.Op</c>) call only this
/// interface, so a GPU backend can replace <see cref="Cpu.CpuKernels"/> without touching ops or layers.
/// Every buffer is dense, row-major float32; NHWC images and HWIO kernels. Output buffers are
/// overwritten unless a method says it accumulates.
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
}
