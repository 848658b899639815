using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Keras;

/// <summary>
/// Keras 2.6's Progbar text for scripted clocks. Expected strings were derived from keras/utils/generic_utils.py
/// (Progbar.update, _estimate_step_duration) step by step: ETA forms, the 0.05 s interval, value weighting of
/// non-stateful keys, %.4f/%.4e, ms/us per step, in-place rewriting with padding, verbose 2.
/// </summary>
[TestClass]
public sealed class ProgbarTests
{
    /// <summary>A bar whose clock reads 0 at construction and then the given times, one per update.</summary>
    private static (Progbar Bar, StringWriter Output) Bar(int target, double[] times, int verbose = 1, string[]? stateful = null, bool dynamic = false)
    {
        var queue = new Queue<double>([0.0, .. times]);
        var sw = new StringWriter();
        return (new Progbar(target, verbose: verbose, statefulMetrics: stateful, output: sw, dynamicDisplay: dynamic, clock: queue.Dequeue), sw);
    }

    private static KeyValuePair<string, double>[] V(params (string K, double V)[] kv) => kv.Select(p => new KeyValuePair<string, double>(p.K, p.V)).ToArray();

    [TestMethod]
    public void EtaForms_Interval_AndWeightedMeans()
    {
        var (bar, sw) = Bar(100, [0.5, 2.0, 2.01, 4000.0, 4001.0]);
        bar.Update(1, V(("x", 1.0)));
        bar.Update(2, V(("x", 3.0)));
        bar.Update(3, V(("x", 3.0)));   // 0.01 s after the previous line: not printed, but averaged
        bar.Update(50, V(("x", 0.5)));
        bar.Update(100, V(("x", 0.0), ("val", 0.0005)));
        Assert.AreEqual(
            "\n  1/100 [..............................] - ETA: 49s - x: 1.0000" +
            "\n  2/100 [..............................] - ETA: 2:27 - x: 2.0000" +
            "\n 50/100 [==============>...............] - ETA: 1:08:01 - x: 0.6100" +
            "\n100/100 [==============================] - 4001s 40s/step - x: 0.3050 - val: 5.0000e-04\n",
            sw.ToString());
    }

    [TestMethod]
    public void MillisecondsPerStep_HalfEvenRounding_NegativeValues()
    {
        var (bar, sw) = Bar(3, [0.5, 0.502, 0.504], stateful: ["loss"]);
        bar.Update(1, V(("loss", 0.03125)));
        bar.Update(2, V(("loss", 0.96875)), finalize: false);
        bar.Update(3, V(("loss", -0.5)));
        Assert.AreEqual(
            "\n1/3 [=========>....................] - ETA: 1s - loss: 0.0312" +
            "\n3/3 [==============================] - 1s 2ms/step - loss: -0.5000\n",
            sw.ToString());
    }

    [TestMethod]
    public void MicrosecondsPerStep()
    {
        var (bar, sw) = Bar(3, [0.5, 0.5, 0.5000015]);
        bar.Update(1);
        bar.Update(2);
        bar.Update(3);
        Assert.AreEqual("\n1/3 [=========>....................] - ETA: 1s\n3/3 [==============================] - 1s 1us/step\n", sw.ToString());
    }

    [TestMethod]
    public void DynamicDisplay_BackspacesAndPadsShorterLines()
    {
        var (bar, sw) = Bar(200, [1.0, 2.0, 3.0], stateful: ["loss"], dynamic: true);
        bar.Update(1, V(("loss", 1.2345)));
        bar.Update(100, V(("loss", 1.2345)));
        bar.Update(200, V(("loss", 1.0)));
        Assert.AreEqual(
            "\r  1/200 [..............................] - ETA: 3:19 - loss: 1.2345" +
            new string('\b', 67) + "\r100/200 [==============>...............] - ETA: 1s - loss: 1.2345  " +
            new string('\b', 65) + "\r200/200 [==============================] - 3s 10ms/step - loss: 1.0000\n",
            sw.ToString());
    }

    [TestMethod]
    public void Verbose2_OneLineWithSignedThreshold()
    {
        var (bar, sw) = Bar(3, [1.0, 2.0, 3.0], verbose: 2, stateful: ["loss"]);
        bar.Update(1, V(("loss", 1.0), ("v", -0.5)));
        bar.Update(2, V(("loss", 1.0), ("v", -0.5)));
        bar.Update(3, V(("loss", 1.0), ("v", -0.5), ("tiny", 0.0001)));
        Assert.AreEqual("3/3 - 3s - loss: 1.0000 - v: -5.0000e-01 - tiny: 1.0000e-04\n", sw.ToString());
    }

    [TestMethod]
    public void FirstUpdate_IsNeverSkipped_AndBadTargetIsRefused()
    {
        var (bar, sw) = Bar(10, [0.001]);
        bar.Update(1);
        StringAssert.StartsWith(sw.ToString(), "\n 1/10 [==>");
        var ex = Assert.ThrowsExactly<ArgumentException>(() => new Progbar(0));
        StringAssert.Contains(ex.Message, "target=0");
    }
}
