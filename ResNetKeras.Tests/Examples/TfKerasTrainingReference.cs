using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Examples;

/// <summary>
/// An independent float64 implementation of tf.keras 2.x training steps (<c>train_on_batch</c> with Adam and
/// categorical cross-entropy from the softmax's logits, plus L2 penalties) for graphs of Conv2D, BatchNormalization,
/// Activation("relu"), Add, AveragePooling2D, Flatten and Dense. It reads only the model's graph and
/// hyperparameters; every value is computed here with plain loops: convolutions with TensorFlow's SAME padding,
/// batch normalization with batch statistics and the closed-form gradient of TensorFlow's fused kernel, moving
/// averages with the n/(n-1)-corrected batch variance, and Adam as tf.keras's ApplyAdam.
/// </summary>
internal sealed class TfKerasTrainingReference
{
    private readonly Model model;
    private readonly Dictionary<ResNetKeras.Engine.Variable, double[]> values = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<ResNetKeras.Engine.Variable, double[]> m = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<ResNetKeras.Engine.Variable, double[]> v = new(ReferenceEqualityComparer.Instance);
    private readonly double learningRate;
    private int iterations;

    public TfKerasTrainingReference(Model model, double learningRate)
    {
        this.model = model;
        this.learningRate = (float)learningRate;
        foreach (var w in model.Weights) values[w] = w.Numpy().Float32Data.Select(f => (double)f).ToArray();
        foreach (var w in model.TrainableWeights)
        {
            m[w] = new double[values[w].Length];
            v[w] = new double[values[w].Length];
        }
    }

    public double[] Value(ResNetKeras.Engine.Variable w) => values[w];


    /// <summary>Adam's first and second moments of a trainable variable.</summary>
    public (double[] M, double[] V) Moments(ResNetKeras.Engine.Variable w) => (m[w], v[w]);

    private sealed record T(double[] Data, int[] Shape)
    {
        public int N => Shape[0];
        public int Size => Data.Length;
    }

    /// <summary>One train_on_batch step; returns the loss it reports (cross-entropy mean plus penalties, before the update).</summary>
    public double Step(float[] x, int[] xShape, float[] y)
    {
        var acts = new Dictionary<KerasTensor, T>(ReferenceEqualityComparer.Instance);
        var caches = new Dictionary<object, object>(ReferenceEqualityComparer.Instance);
        acts[model.Input] = new T(x.Select(f => (double)f).ToArray(), xShape);
        double[]? logits = null;
        foreach (var node in model.ExecutionNodes)
        {
            if (node.Layer is InputLayer) continue;
            var inputs = node.Inputs.Select(t => acts[t]).ToArray();
            var (outT, cache, lg) = Forward(node.Layer, inputs);
            acts[node.Output] = outT;
            caches[node] = cache!;
            if (lg is not null) logits = lg;
        }
        var output = acts[model.Output];
        int n = output.N, k = output.Shape[1];
        double ce = 0;
        var dLogits = new double[n * k];
        for (int i = 0; i < n; i++)
        {
            double max = double.NegativeInfinity;
            for (int c = 0; c < k; c++) max = Math.Max(max, logits![i * k + c]);
            double sum = 0;
            for (int c = 0; c < k; c++) sum += Math.Exp(logits![i * k + c] - max);
            for (int c = 0; c < k; c++)
            {
                double logp = logits![i * k + c] - max - Math.Log(sum);
                ce -= y[i * k + c] * logp;
                dLogits[i * k + c] = (Math.Exp(logp) - y[i * k + c]) / n;
            }
        }
        double loss = ce / n;
        var grads = new Dictionary<ResNetKeras.Engine.Variable, double[]>(ReferenceEqualityComparer.Instance);
        foreach (var w in model.TrainableWeights) grads[w] = new double[values[w].Length];
        foreach (var layer in model.Layers)
            if (layer is Conv2D { KernelRegularizer: L2 l2 } conv)
            {
                var kernel = conv.Weights[0];
                double f = l2.Factor;
                var kv = values[kernel];
                for (int i = 0; i < kv.Length; i++)
                {
                    loss += f * kv[i] * kv[i];
                    grads[kernel][i] += 2 * f * kv[i];
                }
            }

        var dActs = new Dictionary<KerasTensor, double[]>(ReferenceEqualityComparer.Instance) { [model.Output] = dLogits };
        foreach (var node in model.ExecutionNodes.Reverse())
        {
            if (node.Layer is InputLayer || !dActs.TryGetValue(node.Output, out var dy)) continue;
            var inputs = node.Inputs.Select(t => acts[t]).ToArray();
            var dxs = Backward(node.Layer, inputs, acts[node.Output], dy, caches[node], grads);
            for (int i = 0; i < node.Inputs.Length; i++)
            {
                if (dActs.TryGetValue(node.Inputs[i], out var acc)) for (int j = 0; j < acc.Length; j++) acc[j] += dxs[i][j];
                else dActs[node.Inputs[i]] = dxs[i];
            }
        }

        iterations++;
        double b1 = (float)0.9, b2 = (float)0.999, eps = (float)1e-7;
        double alpha = learningRate * Math.Sqrt(1 - Math.Pow(b2, iterations)) / (1 - Math.Pow(b1, iterations));
        foreach (var w in model.TrainableWeights)
        {
            var g = grads[w];
            var (mw, vw, p) = (m[w], v[w], values[w]);
            for (int i = 0; i < p.Length; i++)
            {
                mw[i] += (g[i] - mw[i]) * (1 - b1);
                vw[i] += (g[i] * g[i] - vw[i]) * (1 - b2);
                p[i] -= alpha * mw[i] / (Math.Sqrt(vw[i]) + eps);
            }
        }
        return loss;
    }

