namespace ResNetKeras.Kernels.Cpu;

// Keras's activations beyond the tutorial's three, Keras's parameterized relu, PReLU and log-softmax. Each element is
// computed in double and rounded once, so the float results are the correctly rounded values up to one ulp, which is
// what TensorFlow's float32 kernels give too; the work is element-wise, so the split into chunks cannot change it.
public sealed partial class CpuKernels
{
    private const double SeluScale = 1.0507009873554804934193349852946, SeluAlpha = 1.6732632423543772848170429916717;
    private const double SqrtTwoOverPi = 0.79788456080286535587989211986876, InvSqrtTwo = 0.70710678118654752440084436210485;
    private const double InvSqrtTwoPi = 0.39894228040143267793994605993438, GeluCubic = 0.044715;

    /// <inheritdoc/>
    public void Activation(UnaryKind kind, float[] x, float[] y, float alpha)
    {
        switch (kind)
        {
            case UnaryKind.Relu or UnaryKind.Sigmoid or UnaryKind.Tanh: Unary(kind, x, y); return;
            case UnaryKind.Exponential: System.Numerics.Tensors.TensorPrimitives.Exp(x, y); return;
            case UnaryKind.Abs: System.Numerics.Tensors.TensorPrimitives.Abs(x, y); return;
        }
        double a = alpha;
        Func<double, double> f = kind switch
        {
            UnaryKind.Relu6 => v => Math.Min(Math.Max(v, 0), 6),
            UnaryKind.LeakyRelu => v => v > 0 ? v : a * v,
            UnaryKind.Elu => v => v > 0 ? v : a * (Math.Exp(v) - 1),
            UnaryKind.Selu => v => v > 0 ? SeluScale * v : SeluScale * SeluAlpha * (Math.Exp(v) - 1),
            UnaryKind.Gelu => v => 0.5 * v * Erfc(-v * InvSqrtTwo),
            UnaryKind.GeluTanh => v => 0.5 * v * (1 + Math.Tanh(SqrtTwoOverPi * (v + GeluCubic * v * v * v))),
            UnaryKind.Silu => v => v / (1 + Math.Exp(-v)),
            UnaryKind.Softplus => v => Math.Max(v, 0) + Log1p(Math.Exp(-Math.Abs(v))),
            UnaryKind.Softsign => v => v / (1 + Math.Abs(v)),
            UnaryKind.HardSigmoid => v => Math.Min(Math.Max(v + 3, 0), 6) / 6,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown activation kernel."),
        };
        Map(x.Length, i => y[i] = (float)f(x[i]));
    }

    /// <inheritdoc/>
    public void ActivationGrad(UnaryKind kind, float[] saved, float[] dy, float[] dx, float alpha)
    {
        if (kind is UnaryKind.Relu or UnaryKind.Sigmoid or UnaryKind.Tanh)
        {
            UnaryGrad(kind, saved, dy, dx);
            return;
        }
        double a = alpha;
        Func<double, double> d = kind switch
        {
            // From the output y.
            UnaryKind.Relu6 => y => y > 0 && y < 6 ? 1 : 0,
            UnaryKind.HardSigmoid => y => y > 0 && y < 1 ? 1.0 / 6 : 0,
            UnaryKind.Exponential => y => y,
            // From the input x.
            UnaryKind.LeakyRelu => x => x > 0 ? 1 : a,
            UnaryKind.Elu => x => x > 0 ? 1 : a * Math.Exp(x),
            UnaryKind.Selu => x => x > 0 ? SeluScale : SeluScale * SeluAlpha * Math.Exp(x),
            UnaryKind.Gelu => x => 0.5 * Erfc(-x * InvSqrtTwo) + x * InvSqrtTwoPi * Math.Exp(-0.5 * x * x),
            UnaryKind.GeluTanh => x =>
            {
                double t = Math.Tanh(SqrtTwoOverPi * (x + GeluCubic * x * x * x));
                return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * SqrtTwoOverPi * (1 + 3 * GeluCubic * x * x);
            },
            UnaryKind.Silu => x =>
            {
                double s = 1 / (1 + Math.Exp(-x));
                return s * (1 + x * (1 - s));
            },
            UnaryKind.Softplus => x => 1 / (1 + Math.Exp(-x)),
            UnaryKind.Softsign => x => 1 / ((1 + Math.Abs(x)) * (1 + Math.Abs(x))),
            UnaryKind.Abs => x => Math.Sign(x),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown activation kernel."),
        };
        Map(dx.Length, i => dx[i] = (float)(dy[i] * d(saved[i])));
    }

    /// <inheritdoc/>
    public void ClippedRelu(float[] x, float[] y, float negativeSlope, float maxValue, float threshold) =>
        Map(x.Length, i =>
        {
            float v = x[i];
            float g = v > threshold ? v : 0f;
            if (!float.IsPositiveInfinity(maxValue)) g = Math.Min(Math.Max(g, 0f), maxValue);
            y[i] = negativeSlope == 0f ? g : g - negativeSlope * Math.Max(threshold - v, 0f);
        });

    /// <inheritdoc/>
    public void ClippedReluGrad(float[] x, float[] dy, float[] dx, float negativeSlope, float maxValue, float threshold) =>
        Map(x.Length, i =>
        {
            float v = x[i];
            bool clip = !float.IsPositiveInfinity(maxValue);
            float d = v > threshold && (!clip || (v > 0f && v < maxValue)) ? 1f : 0f;
            if (v < threshold) d += negativeSlope;
            dx[i] = dy[i] * d;
        });

