using ResNetKeras.Engine;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Keras;

[TestClass]
public sealed class OptimizerStepTests
{
    private static Variable Var(string name, params float[] values) => new(name, new Tensor(values, values.Length));

    /// <summary>Reference Adam in double: α_t = lr·√(1−β2^t)/(1−β1^t), ε added to √v.</summary>
    private static double[] AdamReference(double theta, double[] grads, double[] lrs, bool amsgrad)
    {
        double m = 0, v = 0, vhat = 0;
        var trace = new double[grads.Length];
        for (int t = 1; t <= grads.Length; t++)
        {
            double g = grads[t - 1];
            m += (g - m) * 0.1;
            v += (g * g - v) * 0.001;
            vhat = Math.Max(vhat, v);
            double alpha = lrs[t - 1] * Math.Sqrt(1 - Math.Pow(0.999, t)) / (1 - Math.Pow(0.9, t));
            theta -= alpha * m / (Math.Sqrt(amsgrad ? vhat : v) + 1e-7);
            trace[t - 1] = theta;
        }
        return trace;
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void Adam_ThreeSteps_WithALearningRateChange(bool amsgrad)
    {
        double[] grads = [0.5, -2.0, 0.1];
        double[] lrs = [(float)1e-2, (float)1e-2, (float)5e-3];
        var w = Var("dense/bias:0", 0.3f);
        var adam = new Adam(1e-2, amsgrad: amsgrad);
        var expected = AdamReference(0.3, grads, lrs, amsgrad);
        for (int t = 0; t < 3; t++)
        {
            if (t == 2) adam.LearningRate = 5e-3;
            adam.ApplyGradients([(new Tensor([(float)grads[t]], 1), w)]);
            Assert.AreEqual(expected[t], w.Value.ToArray()[0], 1e-6, $"step {t + 1}");
        }
        Assert.AreEqual(3L, adam.Iterations);
        Assert.AreEqual(amsgrad ? 3 : 2, adam.SlotVariables.Count);
    }

    [TestMethod]
    public void SGD_SlotNames_AndVelocityKeepsOldLrScaledSteps()
    {
        var w = Var("conv2d/kernel:0", 1f);
        var sgd = new SGD(0.1, momentum: 0.5);
        sgd.ApplyGradients([(new Tensor([1f], 1), w)]);   // v = -0.1, w = 0.9
        sgd.LearningRate = 1.0;
        sgd.ApplyGradients([(new Tensor([1f], 1), w)]);   // v = 0.5·(-0.1) - 1·1 = -1.05, w = -0.15
        Assert.AreEqual(-0.15f, w.Value.ToArray()[0], 1e-6f);
        CollectionAssert.AreEqual(new[] { "SGD/conv2d/kernel/momentum:0" }, sgd.SlotVariables.Select(s => s.Name).ToArray());
        Assert.AreEqual(0, new SGD().SlotVariables.Count);
    }

    [TestMethod]
    public void BadArguments_AreRefusedWithTheirNames()
    {
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new Adam(beta1: 1.0)).Message, "beta_1=1");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new Adam(learningRate: -1)).Message, "learning_rate=-1");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new SGD(momentum: 1.5)).Message, "momentum=1.5");
        var w = Var("w:0", 1f, 2f);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new SGD().ApplyGradients([(new Tensor([1f], 1), w)])).Message, "'w:0'");
    }
}