    private static (int Before, int Out) Pad(int size, int k, int s, string padding)
    {
        if (padding == "valid") return (0, (size - k) / s + 1);
        int outSize = (size + s - 1) / s;
        int total = Math.Max((outSize - 1) * s + k - size, 0);
        return (total / 2, outSize);
    }

    private (T Out, object? Cache, double[]? Logits) Forward(Layer layer, T[] inputs)
    {
        var x = inputs[0];
        switch (layer)
        {
            case Conv2D conv:
            {
                if (conv.Activation is not ("linear" or null or "")) throw new NotSupportedException($"reference: Conv2D activation {conv.Activation}");
                var kv = values[conv.Weights[0]];
                var bv = conv.UseBias ? values[conv.Weights[1]] : null;
                int n = x.N, h = x.Shape[1], wd = x.Shape[2], ci = x.Shape[3], co = conv.Filters;
                int kh = conv.KernelSize.First, kw = conv.KernelSize.Second, sh = conv.Strides.First, sw = conv.Strides.Second;
                var (pt, oh) = Pad(h, kh, sh, conv.Padding);
                var (pl, ow) = Pad(wd, kw, sw, conv.Padding);
                var y = new double[n * oh * ow * co];
                Parallel.For(0, n * oh, row =>
                {
                    int b = row / oh, r = row % oh;
                    for (int c = 0; c < ow; c++)
                    {
                        int o = ((b * oh + r) * ow + c) * co;
                        if (bv is not null) for (int q = 0; q < co; q++) y[o + q] = bv[q];
                        for (int i = 0; i < kh; i++)
                        {
                            int ih = r * sh + i - pt;
                            if (ih < 0 || ih >= h) continue;
                            for (int j = 0; j < kw; j++)
                            {
                                int iw = c * sw + j - pl;
                                if (iw < 0 || iw >= wd) continue;
                                int xi = ((b * h + ih) * wd + iw) * ci;
                                for (int p = 0; p < ci; p++)
                                {
                                    double xv = x.Data[xi + p];
                                    int ki = ((i * kw + j) * ci + p) * co;
                                    for (int q = 0; q < co; q++) y[o + q] += xv * kv[ki + q];
                                }
                            }
                        }
                    }
                });
                return (new T(y, [n, oh, ow, co]), (pt, pl), null);
            }
            case BatchNormalization bn:
            {
                int c = x.Shape[^1], count = x.Size / c;
                var mean = new double[c];
                var varc = new double[c];
                for (int i = 0; i < x.Size; i++) mean[i % c] += x.Data[i];
                for (int q = 0; q < c; q++) mean[q] /= count;
                for (int i = 0; i < x.Size; i++) { double d = x.Data[i] - mean[i % c]; varc[i % c] += d * d; }
                for (int q = 0; q < c; q++) varc[q] /= count;
                double eps = (float)bn.Epsilon, momentum = (float)bn.Momentum;
                var gamma = bn.Scale ? values[bn.Weights[0]] : null;
                var beta = bn.Center ? values[bn.Weights[bn.Scale ? 1 : 0]] : null;
                var xhat = new double[x.Size];
                var y = new double[x.Size];
                for (int i = 0; i < x.Size; i++)
                {
                    int q = i % c;
                    xhat[i] = (x.Data[i] - mean[q]) / Math.Sqrt(varc[q] + eps);
                    y[i] = xhat[i] * (gamma?[q] ?? 1) + (beta?[q] ?? 0);
                }
                var weights = bn.Weights;
                var mm = values[weights[^2]];
                var mv = values[weights[^1]];
                for (int q = 0; q < c; q++)
                {
                    mm[q] -= (mm[q] - mean[q]) * (1 - momentum);
                    mv[q] -= (mv[q] - varc[q] * count / (count - 1)) * (1 - momentum);
                }
                return (new T(y, x.Shape), (xhat, varc, eps), null);
            }
            case Activation { ActivationName: "relu" }:
                return (new T(x.Data.Select(d => Math.Max(d, 0)).ToArray(), x.Shape), null, null);
            case Add:
            {
                var y = (double[])x.Data.Clone();
                foreach (var other in inputs.Skip(1)) for (int i = 0; i < y.Length; i++) y[i] += other.Data[i];
                return (new T(y, x.Shape), null, null);
            }
            case AveragePooling2D pool:
            {
                if (pool.Padding != "valid" || pool.Strides != pool.PoolSize) throw new NotSupportedException("reference: pooling other than valid, stride = pool size");
                int n = x.N, h = x.Shape[1], wd = x.Shape[2], c = x.Shape[3], ph = pool.PoolSize.First, pw = pool.PoolSize.Second;
                int oh = h / ph, ow = wd / pw;
                var y = new double[n * oh * ow * c];
                for (int b = 0; b < n; b++)
                    for (int i = 0; i < oh * ph; i++)
                        for (int j = 0; j < ow * pw; j++)
                            for (int q = 0; q < c; q++)
                                y[((b * oh + i / ph) * ow + j / pw) * c + q] += x.Data[((b * h + i) * wd + j) * c + q] / (ph * pw);
                return (new T(y, [n, oh, ow, c]), null, null);
            }
            case Flatten:
                return (new T(x.Data, [x.N, x.Size / x.N]), null, null);
            case Dense dense:
            {
                var kv = values[dense.Weights[0]];
                var bv = dense.UseBias ? values[dense.Weights[1]] : null;
                int n = x.N, fin = x.Shape[1], u = dense.Units;
                var z = new double[n * u];
                for (int b = 0; b < n; b++)
                    for (int q = 0; q < u; q++)
                    {
                        double s = bv?[q] ?? 0;
                        for (int p = 0; p < fin; p++) s += x.Data[b * fin + p] * kv[p * u + q];
                        z[b * u + q] = s;
                    }
                if (dense.Activation != "softmax") throw new NotSupportedException("reference: the output Dense must end in softmax");
                var y = new double[z.Length];
                for (int b = 0; b < n; b++)
                {
                    double max = Enumerable.Range(0, u).Max(q => z[b * u + q]);
                    double sum = Enumerable.Range(0, u).Sum(q => Math.Exp(z[b * u + q] - max));
                    for (int q = 0; q < u; q++) y[b * u + q] = Math.Exp(z[b * u + q] - max) / sum;
                }
                return (new T(y, [n, u]), null, z);
            }
            default:
                throw new NotSupportedException($"reference: layer {layer.ClassName}");
        }
    }

