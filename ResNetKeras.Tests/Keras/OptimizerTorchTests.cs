using System.Text.Json;
using ResNetKeras.Devices;
using ResNetKeras.Engine;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Keras;

/// <summary>The optimizers against PyTorch 1.13 on the CPU device.</summary>
[TestClass]
public sealed class OptimizerTorchTestsCpu : OptimizerTorchTests
{
    protected override IDevice Device => ResNetKeras.Devices.Cpu.CpuDevice.Instance;
}

/// <summary>The optimizers against PyTorch 1.13 on the simulated device.</summary>
[TestClass]
public sealed class OptimizerTorchTestsSim : OptimizerTorchTests
{
    protected override IDevice Device => ResNetKeras.Devices.Sim.SimDevice.Instance;
}

/// <summary>
/// Each optimizer against an independent implementation: PyTorch 1.13's <c>torch.optim</c> run in float32 by
/// tools/fixtures/make_optimizer_fixtures.py, in the configurations where its formula equals Keras 3's (see the
/// script). The optimizer is built from the Keras config through <see cref="Optimizers.Deserialize"/>; the variable
/// is compared with PyTorch's after every step.
/// </summary>
public abstract class OptimizerTorchTests
{
    protected abstract IDevice Device { get; }

    private static readonly Lazy<JsonDocument> Fixture = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "Optimizers", "torch_optimizers.json"))));

    private static float[] Floats(JsonElement e) => e.EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();

    [TestMethod]
    [DataRow("rmsprop")]
    [DataRow("rmsprop_momentum")]
    [DataRow("rmsprop_centered_momentum")]
    [DataRow("adagrad")]
    [DataRow("adadelta")]
    [DataRow("adadelta_eps")]
    [DataRow("adamax")]
    [DataRow("adamw")]
    [DataRow("adamw_amsgrad")]
    public void MatchesPyTorch(string caseName)
    {
        var c = Fixture.Value.RootElement.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("name").GetString() == caseName);
        var keras = c.GetProperty("keras");
        var config = JsonSerializer.Serialize(keras.EnumerateObject().Where(p => p.Name != "class").ToDictionary(p => p.Name, p => p.Value));
        using var configDoc = JsonDocument.Parse(config);
        var opt = Optimizers.Deserialize(keras.GetProperty("class").GetString()!, configDoc.RootElement);
        Assert.AreEqual(keras.GetProperty("class").GetString(), opt.GetType().Name);

        var theta0 = Floats(c.GetProperty("theta0"));
        var w = new Variable("w:0", Tensor.FromNDArray(ND.Of(theta0, theta0.Length), Device));
        var grads = c.GetProperty("grads").EnumerateArray().Select(Floats).ToArray();
        var after = c.GetProperty("after").EnumerateArray().Select(Floats).ToArray();
        for (int t = 0; t < grads.Length; t++)
        {
            opt.ApplyGradients([(Tensor.FromNDArray(ND.Of(grads[t], grads[t].Length), Device), w)]);
            var got = w.Value.ToArray();
            for (int i = 0; i < got.Length; i++)
                Assert.AreEqual(after[t][i], got[i], 2e-6 * Math.Max(1, Math.Abs(after[t][i])), $"{caseName} step {t + 1} element {i}");
        }
    }
}
