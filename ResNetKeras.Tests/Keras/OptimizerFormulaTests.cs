using ResNetKeras.Devices;
using ResNetKeras.Engine;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Keras;

/// <summary>Every optimizer's update, clipping, weight decay and EMA on the CPU device.</summary>
[TestClass]
public sealed class OptimizerFormulaTestsCpu : OptimizerFormulaTests
{
    protected override IDevice Device => ResNetKeras.Devices.Cpu.CpuDevice.Instance;
}

/// <summary>The same on the simulated device: queued kernels over memory the host can only copy.</summary>
[TestClass]
public sealed class OptimizerFormulaTestsSim : OptimizerFormulaTests
{
    protected override IDevice Device => ResNetKeras.Devices.Sim.SimDevice.Instance;
}

/// <summary>
/// Each optimizer against a float64 reference of Keras 3's update formula (keras/src/optimizers/*.py) written out
/// here independently of the kernels: a few steps on a small variable with gradients of both signs and several
/// magnitudes, and an ε large enough that where Keras adds it (inside or outside the square root) shows;
/// tolerance 2e-6 on values of order 1.
/// </summary>
public abstract class OptimizerFormulaTests
{
    protected abstract IDevice Device { get; }

    private const int N = 6, Steps = 5;
    private static readonly double[] Theta0 = [0.5, -1.25, 2.0, 0.0, -0.3, 1.1];

    /// <summary>Gradient of step t (0-based): mixed signs, magnitudes 1e-2 … 3, never exactly 0 for Lion's sign.</summary>
    private static double[] Grad(int t) => Enumerable.Range(0, N).Select(i => Math.Round(Math.Sin(1.3 * i + 0.7 * t + 0.2) * (0.3 + 0.5 * i) + 0.01 * (t + 1), 4)).ToArray();

    private Variable NewVariable(string name = "dense/kernel:0") =>
        new(name, Tensor.FromNDArray(ND.Of(Theta0.Select(v => (float)v).ToArray(), N), Device));

    private Tensor GradTensor(double[] g) => Tensor.FromNDArray(ND.Of(g.Select(v => (float)v).ToArray(), N), Device);

    /// <summary>Runs <paramref name="steps"/> steps with <see cref="Grad"/> and returns the variable's values.</summary>
    private float[] Run(Optimizer opt, int steps = Steps)
    {
        var w = NewVariable();
        for (int t = 0; t < steps; t++) opt.ApplyGradients([(GradTensor(Grad(t)), w)]);
        Assert.AreEqual((long)steps, opt.Iterations);
        return w.Value.ToArray();
    }

