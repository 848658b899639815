using ResNetKeras.Engine;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Keras;

[TestClass]
public sealed class OptimizerTests
{
    private static Variable Var(string name, params float[] values) => new(name, new Tensor(values, values.Length));

    [TestMethod]
    public void Adam_OneStep_HandComputed()
    {
        var w = Var("dense/kernel:0", 1f, -2f);
        var adam = new Adam();
        adam.ApplyGradients([(new Tensor([0.5f, -0.1f], 2), w)]);
        for (int i = 0; i < 2; i++)
        {
            double theta = i == 0 ? 1 : -2, g = i == 0 ? 0.5 : -0.1;
            double m = 0.1 * g, v = 0.001 * g * g;
            double alpha = 1e-3 * Math.Sqrt(1 - 0.999) / (1 - 0.9);
            Assert.AreEqual(theta - alpha * m / (Math.Sqrt(v) + 1e-7), w.Value.ToArray()[i], 1e-6);
        }
        Assert.AreEqual(1L, adam.Iterations);
        CollectionAssert.AreEqual(new[] { "Adam/dense/kernel/m:0", "Adam/dense/kernel/v:0" }, adam.SlotVariables.Select(s => s.Name).ToArray());
    }

    [TestMethod]
    public void Adam_SlotOrder_AllMThenAllV()
    {
        var a = Var("conv2d/kernel:0", 1f);
        var b = Var("conv2d/bias:0", 1f);
        var adam = new Adam();
        adam.ApplyGradients([(new Tensor([1f], 1), a), (new Tensor([1f], 1), b)]);
        CollectionAssert.AreEqual(
            new[] { "Adam/conv2d/kernel/m:0", "Adam/conv2d/bias/m:0", "Adam/conv2d/kernel/v:0", "Adam/conv2d/bias/v:0" },
            adam.SlotVariables.Select(s => s.Name).ToArray());
    }

    [TestMethod]
    public void SGD_Momentum_And_Nesterov_TwoSteps()
    {
        var w = Var("w:0", 1f);
        var sgd = new SGD(0.1, momentum: 0.9);
        sgd.ApplyGradients([(new Tensor([1f], 1), w)]);
        Assert.AreEqual(0.9f, w.Value.ToArray()[0], 1e-6f);
        sgd.ApplyGradients([(new Tensor([1f], 1), w)]);
        Assert.AreEqual(0.71f, w.Value.ToArray()[0], 1e-6f);

        var n = Var("n:0", 1f);
        var nes = new SGD(0.1, momentum: 0.9, nesterov: true);
        nes.ApplyGradients([(new Tensor([1f], 1), n)]);
        Assert.AreEqual(0.81f, n.Value.ToArray()[0], 1e-6f);
        nes.ApplyGradients([(new Tensor([1f], 1), n)]);
        Assert.AreEqual(0.539f, n.Value.ToArray()[0], 1e-6f);

        var p = Var("p:0", 1f);
        new SGD(0.5).ApplyGradients([(new Tensor([1f], 1), p)]);
        Assert.AreEqual(0.5f, p.Value.ToArray()[0]);
    }

    [TestMethod]
    public void LearningRate_IsFloat32Rounded()
    {
        var adam = new Adam(1e-3);
        Assert.AreEqual(0.0010000000474974513, adam.LearningRate);
        adam.Lr = 0.1;
        Assert.AreEqual((double)0.1f, adam.LearningRate);
    }
}