    /// <summary>Input gradients; weight gradients are added into <paramref name="grads"/>. A softmax Dense receives dL/dlogits.</summary>
    private double[][] Backward(Layer layer, T[] inputs, T output, double[] dy, object cache, Dictionary<ResNetKeras.Engine.Variable, double[]> grads)
    {
        var x = inputs[0];
        switch (layer)
        {
            case Conv2D conv:
            {
                var (pt, pl) = ((int, int))cache;
                var kv = values[conv.Weights[0]];
                var dk = grads[conv.Weights[0]];
                int n = x.N, h = x.Shape[1], wd = x.Shape[2], ci = x.Shape[3], co = conv.Filters;
                int oh = output.Shape[1], ow = output.Shape[2];
                int kh = conv.KernelSize.First, kw = conv.KernelSize.Second, sh = conv.Strides.First, sw = conv.Strides.Second;
                if (conv.UseBias)
                {
                    var db = grads[conv.Weights[1]];
                    for (int i = 0; i < dy.Length; i++) db[i % co] += dy[i];
                }
                var dx = new double[x.Size];
                // Data gradient by batch item (disjoint writes); filter gradient by kernel tap (disjoint writes).
                Parallel.For(0, n, b =>
                {
                    for (int r = 0; r < oh; r++)
                        for (int c = 0; c < ow; c++)
                        {
                            int o = ((b * oh + r) * ow + c) * co;
                            for (int i = 0; i < kh; i++)
                            {
                                int ih = r * sh + i - pt;
                                if (ih < 0 || ih >= h) continue;
                                for (int j = 0; j < kw; j++)
                                {
                                    int iw = c * sw + j - pl;
                                    if (iw < 0 || iw >= wd) continue;
                                    int xi = ((b * h + ih) * wd + iw) * ci;
                                    for (int p = 0; p < ci; p++)
                                    {
                                        int ki = ((i * kw + j) * ci + p) * co;
                                        double s = 0;
                                        for (int q = 0; q < co; q++) s += kv[ki + q] * dy[o + q];
                                        dx[xi + p] += s;
                                    }
                                }
                            }
                        }
                });
                Parallel.For(0, kh * kw, tap =>
                {
                    int i = tap / kw, j = tap % kw;
                    for (int b = 0; b < n; b++)
                        for (int r = 0; r < oh; r++)
                        {
                            int ih = r * sh + i - pt;
                            if (ih < 0 || ih >= h) continue;
                            for (int c = 0; c < ow; c++)
                            {
                                int iw = c * sw + j - pl;
                                if (iw < 0 || iw >= wd) continue;
                                int xi = ((b * h + ih) * wd + iw) * ci, o = ((b * oh + r) * ow + c) * co;
                                for (int p = 0; p < ci; p++)
                                {
                                    double xv = x.Data[xi + p];
                                    int ki = ((i * kw + j) * ci + p) * co;
                                    for (int q = 0; q < co; q++) dk[ki + q] += xv * dy[o + q];
                                }
                            }
                        }
                });
                return [dx];
            }
            case BatchNormalization bn:
            {
                var (xhat, varc, eps) = ((double[], double[], double))cache;
                int c = varc.Length, count = x.Size / c;
                var gamma = bn.Scale ? values[bn.Weights[0]] : null;
                var sumDy = new double[c];
                var sumDyXhat = new double[c];
                for (int i = 0; i < dy.Length; i++) { sumDy[i % c] += dy[i]; sumDyXhat[i % c] += dy[i] * xhat[i]; }
                if (bn.Scale) { var dg = grads[bn.Weights[0]]; for (int q = 0; q < c; q++) dg[q] += sumDyXhat[q]; }
                if (bn.Center) { var dbeta = grads[bn.Weights[bn.Scale ? 1 : 0]]; for (int q = 0; q < c; q++) dbeta[q] += sumDy[q]; }
                var dx = new double[x.Size];
                for (int i = 0; i < dx.Length; i++)
                {
                    int q = i % c;
                    dx[i] = (gamma?[q] ?? 1) / Math.Sqrt(varc[q] + eps) * (dy[i] - sumDy[q] / count - xhat[i] * sumDyXhat[q] / count);
                }
                return [dx];
            }
            case Activation:
                return [dy.Select((g, i) => x.Data[i] > 0 ? g : 0).ToArray()];
            case Add:
                return inputs.Select(_ => (double[])dy.Clone()).ToArray();
            case AveragePooling2D pool:
            {
                int n = x.N, h = x.Shape[1], wd = x.Shape[2], c = x.Shape[3], ph = pool.PoolSize.First, pw = pool.PoolSize.Second;
                int oh = h / ph, ow = wd / pw;
                var dx = new double[x.Size];
                for (int b = 0; b < n; b++)
                    for (int i = 0; i < oh * ph; i++)
                        for (int j = 0; j < ow * pw; j++)
                            for (int q = 0; q < c; q++)
                                dx[((b * h + i) * wd + j) * c + q] = dy[((b * oh + i / ph) * ow + j / pw) * c + q] / (ph * pw);
                return [dx];
            }
            case Flatten:
                return [dy];
            case Dense dense:
            {
                var kv = values[dense.Weights[0]];
                var dk = grads[dense.Weights[0]];
                int n = x.N, fin = x.Shape[1], u = dense.Units;
                var dx = new double[x.Size];
                for (int b = 0; b < n; b++)
                    for (int q = 0; q < u; q++)
                    {
                        double g = dy[b * u + q];
                        if (dense.UseBias) grads[dense.Weights[1]][q] += g;
                        for (int p = 0; p < fin; p++)
                        {
                            dk[p * u + q] += x.Data[b * fin + p] * g;
                            dx[b * fin + p] += kv[p * u + q] * g;
                        }
                    }
                return [dx];
            }
            default:
                throw new NotSupportedException($"reference: layer {layer.ClassName}");
        }
    }
}
