using ResNetKeras.Engine;
using ResNetKeras.IO.Hdf5;

namespace ResNetKeras.Tests.IO;

[TestClass]
public sealed class Hdf5WriterTests
{
    [TestMethod]
    public void RoundTrip_GroupsDatasetsAttributes()
    {
        var w = new H5Writer();
        w.Root.SetAttribute("layer_names", ["input_1", "conv2d"]);
        w.Root.SetAttribute("model_config", new string('{', 70000) + "\u00e9");
        var g = w.Root.CreateGroup("conv2d");
        g.SetAttribute("weight_names", ["conv2d/kernel:0"]);
        g.CreateDataset("conv2d/kernel:0", NDArray.FromArray(Enumerable.Range(0, 24).Select(i => i * 0.5f).ToArray(), 2, 3, 4));
        w.Root.CreateGroup("input_1").SetAttribute("weight_names", Array.Empty<string>());
        var many = w.Root.CreateGroup("many");
        for (int i = 0; i < 600; i++) many.CreateDataset($"d{i:D4}", NDArray.FromArray(new double[] { i }, 1));
        w.Root.CreateDataset("iter", new NDArray(new long[] { 42 }));
        w.Root.CreateDataset("bytes", NDArray.FromArray(new byte[] { 1, 255 }, 2));

        var f = H5File.Parse(w.ToBytes()).Root;
        CollectionAssert.AreEqual(new[] { "input_1", "conv2d" }, f.Attributes["layer_names"].ReadStrings());
        Assert.AreEqual(70001, f.Attributes["model_config"].ReadString().Length);
        Assert.AreEqual(0, f.Group("input_1").Attributes["weight_names"].ReadStrings().Length);
        CollectionAssert.AreEqual(Enumerable.Range(0, 24).Select(i => i * 0.5f).ToArray(), f.Dataset("conv2d/conv2d/kernel:0").Read().Float32Data);
        Assert.AreEqual(600, f.Group("many").Keys.Count, "more children than one B-tree node of the default K holds");
        Assert.AreEqual(599.0, f.Dataset("many/d0599").Read().Data<double>()[0]);
        var iter = f.Dataset("iter");
        Assert.AreEqual(0, iter.Shape.Length);
        Assert.AreEqual(42L, iter.Read().Data<long>()[0]);
        CollectionAssert.AreEqual(new byte[] { 1, 255 }, f.Dataset("bytes").Read().Data<byte>());
    }

    [TestMethod]
    public void Save_IsAtomic_PreviousFileSurvivesAFailedWrite()
    {
        string path = Path.Combine(Path.GetTempPath(), $"atomic_{Guid.NewGuid():N}.h5");
        try
        {
            var w = new H5Writer();
            w.Root.CreateDataset("x", NDArray.FromArray(new float[] { 1, 2 }, 2));
            w.Save(path);
            var before = File.ReadAllBytes(path);
            Assert.ThrowsExactly<InvalidOperationException>(() =>
                ResNetKeras.IO.Npy.WriteAtomically(path, s => { s.Write(new byte[10]); throw new InvalidOperationException("crash between write and rename"); }));
            CollectionAssert.AreEqual(before, File.ReadAllBytes(path));
            Assert.AreEqual(1, Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + "*").Length, "no temporary file left behind");
        }
        finally { File.Delete(path); }
    }
}
