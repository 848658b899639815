using System.Xml;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Examples;

/// <summary>The tutorial program run through its entry point on a small synthetic CIFAR-10 binary folder.</summary>
[TestClass]
[DoNotParallelize]
public sealed class Cifar10ResNetExampleTests
{
    private string dir = "";

    [TestInitialize]
    public void Setup()
    {
        Backend.ClearSession();
        dir = Path.Combine(Path.GetTempPath(), $"cifar_example_{Guid.NewGuid():N}");
        var data = Path.Combine(dir, "data");
        Directory.CreateDirectory(data);
        var rng = new ResNetKeras.Engine.RandomState(4);
        for (int f = 0; f < 6; f++)
        {
            int n = 4;
            var bytes = new byte[n * 3073];
            for (int i = 0; i < n; i++)
            {
                int label = (f * n + i) % 10;
                bytes[i * 3073] = (byte)label;
                for (int p = 0; p < 3072; p++) bytes[i * 3073 + 1 + p] = (byte)(label * 20 + rng.Interval(40));
            }
            File.WriteAllBytes(Path.Combine(data, f < 5 ? $"data_batch_{f + 1}.bin" : "test_batch.bin"), bytes);
        }
    }

    [TestCleanup]
    public void Cleanup() => Directory.Delete(dir, true);

    private (int Code, string Output) Run(params string[] args)
    {
        var saved = Console.Out;
        var sw = new StringWriter();
        Console.SetOut(sw);
        try { return (Cifar10ResNet.Program.Main(args), sw.ToString()); }
        finally { Console.SetOut(saved); }
    }

    [TestMethod]
    [DataRow("1", "3", "ResNet20v1")]
    [DataRow("2", "2", "ResNet20v2")]
    public void FullRecipe_PrintsTestLossAndAccuracy(string version, string n, string modelType)
    {
        string save = Path.Combine(dir, "saved");
        var (code, output) = Run("--data-dir", Path.Combine(dir, "data"), "--epochs", "2", "--version", version, "--n", n,
            "--batch-size", "8", "--seed", "1", "--save-dir", save, "--verbose", "2");
        Assert.AreEqual(0, code, output);
        StringAssert.Contains(output, "x_train shape: (20, 32, 32, 3)\n");
        StringAssert.Contains(output, "20 train samples\n");
        StringAssert.Contains(output, "y_train shape: (20, 1)\n");
        StringAssert.Contains(output, "Learning rate:  0.001\n");
        StringAssert.Contains(output, $"\n{modelType}\n");
        StringAssert.Contains(output, "Using real-time data augmentation.");
        StringAssert.Contains(output, "Epoch 2/2\n");
        StringAssert.Contains(output, $"Epoch 00001: val_acc improved from -inf to");
        StringAssert.Contains(output, "Test loss: ");
        StringAssert.Contains(output, "Test accuracy: ");
        Assert.IsTrue(File.Exists(Path.Combine(save, $"cifar10_{modelType}_model.001.h5")));
        Assert.DoesNotContain("Data set:", output, "CIFAR-10 itself needs no note");
        var svg = new XmlDocument();
        svg.Load(Path.Combine(save, $"cifar10_{modelType}_history.svg"));
        StringAssert.Contains(svg.InnerText, $"CIFAR-10 {modelType}");
        Assert.AreEqual(4, svg.GetElementsByTagName("polyline").Count, "training and validation lines in both panels");
        var csv = File.ReadAllLines(Path.Combine(save, $"cifar10_{modelType}_history.csv"));
        // Keras's CSVLogger layout (keys sorted, 0-based epochs), written a row per epoch.
        Assert.AreEqual("epoch,accuracy,loss,lr,val_accuracy,val_loss", csv[0]);
        Assert.AreEqual(3, csv.Length);
        StringAssert.StartsWith(csv[1], "0,");
        StringAssert.StartsWith(csv[2], "1,");
    }

