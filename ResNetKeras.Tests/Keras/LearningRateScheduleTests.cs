using System.Text.Json;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Keras;

/// <summary>The schedules against the numbers of Keras's docstrings and formulas, and their configs.</summary>
[TestClass]
public sealed class LearningRateScheduleTests
{
    private static void Near(double expected, double actual) => Assert.AreEqual(expected, actual, 1e-7 * Math.Max(1, Math.Abs(expected)) + 1e-9);

    [TestMethod]
    public void ExponentialDecay_DocstringExample_AndStaircase()
    {
        // Keras's docstring: initial 0.1, decay_steps 100000, decay_rate 0.96.
        var smooth = new ExponentialDecay(0.1, 100000, 0.96);
        Near(0.1, smooth.Call(0));
        Near(0.1 * Math.Pow(0.96, 0.5), smooth.Call(50000));
        Near(0.1 * Math.Pow(0.96, 2.5), smooth.Call(250000));
        var stairs = new ExponentialDecay(0.1, 100000, 0.96, staircase: true);
        Near(0.1, stairs.Call(99999));
        Near(0.096, stairs.Call(100000));
        Near(0.1 * 0.96 * 0.96, stairs.Call(250000));
    }

    [TestMethod]
    public void PiecewiseConstantDecay_DocstringExample()
    {
        // Keras's docstring: 1.0 for the first 100001 steps, 0.5 for the next 10000, 0.1 after.
        var s = new PiecewiseConstantDecay([100000, 110000], [1.0, 0.5, 0.1]);
        Near(1.0, s.Call(0));
        Near(1.0, s.Call(100000));
        Near(0.5, s.Call(100001));
        Near(0.5, s.Call(110000));
        Near(0.1, s.Call(110001));
        Near(0.1, s.Call(10_000_000));
        var e = Assert.ThrowsExactly<ArgumentException>(() => new PiecewiseConstantDecay([1, 2], [1.0, 0.5]));
        StringAssert.Contains(e.Message, "The length of boundaries should be 1 less than the length of values. Received: boundaries=[1, 2] of length 2, and values=[1, 0.5] of length 2.");
    }

    [TestMethod]
    public void InverseTimeDecay_DocstringFormula()
    {
        // Keras's docstring: initial 0.1, decay_steps 1.0, decay_rate 0.5: 0.1 / (1 + 0.5·step).
        var s = new InverseTimeDecay(0.1, 1, 0.5);
        Near(0.1, s.Call(0));
        Near(0.1 / 1.5, s.Call(1));
        Near(0.1 / 6, s.Call(10));
        var stairs = new InverseTimeDecay(0.1, 4, 0.5, staircase: true);
        Near(0.1, stairs.Call(3));
        Near(0.1 / 1.5, stairs.Call(4));
        Near(0.1 / 1.5, stairs.Call(7));
    }

    [TestMethod]
    public void CosineDecay_WithAlpha_AndWithWarmup()
    {
        var s = new CosineDecay(0.1, 1000, alpha: 0.1);
        Near(0.1, s.Call(0));
        Near(0.1 * (0.9 * 0.5 * (1 + Math.Cos(Math.PI * 0.25)) + 0.1), s.Call(250));
        Near(0.055, s.Call(500));
        Near(0.01, s.Call(1000));
        Near(0.01, s.Call(5000));
        // Keras 3's warmup: linear from initial to warmup_target over warmup_steps, then the cosine from the target.
        var w = new CosineDecay(0.0, 100, warmupTarget: 0.1, warmupSteps: 10);
        Near(0.0, w.Call(0));
        Near(0.05, w.Call(5));
        Near(0.1, w.Call(10));
        Near(0.05, w.Call(60));
        Near(0.0, w.Call(110));
        Near(0.0, w.Call(500));
    }

    [TestMethod]
    public void BadDecaySteps_AreRefusedAsKerasDoes()
    {
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new ExponentialDecay(0.1, 0, 0.9)).Message, "Argument `decay_steps` must be > 0. Received: decay_steps=0");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new InverseTimeDecay(0.1, -2, 0.9)).Message, "decay_steps=-2");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new CosineDecay(0.1, 0)).Message, "decay_steps=0");
    }

    [TestMethod]
    public void Configs_HaveKerasKeys_AndRoundTrip()
    {
        LearningRateSchedule[] all =
        [
            new ExponentialDecay(0.1, 100, 0.9, staircase: true),
            new PiecewiseConstantDecay([10, 20], [0.3, 0.2, 0.1], name: "pc"),
            new InverseTimeDecay(0.5, 7, 0.25),
            new CosineDecay(0.01, 300, alpha: 0.05, warmupTarget: 0.1, warmupSteps: 30),
        ];
        CollectionAssert.AreEqual(new[] { "initial_learning_rate", "decay_steps", "decay_rate", "staircase", "name" }, all[0].GetConfig().Keys.ToArray());
        CollectionAssert.AreEqual(new[] { "boundaries", "values", "name" }, all[1].GetConfig().Keys.ToArray());
        CollectionAssert.AreEqual(new[] { "initial_learning_rate", "decay_steps", "alpha", "name", "warmup_target", "warmup_steps" }, all[3].GetConfig().Keys.ToArray());
        foreach (var s in all)
        {
            string json = JsonSerializer.Serialize(LearningRateSchedule.Serialize(s));
            StringAssert.Contains(json, "\"module\":\"keras.optimizers.schedules\"");
            using var doc = JsonDocument.Parse(json);
            var back = LearningRateSchedule.Deserialize(doc.RootElement);
            Assert.AreEqual(s.GetType(), back.GetType());
            Assert.AreEqual(json, JsonSerializer.Serialize(LearningRateSchedule.Serialize(back)));
            foreach (long step in new long[] { 0, 5, 15, 25, 150, 10000 }) Assert.AreEqual(s.Call(step), back.Call(step));
        }
        using var bad = JsonDocument.Parse("{\"class_name\": \"Nope\", \"config\": {}}");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => LearningRateSchedule.Deserialize(bad.RootElement)).Message, "'Nope'");
    }
}