    private static void AssertClose(double[] expected, float[] actual, double tol = 2e-6)
    {
        Assert.AreEqual(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.AreEqual(expected[i], actual[i], tol * Math.Max(1, Math.Abs(expected[i])), $"element {i}: expected {expected[i]:R}, got {actual[i]:R}");
    }

    private static double F(double x) => (float)x;

    [TestMethod]
    [DataRow(0.0, false)]
    [DataRow(0.9, false)]
    [DataRow(0.0, true)]
    [DataRow(0.5, true)]
    public void RMSprop_MatchesKerasFormula(double momentum, bool centered)
    {
        double lr = F(0.01), rho = 0.9, eps = 0.01;
        var th = (double[])Theta0.Clone();
        double[] v = new double[N], mom = new double[N], avg = new double[N];
        for (int t = 0; t < Steps; t++)
        {
            var g = Grad(t);
            for (int i = 0; i < N; i++)
            {
                v[i] = rho * v[i] + (1 - rho) * g[i] * g[i];
                double d;
                if (centered) { avg[i] = rho * avg[i] + (1 - rho) * g[i]; d = v[i] - avg[i] * avg[i] + eps; }
                else d = v[i] + eps;
                double inc = lr * g[i] / Math.Sqrt(d);
                if (momentum > 0) { mom[i] = momentum * mom[i] + inc; th[i] -= mom[i]; }
                else th[i] -= inc;
            }
        }
        AssertClose(th, Run(new RMSprop(0.01, momentum: momentum, epsilon: 0.01, centered: centered)));
    }

    [TestMethod]
    public void Adagrad_MatchesKerasFormula()
    {
        double lr = F(0.1), eps = 0.05;
        var th = (double[])Theta0.Clone();
        var acc = Enumerable.Repeat(F(0.2), N).ToArray();
        for (int t = 0; t < Steps; t++)
        {
            var g = Grad(t);
            for (int i = 0; i < N; i++) { acc[i] += g[i] * g[i]; th[i] -= lr * g[i] / Math.Sqrt(acc[i] + eps); }
        }
        AssertClose(th, Run(new Adagrad(0.1, initialAccumulatorValue: 0.2, epsilon: 0.05)));
    }

    [TestMethod]
    public void Adadelta_MatchesKerasFormula()
    {
        double lr = 1.0, rho = 0.95, eps = 1e-7;
        var th = (double[])Theta0.Clone();
        double[] eg = new double[N], ed = new double[N];
        for (int t = 0; t < Steps; t++)
        {
            var g = Grad(t);
            for (int i = 0; i < N; i++)
            {
                eg[i] = rho * eg[i] + (1 - rho) * g[i] * g[i];
                double delta = -Math.Sqrt(ed[i] + eps) * g[i] / Math.Sqrt(eg[i] + eps);
                ed[i] = rho * ed[i] + (1 - rho) * delta * delta;
                th[i] += lr * delta;
            }
        }
        AssertClose(th, Run(new Adadelta(1.0)));
    }

    [TestMethod]
    public void Adamax_MatchesKerasFormula()
    {
        double lr = F(0.02), b1 = 0.9, b2 = 0.999, eps = 0.1;
        var th = (double[])Theta0.Clone();
        double[] m = new double[N], u = new double[N];
        for (int t = 0; t < Steps; t++)
        {
            var g = Grad(t);
            for (int i = 0; i < N; i++)
            {
                m[i] += (g[i] - m[i]) * (1 - b1);
                u[i] = Math.Max(b2 * u[i], Math.Abs(g[i]));
                th[i] -= lr * m[i] / ((1 - Math.Pow(b1, t + 1)) * (u[i] + eps));
            }
        }
        AssertClose(th, Run(new Adamax(0.02, epsilon: 0.1)));
    }

    [TestMethod]
    public void Nadam_MatchesKerasFormula()
    {
        double lr = F(0.02), b1 = 0.9, b2 = 0.999, eps = 0.1, uProduct = 1;
        var th = (double[])Theta0.Clone();
        double[] m = new double[N], v = new double[N];
        for (int t = 0; t < Steps; t++)
        {
            var g = Grad(t);
            double uT = b1 * (1 - 0.5 * Math.Pow(0.96, t + 1)), uT1 = b1 * (1 - 0.5 * Math.Pow(0.96, t + 2));
            uProduct *= uT;
            double uProduct1 = uProduct * uT1;
            for (int i = 0; i < N; i++)
            {
                m[i] += (g[i] - m[i]) * (1 - b1);
                v[i] += (g[i] * g[i] - v[i]) * (1 - b2);
                double mHat = uT1 * m[i] / (1 - uProduct1) + (1 - uT) * g[i] / (1 - uProduct);
                double vHat = v[i] / (1 - Math.Pow(b2, t + 1));
                th[i] -= mHat * lr / (Math.Sqrt(vHat) + eps);
            }
        }
        AssertClose(th, Run(new Nadam(0.02, epsilon: 0.1)));
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void AdamW_MatchesKerasFormula(bool amsgrad)
    {
        double lr = F(0.05), wd = F(0.1), b1 = 0.9, b2 = 0.999, eps = 0.1;
        var th = (double[])Theta0.Clone();
        double[] m = new double[N], v = new double[N], vhat = new double[N];
        for (int t = 0; t < Steps; t++)
        {
            var g = Grad(t);
            double alpha = lr * Math.Sqrt(1 - Math.Pow(b2, t + 1)) / (1 - Math.Pow(b1, t + 1));
            for (int i = 0; i < N; i++)
            {
                th[i] -= th[i] * wd * lr;
                m[i] += (g[i] - m[i]) * (1 - b1);
                v[i] += (g[i] * g[i] - v[i]) * (1 - b2);
                vhat[i] = Math.Max(vhat[i], v[i]);
                th[i] -= alpha * m[i] / (Math.Sqrt(amsgrad ? vhat[i] : v[i]) + eps);
            }
        }
        AssertClose(th, Run(new AdamW(0.05, weightDecay: 0.1, epsilon: 0.1, amsgrad: amsgrad)));
    }

    [TestMethod]
    public void Lion_MatchesKerasFormula()
    {
        double lr = F(0.01), b1 = 0.9, b2 = 0.99;
        var th = (double[])Theta0.Clone();
        var m = new double[N];
        for (int t = 0; t < Steps; t++)
        {
            var g = Grad(t);
            for (int i = 0; i < N; i++)
            {
                th[i] -= lr * Math.Sign(b1 * m[i] + (1 - b1) * g[i]);
                m[i] = b2 * m[i] + (1 - b2) * g[i];
            }
        }
        AssertClose(th, Run(new Lion(0.01)));
    }

    [TestMethod]
    public void Clipnorm_RescalesEachGradientToTheNorm()
    {
        // SGD with lr 1 moves θ by exactly the clipped gradient.
        var g = Grad(0);
        double norm = Math.Sqrt(g.Sum(x => x * x));
        Assert.IsTrue(norm > 0.5);
        var w = NewVariable();
        new SGD(1.0, clipnorm: 0.5).ApplyGradients([(GradTensor(g), w)]);
        AssertClose(Theta0.Select((t, i) => t - g[i] * 0.5 / norm).ToArray(), w.Value.ToArray());
        var w2 = NewVariable();
        new SGD(1.0, clipnorm: 100).ApplyGradients([(GradTensor(g), w2)]);
        AssertClose(Theta0.Select((t, i) => t - g[i]).ToArray(), w2.Value.ToArray());
    }

    [TestMethod]
    public void Clipvalue_ClipsEachElement()
    {
        var g = Grad(1);
        var w = NewVariable();
        new SGD(1.0, clipvalue: 0.4).ApplyGradients([(GradTensor(g), w)]);
        AssertClose(Theta0.Select((t, i) => t - Math.Clamp(g[i], -0.4, 0.4)).ToArray(), w.Value.ToArray());
    }

    [TestMethod]
    public void GlobalClipnorm_ScalesAllGradientsByOneFactor_WithoutAReadBack()
    {
        var g1 = Grad(0);
        var g2 = Grad(3);
        double global = Math.Sqrt(g1.Sum(x => x * x) + g2.Sum(x => x * x));
        var a = NewVariable("a:0");
        var b = NewVariable("b:0");
        new SGD(1.0, globalClipnorm: 1.0).ApplyGradients([(GradTensor(g1), a), (GradTensor(g2), b)]);
        AssertClose(Theta0.Select((t, i) => t - g1[i] / global).ToArray(), a.Value.ToArray());
        AssertClose(Theta0.Select((t, i) => t - g2[i] / global).ToArray(), b.Value.ToArray());
    }

    [TestMethod]
    public void Clipping_LeavesTheCallersGradientUnchanged()
    {
        var g = GradTensor(Grad(0));
        new SGD(1.0, clipvalue: 0.1).ApplyGradients([(g, NewVariable())]);
        AssertClose(Grad(0).Select(F).ToArray(), g.ToArray(), 0);
    }

    [TestMethod]
    public void WeightDecay_IsDecoupledAndAppliedBeforeTheUpdate()
    {
        // RMSprop's first step from v = 0: Δ = lr·g/√((1−ρ)g² + ε), after θ ← θ − θ·wd·lr.
        var g = Grad(0);
        var w = NewVariable();
        new RMSprop(0.1, weightDecay: 0.5).ApplyGradients([(GradTensor(g), w)]);
        AssertClose(Theta0.Select((t, i) => t - t * 0.5 * F(0.1) - F(0.1) * g[i] / Math.Sqrt(0.1 * g[i] * g[i] + 1e-7)).ToArray(), w.Value.ToArray());
    }

    [TestMethod]
    public void WeightDecay_ExcludedVariablesAreNotDecayed()
    {
        var g = Grad(0);
        var kernel = NewVariable("dense/kernel:0");
        var bias = NewVariable("dense/bias:0");
        var opt = new SGD(0.1, weightDecay: 0.5);
        opt.ExcludeFromWeightDecay(varNames: ["bias"]);
        opt.ApplyGradients([(GradTensor(g), kernel), (GradTensor(g), bias)]);
        AssertClose(Theta0.Select((t, i) => t - t * 0.5 * F(0.1) - F(0.1) * g[i]).ToArray(), kernel.Value.ToArray());
        AssertClose(Theta0.Select((t, i) => t - F(0.1) * g[i]).ToArray(), bias.Value.ToArray());
        Assert.ThrowsExactly<InvalidOperationException>(() => opt.ExcludeFromWeightDecay(varNames: ["kernel"]));
    }

    [TestMethod]
    public void Ema_AveragesAfterEachStep_AndOverwritesAtTheFrequency()
    {
        var w = NewVariable();
        var opt = new SGD(0.1, useEma: true, emaMomentum: 0.9, emaOverwriteFrequency: 3);
        var th = (double[])Theta0.Clone();
        var avg = new double[N];
        for (int t = 0; t < 3; t++)
        {
            var g = Grad(t);
            opt.ApplyGradients([(GradTensor(g), w)]);
            double mom = t == 0 ? 0 : 0.9;
            for (int i = 0; i < N; i++)
            {
                th[i] -= F(0.1) * g[i];
                avg[i] = mom * avg[i] + (1 - mom) * th[i];
            }
            var average = opt.SlotVariables[0];
            Assert.AreEqual("SGD/dense/kernel/average:0", average.Name);
            AssertClose(avg, average.Value.ToArray());
            // Keras overwrites when (iterations + 1) % frequency == 0, iterations counted before the step.
            AssertClose(t == 2 ? avg : th, w.Value.ToArray());
            if (t == 2) th = (double[])avg.Clone();
        }
    }

    [TestMethod]
    public void Ema_FinalizeVariableValues_CopiesTheAverages()
    {
        var w = NewVariable();
        var opt = new SGD(0.1, useEma: true);
        opt.ApplyGradients([(GradTensor(Grad(0)), w)]);
        opt.ApplyGradients([(GradTensor(Grad(1)), w)]);
        var average = opt.SlotVariables[0].Value.ToArray();
        CollectionAssert.AreNotEqual(average, w.Value.ToArray());
        opt.FinalizeVariableValues([w]);
        CollectionAssert.AreEqual(average, w.Value.ToArray());
    }

    [TestMethod]
    public void Schedule_IsEvaluatedAtEachStepsIterations()
    {
        var g = Grad(0);
        var w = NewVariable();
        var opt = new RMSprop(new ExponentialDecay(0.1, decaySteps: 1, decayRate: 0.5), rho: 0.0, epsilon: 0);
        // ρ = 0 and ε = 0: each step moves θ by lr_t·sign(g).
        for (int t = 0; t < 3; t++) opt.ApplyGradients([(GradTensor(g), w)]);
        double moved = F(0.1) + F(0.05) + F(0.025);
        AssertClose(Theta0.Select((t, i) => t - moved * Math.Sign(g[i])).ToArray(), w.Value.ToArray());
        Assert.AreEqual((double)0.0125f, opt.LearningRate, 1e-9);
    }
}