    [TestMethod]
    public void SimDevice_GivesTheCpuRun()
    {
        // The same seeded recipe (augmentation with 4 workers, checkpoints, callbacks, evaluation) on both devices.
        string TestLine(string device)
        {
            Backend.ClearSession();
            var (code, output) = Run("--data-dir", Path.Combine(dir, "data"), "--epochs", "2", "--version", "1", "--n", "1",
                "--batch-size", "8", "--seed", "3", "--save-dir", Path.Combine(dir, device), "--verbose", "0", "--device", device);
            Assert.AreEqual(0, code, output);
            return string.Join("\n", output.Split('\n').Where(l => l.StartsWith("Test loss: ") || l.StartsWith("Test accuracy: ")));
        }
        var cpu = TestLine("cpu");
        var sim = TestLine("sim");
        StringAssert.StartsWith(cpu, "Test loss: ");
        var values = (string s) => s.Split('\n').Select(l => double.Parse(l.Split(": ")[1], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var (a, b) = (values(cpu), values(sim));
        for (int i = 0; i < a.Length; i++) Assert.AreEqual(a[i], b[i], 1e-5 * Math.Max(1, Math.Abs(a[i])), $"{cpu} vs {sim}");
    }

    [TestMethod]
    public void OtherData_NamesFilesAndChartAfterItself()
    {
        // What tools/fashion_mnist_to_cifar_bin.py writes beside the batches: its class names and dataset_name.txt.
        string data = Path.Combine(dir, "data");
        File.WriteAllText(Path.Combine(data, "batches.meta.txt"), "t-shirt_top\ntrouser\npullover\ndress\ncoat\nsandal\nshirt\nsneaker\nbag\nankle_boot\n");
        File.WriteAllText(Path.Combine(data, "dataset_name.txt"), "fashion_mnist\n");
        string save = Path.Combine(dir, "saved");
        var (code, output) = Run("--data-dir", data, "--epochs", "1", "--n", "1", "--batch-size", "8", "--seed", "1",
            "--no-augmentation", "--save-dir", save, "--verbose", "0");
        Assert.AreEqual(0, code, output);
        StringAssert.Contains(output, $"Data set: Fashion-MNIST (from {Path.Combine(data, "dataset_name.txt")}); output files start with fashion_mnist_\n");
        CollectionAssert.AreEquivalent(new[] { "fashion_mnist_ResNet8v1_history.csv", "fashion_mnist_ResNet8v1_history.svg", "fashion_mnist_ResNet8v1_model.001.h5" },
            Directory.GetFiles(save).Select(Path.GetFileName).ToArray());
        string chart = File.ReadAllText(Path.Combine(save, "fashion_mnist_ResNet8v1_history.svg"));
        StringAssert.Contains(chart, "Fashion-MNIST ResNet8v1");
        Assert.DoesNotContain("CIFAR", chart);
        Assert.DoesNotContain("cifar10_", output);
    }

    [TestMethod]
    public void DatasetName_ResolutionRules()
    {
        var cifar = Cifar10ResNet.DatasetName.Cifar10;
        Assert.AreEqual(("cifar10", "CIFAR-10"), (cifar.FileStem, cifar.Title));
        Assert.AreEqual(cifar, Cifar10ResNet.DatasetName.Resolve(null, null), "the download is CIFAR-10");
        string data = Path.Combine(dir, "data");
        Assert.AreEqual(cifar, Cifar10ResNet.DatasetName.Resolve(null, data), "a folder without marks");
        Assert.AreEqual(cifar, Cifar10ResNet.DatasetName.Resolve(null, Path.Combine(dir, "archive.tar.gz")), "an archive: --dataset-name names other data");
        Assert.AreEqual(("my_data", "my_data"), Cifar10ResNet.DatasetName.Resolve("my_data", data) is var o ? (o.FileStem, o.Title) : default);
        File.WriteAllText(Path.Combine(data, "batches.meta.txt"), string.Join("\n", Cifar10.ClassNames) + "\n");
        Assert.AreEqual(cifar, Cifar10ResNet.DatasetName.Resolve(null, data), "CIFAR-10's own class list");
        // A folder the converter wrote before it wrote dataset_name.txt: recognized by its class list.
        File.WriteAllText(Path.Combine(data, "batches.meta.txt"), "t-shirt_top\ntrouser\npullover\ndress\ncoat\nsandal\nshirt\nsneaker\nbag\nankle_boot\n");
        Assert.AreEqual("Fashion-MNIST", Cifar10ResNet.DatasetName.Resolve(null, data).Title);
        File.WriteAllText(Path.Combine(data, "batches.meta.txt"), "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n");
        Assert.AreEqual("data", Cifar10ResNet.DatasetName.Resolve(null, data).FileStem, "other classes without a marker: the folder's name");
        File.WriteAllText(Path.Combine(data, "dataset_name.txt"), "\n  cifar10 \n");
        Assert.AreEqual(cifar, Cifar10ResNet.DatasetName.Resolve(null, data), "the marker wins");
        File.WriteAllText(Path.Combine(data, "dataset_name.txt"), "../x");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Cifar10ResNet.DatasetName.Resolve(null, data)).Message, "dataset_name.txt: the data set name must be");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Cifar10ResNet.DatasetName.Resolve("a/b", data)).Message, "--dataset-name: the data set name must be letters, digits, '_', '.' or '-' (it starts the output file names); received 'a/b'.");
    }

    [TestMethod]
    public void UnknownDevice_OneLineNamingTheAvailableOnes()
    {
        var saved = Console.Error;
        var err = new StringWriter();
        Console.SetError(err);
        try
        {
            Assert.AreEqual(1, Run("--data-dir", Path.Combine(dir, "data"), "--epochs", "1", "--device", "gpu").Code);
            StringAssert.Contains(err.ToString(), "error: Unknown device 'gpu'. Available devices: cpu, sim.");
        }
        finally { Console.SetError(saved); }
    }

    [TestMethod]
    public void BadArguments_OneClearLineAndNonZeroExit()
    {
        var saved = Console.Error;
        var err = new StringWriter();
        Console.SetError(err);
        try
        {
            Assert.AreEqual(1, Run("--data-dir", Path.Combine(dir, "missing"), "--epochs", "1").Code);
            StringAssert.Contains(err.ToString(), "error: ");
            Assert.AreEqual(1, Run("--data-dir", Path.Combine(dir, "data"), "--version", "3").Code);
            StringAssert.Contains(err.ToString(), "--version must be 1 or 2");
        }
        finally { Console.SetError(saved); }
    }

    [TestMethod]
    [DataRow("--save-dir")]
    [DataRow("--backup-dir")]
    public void UnwritableFolder_OneLineBeforeTraining(string option)
    {
        // Tests run as root, where permissions do not stop writes; a folder below a regular file cannot be created by anyone.
        string file = Path.Combine(dir, "a_file");
        File.WriteAllText(file, "");
        string bad = Path.Combine(file, "sub");
        var saved = Console.Error;
        var err = new StringWriter();
        Console.SetError(err);
        try
        {
            var (code, output) = Run("--data-dir", Path.Combine(dir, "data"), "--epochs", "1", "--n", "1", "--batch-size", "8",
                "--save-dir", option == "--save-dir" ? bad : Path.Combine(dir, "saved"), "--backup-dir", option == "--backup-dir" ? bad : Path.Combine(dir, "backup"));
            Assert.AreEqual(1, code);
            var lines = err.ToString().TrimEnd('\n').Split('\n');
            Assert.AreEqual(1, lines.Length, err.ToString());
            StringAssert.StartsWith(lines[0], $"error: {option}: cannot write into '{bad}': ");
            Assert.IsFalse(output.Contains("x_train shape"), "checked before loading data and training: " + output);
        }
        finally { Console.SetError(saved); }
    }
}
