using ResNetKeras.Engine;
using ResNetKeras.IO;
using ResNetKeras.IO.Hdf5;

namespace ResNetKeras.Tests.IO;

/// <summary>
/// H5Writer round trips through this library's reader. The same files, written by <see cref="WriteCheckFiles"/>,
/// are what tools/fixtures/check_h5py_reads.py opens with h5py (see Fixtures/Hdf5/README.md).
/// </summary>
[TestClass]
[DoNotParallelize] // the atomic-save test sets the process-wide fault-injection hook
public sealed class Hdf5WriterTests
{
    /// <summary>A file with everything the writer can express; <paramref name="children"/> links in one group.</summary>
    internal static H5Writer Everything(int children = 600)
    {
        var w = new H5Writer();
        w.Root.SetAttribute("layer_names", new[] { "input_1", "conv2d" });
        w.Root.SetAttribute("layer_names_vlen", new[] { "input_1", "conv2d", "caf\u00e9", "" }, variableLength: true);
        w.Root.SetAttribute("model_config", new string('{', 70000) + "\u00e9");
        w.Root.SetAttribute("backend", "tensorflow");
        w.Root.SetAttribute("scalar_f64", ND.Of(new double[] { 2.5 }));
        w.Root.SetAttribute("matrix_i32", ND.Of(new[] { 1, -2, 3, -4, 5, -6 }, 2, 3));
        var g = w.Root.CreateGroup("conv2d");
        g.SetAttribute("weight_names", new[] { "conv2d/kernel:0", "conv2d/bias:0" });
        g.CreateDataset("conv2d/kernel:0", ND.Of(Enumerable.Range(0, 24).Select(i => i * 0.5f).ToArray(), 2, 3, 4));
        g.CreateDataset("conv2d/bias:0", ND.Of(new float[] { 1, -1 }, 2)).SetAttribute("note", "a dataset attribute");
        w.Root.CreateGroup("input_1").SetAttribute("weight_names", Array.Empty<string>());
        var many = w.Root.CreateGroup("many");
        for (int i = 0; i < children; i++) many.CreateDataset($"d{i:D4}", ND.Of(new double[] { i }, 1));
        var opt = w.Root.CreateGroup("optimizer_weights");
        opt.CreateDataset("Adam/iter:0", ND.Of(new long[] { 42 }));
        w.Root.CreateDataset("bytes", ND.Of(new byte[] { 1, 255 }, 2));
        w.Root.CreateDataset("empty_f64", ND.Zeros([0, 3], DType.Float64));
        w.Root.CreateDataset("i64", ND.Of(new long[] { long.MinValue, long.MaxValue }, 2));
        w.Root.CreateGroup("empty_group");
        return w;
    }

    [TestMethod]
    public void RoundTrip_GroupsDatasetsAttributes()
    {
        var file = H5File.Parse(Everything().ToBytes());
        Assert.AreEqual(0, file.SuperblockVersion, "h5py's default layout");
        var f = file.Root;
        CollectionAssert.AreEqual(new[] { "bytes", "conv2d", "empty_f64", "empty_group", "i64", "input_1", "many", "optimizer_weights" }, f.Keys.ToArray());
        CollectionAssert.AreEqual(new[] { "input_1", "conv2d" }, f.Attributes["layer_names"].ReadStrings());
        Assert.AreEqual("|S7", f.Attributes["layer_names"].TypeName, "fixed-length, as wide as the longest name");
        CollectionAssert.AreEqual(new[] { "input_1", "conv2d", "caf\u00e9", "" }, f.Attributes["layer_names_vlen"].ReadStrings());
        Assert.AreEqual("|O", f.Attributes["layer_names_vlen"].TypeName);
        Assert.AreEqual(new string('{', 70000) + "\u00e9", f.Attributes["model_config"].ReadString());
        Assert.AreEqual("tensorflow", f.Attributes["backend"].ReadString());
        Assert.AreEqual(0, f.Attributes["scalar_f64"].Shape!.Length);
        Assert.AreEqual(2.5, f.Attributes["scalar_f64"].ReadArray().Item());
        CollectionAssert.AreEqual(new[] { 1, -2, 3, -4, 5, -6 }, f.Attributes["matrix_i32"].ReadArray().ToArray<int>());
        CollectionAssert.AreEqual(new[] { 2, 3 }, f.Attributes["matrix_i32"].Shape);
        var weightless = f.Group("input_1").Attributes["weight_names"];
        Assert.AreEqual("<f8", weightless.TypeName, "Keras stores an empty name list as an empty float64 array");
        CollectionAssert.AreEqual(new[] { 0 }, weightless.Shape);
        Assert.AreEqual(0, weightless.ReadStrings().Length);
        CollectionAssert.AreEqual(Enumerable.Range(0, 24).Select(i => i * 0.5f).ToArray(), f.Dataset("conv2d/conv2d/kernel:0").Read().Float32Data);
        Assert.AreEqual("a dataset attribute", f.Dataset("conv2d/conv2d/bias:0").Attributes["note"].ReadString());
        Assert.AreEqual(600, f.Group("many").Keys.Count, "more children than one B-tree node holds: a two-level group B-tree");
        for (int i = 0; i < 600; i += 37) Assert.AreEqual((double)i, f.Dataset($"many/d{i:D4}").Read().ToArray<double>()[0]);
        var iter = f.Dataset("optimizer_weights/Adam/iter:0");
        Assert.AreEqual(0, iter.Shape.Length, "Keras's optimizer iter is a scalar int64 dataset");
        Assert.AreEqual("<i8", iter.TypeName);
        Assert.AreEqual(42L, iter.Read().ToArray<long>()[0]);
        CollectionAssert.AreEqual(new byte[] { 1, 255 }, f.Dataset("bytes").Read().ToArray<byte>());
        CollectionAssert.AreEqual(new[] { 0, 3 }, f.Dataset("empty_f64").Shape);
        CollectionAssert.AreEqual(new[] { long.MinValue, long.MaxValue }, f.Dataset("i64").Read().ToArray<long>());
        Assert.AreEqual(0, f.Group("empty_group").Keys.Count);
    }