    /// <inheritdoc/>
    public void PRelu(float[] x, float[] alpha, float[] y, int[] sampleShape, int[] alphaStrides)
    {
        var index = AlphaIndex(sampleShape, alphaStrides);
        int per = index.Length;
        Map(x.Length, i =>
        {
            float v = x[i];
            y[i] = v > 0 ? v : alpha[index[i % per]] * v;
        });
    }

    /// <inheritdoc/>
    public void PReluGrad(float[] x, float[] alpha, float[] dy, float[]? dx, float[]? dalpha, int[] sampleShape, int[] alphaStrides)
    {
        var index = AlphaIndex(sampleShape, alphaStrides);
        int per = index.Length;
        if (dx is not null)
            Map(x.Length, i => dx[i] = x[i] > 0 ? dy[i] : dy[i] * alpha[index[i % per]]);
        if (dalpha is null) return;
        // Summed in index order in double: the same sum for any thread count.
        var sum = new double[dalpha.Length];
        for (int i = 0; i < x.Length; i++)
            if (x[i] < 0) sum[index[i % per]] += (double)dy[i] * x[i];
        for (int k = 0; k < dalpha.Length; k++) dalpha[k] = (float)sum[k];
    }

    /// <summary>The α index of each position of one sample.</summary>
    private static int[] AlphaIndex(int[] sampleShape, int[] alphaStrides)
    {
        int per = 1;
        foreach (int d in sampleShape) per *= d;
        var index = new int[per];
        for (int p = 0; p < per; p++)
        {
            int rest = p, a = 0;
            for (int d = sampleShape.Length - 1; d >= 0; d--)
            {
                a += rest % sampleShape[d] * alphaStrides[d];
                rest /= sampleShape[d];
            }
            index[p] = a;
        }
        return index;
    }

    /// <inheritdoc/>
    public void LogSoftmax(float[] x, float[] y, int classes)
    {
        int rows = classes == 0 ? 0 : x.Length / classes;
        CpuParallel.For(rows, r =>
        {
            var xr = x.AsSpan(r * classes, classes);
            var yr = y.AsSpan(r * classes, classes);
            float max = System.Numerics.Tensors.TensorPrimitives.Max(xr);
            double sum = 0;
            foreach (float v in xr) sum += Math.Exp(v - max);
            double shift = max + Math.Log(sum);
            for (int j = 0; j < classes; j++) yr[j] = (float)(xr[j] - shift);
        });
    }

    /// <inheritdoc/>
    public void LogSoftmaxBackward(float[] y, float[] dy, float[] dx, int classes)
    {
        int rows = classes == 0 ? 0 : y.Length / classes;
        CpuParallel.For(rows, r =>
        {
            int o = r * classes;
            double s = 0;
            for (int j = 0; j < classes; j++) s += dy[o + j];
            for (int j = 0; j < classes; j++) dx[o + j] = (float)(dy[o + j] - Math.Exp(y[o + j]) * s);
        });
    }

    /// <summary>Runs body(i) for i in [0, n) in fixed chunks.</summary>
    private static void Map(int n, Action<int> body) =>
        CpuParallel.For(CpuParallel.ChunkCount(n, ElementChunk), ch =>
        {
            int end = Math.Min(n, (ch + 1) * ElementChunk);
            for (int i = ch * ElementChunk; i < end; i++) body(i);
        });

    /// <summary>log(1 + u) without the cancellation of forming 1 + u (Goldberg's correction: u·log(w)/(w − 1), w = 1 + u).</summary>
    internal static double Log1p(double u)
    {
        double w = 1 + u;
        return w == 1 ? u : u * Math.Log(w) / (w - 1);
    }

    /// <summary>
    /// erfc in double to about 1e-15 relative: the Maclaurin series of erf for |z| &lt; 2.5, a continued fraction
    /// (Lentz) for the tail, so GELU's far negative side keeps its relative precision.
    /// </summary>
    internal static double Erfc(double z)
    {
        if (double.IsNaN(z)) return double.NaN;
        double az = Math.Abs(z);
        if (az < 2.5)
        {
            // erf(z) = 2/√π Σ (−1)^n z^(2n+1) / (n!(2n+1)).
            double term = z, sum = z, z2 = z * z;
            for (int n = 1; n < 200; n++)
            {
                term *= -z2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.Abs(add) < 1e-17 * Math.Abs(sum)) break;
            }
            return 1 - 2 / Math.Sqrt(Math.PI) * sum;
        }
        // erfc(a) = e^(−a²)/√π · 1/(a + (1/2)/(a + 1/(a + (3/2)/(a + 2/(a + ...))))) for a > 0.
        const double tiny = 1e-300;
        double f = az, c = az, dd = 0;
        for (int k = 1; k < 500; k++)
        {
            double ak = k * 0.5;
            dd = az + ak * dd;
            dd = Math.Abs(dd) < tiny ? tiny : dd;
            c = az + ak / c;
            c = Math.Abs(c) < tiny ? tiny : c;
            dd = 1 / dd;
            double delta = c * dd;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16) break;
        }
        double tail = Math.Exp(-az * az) / Math.Sqrt(Math.PI) / f;
        return z > 0 ? tail : 2 - tail;
    }
}
