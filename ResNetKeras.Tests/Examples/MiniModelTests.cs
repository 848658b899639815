using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Examples;

[TestClass]
[DoNotParallelize]
public sealed class MiniModelTests
{
    [TestMethod]
    public void Architecture_And_OneEpochRun()
    {
        Backend.ClearSession();
        var model = MiniModel.Program.MiniModel([32, 32, 3]);
        Assert.AreEqual(12, model.Layers.Count(l => l is Add), "twelve residual units");
        Assert.AreEqual(3, model.Layers.Count(l => l is MaxPooling2D), "max-pool downsampling in three units");
        CollectionAssert.AreEqual(new[] { -1, 10 }, model.Output.Shape);

        string dir = Path.Combine(Path.GetTempPath(), $"minimodel_{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var rng = new ResNetKeras.Engine.RandomState(2);
            for (int f = 0; f < 6; f++)
            {
                var bytes = new byte[2 * 3073];
                for (int i = 0; i < 2; i++)
                {
                    bytes[i * 3073] = (byte)((f + i) % 10);
                    for (int p = 0; p < 3072; p++) bytes[i * 3073 + 1 + p] = (byte)rng.Interval(255);
                }
                File.WriteAllBytes(Path.Combine(dir, f < 5 ? $"data_batch_{f + 1}.bin" : "test_batch.bin"), bytes);
            }
            var saved = Console.Out;
            var sw = new StringWriter();
            Console.SetOut(sw);
            int code;
            string h5 = Path.Combine(dir, "cifar10model.h5");
            try { code = MiniModel.Program.Main(["--data-dir", dir, "--epochs", "1", "--batch-size", "4", "--verbose", "0", "--seed", "1", "--save", h5]); }
            finally { Console.SetOut(saved); }
            Assert.AreEqual(0, code, sw.ToString());
            StringAssert.Contains(sw.ToString(), "Accuracy: ");
            Backend.ClearSession();
            Assert.AreEqual(model.CountParams(), Models.LoadModel(h5).CountParams());
        }
        finally { Directory.Delete(dir, true); }
    }
}
