using System.Xml;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Examples;

[TestClass]
[DoNotParallelize]
public sealed class DegradationStudyTests
{
    [TestMethod]
    public void RunsEndToEnd_WritesCsvAndWellFormedSvg()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"degradation_{Guid.NewGuid():N}");
        string data = Path.Combine(dir, "data");
        Directory.CreateDirectory(data);
        try
        {
            var rng = new ResNetKeras.Engine.RandomState(8);
            for (int f = 0; f < 6; f++)
            {
                var bytes = new byte[2 * 3073];
                for (int i = 0; i < 2; i++)
                {
                    bytes[i * 3073] = (byte)((f + i) % 10);
                    for (int p = 0; p < 3072; p++) bytes[i * 3073 + 1 + p] = (byte)rng.Interval(255);
                }
                File.WriteAllBytes(Path.Combine(data, f < 5 ? $"data_batch_{f + 1}.bin" : "test_batch.bin"), bytes);
            }
            var saved = Console.Out;
            Console.SetOut(TextWriter.Null);
            int code;
            // Marked as the Fashion-MNIST converter marks its output: the chart must not call it CIFAR-10.
            File.WriteAllText(Path.Combine(data, "dataset_name.txt"), "fashion_mnist\n");
            try { code = DegradationStudy.Program.Main(["--data-dir", data, "--epochs", "1", "--batch-size", "4", "--depths", "8,14", "--out-dir", Path.Combine(dir, "out")]); }
            finally { Console.SetOut(saved); }
            Assert.AreEqual(0, code);
            var csv = File.ReadAllLines(Path.Combine(dir, "out", "degradation.csv"));
            Assert.AreEqual("network,epoch,train_error,test_error", csv[0]);
            CollectionAssert.AreEqual(new[] { "plain-8", "plain-14", "ResNet-8", "ResNet-14" }, csv.Skip(1).Select(l => l.Split(',')[0]).ToArray());
            foreach (var line in csv.Skip(1))
            {
                double train = double.Parse(line.Split(',')[2], System.Globalization.CultureInfo.InvariantCulture);
                Assert.IsTrue(train >= 0 && train <= 100, line);
            }
            var svg = new XmlDocument();
            svg.Load(Path.Combine(dir, "out", "degradation.svg"));
            Assert.AreEqual("svg", svg.DocumentElement!.Name);
            Assert.AreEqual(8, svg.GetElementsByTagName("polyline").Count, "training and test lines for each of the four networks");
            StringAssert.Contains(svg.InnerText, "Fashion-MNIST: plain networks (left) and ResNets (right)");
            Assert.DoesNotContain("CIFAR", svg.InnerText);
        }
        finally { Directory.Delete(dir, true); }
    }
}