    [TestMethod]
    public void EveryGroupSize_UpToSeveralBTreeLevels()
    {
        // 8 entries per symbol table node, 32 children per B-tree node: 257 needs two levels, 8193 three.
        foreach (int n in new[] { 0, 1, 8, 9, 256, 257, 2000, 8193 })
        {
            var w = new H5Writer();
            var g = w.Root.CreateGroup("g");
            for (int i = 0; i < n; i++)
            {
                if (i % 2 == 0) g.CreateGroup($"c{i:D5}");
                else g.CreateDataset($"c{i:D5}", ND.Zeros([0]));
            }
            var keys = H5File.Parse(w.ToBytes()).Root.Group("g").Keys;
            CollectionAssert.AreEqual(Enumerable.Range(0, n).Select(i => $"c{i:D5}").ToArray(), keys.ToArray(), $"{n} children");
        }
    }

    [TestMethod]
    public void Attributes_OverwriteLikeH5py_AndTooLargeOnesAreRefused()
    {
        var w = new H5Writer();
        w.Root.SetAttribute("a", "first");
        w.Root.SetAttribute("a", "second");
        Assert.AreEqual("second", H5File.Parse(w.ToBytes()).Root.Attributes["a"].ReadString());
        w.Root.SetAttribute("huge", Enumerable.Range(0, 10000).Select(i => $"layer_{i:D6}").ToList());
        var e = Assert.ThrowsExactly<ArgumentException>(() => w.ToBytes());
        StringAssert.Contains(e.Message, "65535");
        Assert.ThrowsExactly<ArgumentException>(() => w.Root.CreateGroup("x").CreateDataset("../y", ND.Zeros([1])));
        w.Root.CreateDataset("d", ND.Zeros([1]));
        Assert.ThrowsExactly<ArgumentException>(() => w.Root.CreateDataset("d", ND.Zeros([1])));
        Assert.ThrowsExactly<ArgumentException>(() => w.Root.CreateGroup("d/sub"));
    }

    [TestMethod]
    public void Save_IsAtomic_PreviousFileSurvivesAFailedWrite()
    {
        string path = Path.Combine(Path.GetTempPath(), $"atomic_{Guid.NewGuid():N}.h5");
        try
        {
            var w = new H5Writer();
            w.Root.CreateDataset("x", ND.Of(new float[] { 1, 2 }, 2));
            w.Save(path);
            var before = File.ReadAllBytes(path);
            w.Root.CreateDataset("y", ND.Of(new float[] { 3 }, 1));
            AtomicFile.BeforeRename = _ => throw new IOException("simulated crash between write and rename");
            try { Assert.ThrowsExactly<IOException>(() => w.Save(path)); }
            finally { AtomicFile.BeforeRename = null; }
            CollectionAssert.AreEqual(before, File.ReadAllBytes(path));
            Assert.AreEqual(1, Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + "*").Length, "no temporary file left behind");
            w.Save(path);
            Assert.IsTrue(H5File.Open(path).Root.Contains("y"));
        }
        finally { File.Delete(path); }
    }

    /// <summary>
    /// Writes the files tools/fixtures/check_h5py_reads.py opens: everything the writer expresses, and a Keras-style
    /// weights file. Into $RESNETKERAS_H5_CHECK_DIR when set, else a temporary folder; each is read back here too.
    /// </summary>
    [TestMethod]
    public void WriteCheckFiles()
    {
        string dir = Environment.GetEnvironmentVariable("RESNETKERAS_H5_CHECK_DIR") is { Length: > 0 } d ? d : Path.Combine(Path.GetTempPath(), $"h5check_{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            Everything().Save(Path.Combine(dir, "everything.h5"));
            var k = new H5Writer();
            k.Root.SetAttribute("layer_names", new[] { "input_1", "conv2d", "activation" }, variableLength: true);
            k.Root.SetAttribute("backend", "tensorflow");
            k.Root.SetAttribute("keras_version", "2.6.0");
            k.Root.CreateGroup("input_1").SetAttribute("weight_names", Array.Empty<string>());
            k.Root.CreateGroup("activation").SetAttribute("weight_names", Array.Empty<string>());
            var conv = k.Root.CreateGroup("conv2d");
            conv.SetAttribute("weight_names", new[] { "conv2d/kernel:0", "conv2d/bias:0" }, variableLength: true);
            conv.CreateDataset("conv2d/kernel:0", ND.Of(Enumerable.Range(0, 3 * 3 * 2 * 4).Select(i => i / 10f).ToArray(), 3, 3, 2, 4));
            conv.CreateDataset("conv2d/bias:0", ND.Of(new float[] { 1, -2, 3, -4 }, 4));
            k.Save(Path.Combine(dir, "keras_weights_written.h5"));
            foreach (var file in Directory.GetFiles(dir, "*.h5")) Hdf5CorruptionTests.Walk(H5File.Open(file).Root);
        }
        finally
        {
            if (Environment.GetEnvironmentVariable("RESNETKERAS_H5_CHECK_DIR") is not { Length: > 0 }) Directory.Delete(dir, recursive: true);
        }
    }
}
