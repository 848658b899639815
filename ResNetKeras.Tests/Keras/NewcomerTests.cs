using ResNetKeras.Engine;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Keras;

/// <summary>Issue 17 item 9: summary widths, and a progress bar on redirected output writes one line per epoch.</summary>
[TestClass]
[DoNotParallelize]
public sealed class NewcomerTests
{
    [TestMethod]
    public void Summary_LineLengthAndPositions_AsKeras()
    {
        Backend.ClearSession();
        var model = new Sequential([new InputLayer(shape: [2]), new Dense(4)]);
        var lines = model.SummaryText(lineLength: 80, positions: [0.5, 0.8, 1.0]).Split('\n');
        Assert.AreEqual(new string('_', 80), lines[1]);
        // Keras's print_row: each column starts at its stop of the previous one (40, 64).
        Assert.AreEqual(40, lines[2].IndexOf("Output Shape", StringComparison.Ordinal));
        Assert.AreEqual(64, lines[2].IndexOf("Param #", StringComparison.Ordinal));
        Assert.AreEqual(80, lines[2].Length);
        var absolute = model.SummaryText(lineLength: 70, positions: [30, 50, 70]).Split('\n');
        Assert.AreEqual(30, absolute[2].IndexOf("Output Shape", StringComparison.Ordinal));
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => model.SummaryText(positions: [0.5, 1.0])).Message, "expected 3 column stops");
    }

    [TestMethod]
    public void RedirectedOutput_ProgressIsOneLinePerEpoch()
    {
        Backend.ClearSession();
        Backend.SetRandomSeed(1);
        var model = new Sequential([new InputLayer(shape: [2]), new Dense(2, activation: "softmax")]);
        model.Compile("adam", "categorical_crossentropy", ["accuracy"]);
        var x = ND.Zeros([40, 2]);
        var y = ND.Zeros([40, 2]);
        for (int i = 0; i < 40; i++) y.SetDouble(1, i, i % 2);
        var saved = Console.Out;
        var redirected = ProgbarLogger.StdoutRedirected;
        var text = new StringWriter();
        try
        {
            Console.SetOut(text);
            ProgbarLogger.StdoutRedirected = () => true;
            model.Fit(x, y, batchSize: 4, epochs: 3, verbose: 1, seed: 1);
        }
        finally
        {
            Console.SetOut(saved);
            ProgbarLogger.StdoutRedirected = redirected;
        }
        var lines = text.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // "Epoch i/3" and one summary line per epoch (Keras's verbose=2 look), not a line per batch.
        Assert.AreEqual(6, lines.Length, text.ToString());
        Assert.AreEqual(3, lines.Count(l => l.StartsWith("10/10 - ", StringComparison.Ordinal) && l.Contains("loss: ")), text.ToString());
    }
}
