using System.Globalization;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Utils;

[TestClass]
public sealed class HistoryCsvTests
{
    [TestMethod]
    public void WritesEpochThenKeys_InvariantCulture_PythonNonFinite()
    {
        var history = new Dictionary<string, IReadOnlyList<double>>
        {
            ["loss"] = [1.5051, 0.25],
            ["accuracy"] = [0.4987, double.NaN],
            ["val_loss"] = [double.PositiveInfinity, double.NegativeInfinity],
        };
        string dir = Path.Combine(Path.GetTempPath(), $"csv_{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE"); // decimal comma: must not leak into the file
            string path = Path.Combine(dir, "history.csv");
            HistoryCsv.Write(path, history, [0, 1]);
            Assert.AreEqual("epoch,loss,accuracy,val_loss\n0,1.5051,0.4987,inf\n1,0.25,nan,-inf\n", File.ReadAllText(path));
            CollectionAssert.AreEqual(new[] { "history.csv" }, Directory.GetFiles(dir).Select(Path.GetFileName).ToArray(), "no temporary file left");
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
            Directory.Delete(dir, true);
        }
    }

    [TestMethod]
    public void KeyLoggedFromALaterEpoch_FillsTheLastRows_AndBadInputIsRefused()
    {
        var history = new Dictionary<string, IReadOnlyList<double>> { ["loss"] = [3, 2, 1], ["lr, scaled"] = [0.5] };
        Assert.AreEqual("epoch,loss,\"lr, scaled\"\n1,3,\n2,2,\n3,1,0.5\n", HistoryCsv.Render(history, [1, 2, 3]));
        var ex = Assert.ThrowsExactly<ArgumentException>(() => HistoryCsv.Render(history, [1]));
        StringAssert.Contains(ex.Message, "'loss' has 3 values but there are only 1 epochs");
        Assert.ThrowsExactly<DirectoryNotFoundException>(() => HistoryCsv.Write(Path.Combine(Path.GetTempPath(), $"missing_{Guid.NewGuid():N}", "h.csv"), history, [1, 2, 3]));
    }

    [TestMethod]
    public void History_IsWrittenWithOneBasedEpochs()
    {
        var h = new History();
        h.OnTrainBegin(new());
        h.OnEpochEnd(0, new() { ["loss"] = 0.5, ["accuracy"] = 0.75 });
        h.OnEpochEnd(1, new() { ["loss"] = 0.25, ["accuracy"] = 0.875 });
        Assert.AreEqual("epoch,loss,accuracy\n1,0.5,0.75\n2,0.25,0.875\n", HistoryCsv.Render(h));
    }
}
