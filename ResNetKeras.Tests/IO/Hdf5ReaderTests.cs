using ResNetKeras.Engine;
using ResNetKeras.IO.Hdf5;

namespace ResNetKeras.Tests.IO;

/// <summary>Files written by h5py 3.7 (tools/fixtures/make_hdf5_fixtures.py).</summary>
[TestClass]
public sealed class Hdf5ReaderTests
{
    internal static string Fx(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Hdf5", name);

    [TestMethod]
    public void KerasWeightsLayout()
    {
        var f = H5File.Open(Fx("keras_weights.h5")).Root;
        CollectionAssert.AreEqual(new[] { "input_1", "conv2d", "batch_normalization", "activation" }, f.Attributes["layer_names"].ReadStrings());
        Assert.AreEqual("tensorflow", f.Attributes["backend"].ReadString());
        Assert.AreEqual("2.6.0", f.Attributes["keras_version"].ReadString());
        Assert.AreEqual(0, f.Group("input_1").Attributes["weight_names"].ReadStrings().Length, "empty float64 weight_names");
        var conv = f.Group("conv2d");
        CollectionAssert.AreEqual(new[] { "conv2d/kernel:0", "conv2d/bias:0" }, conv.Attributes["weight_names"].ReadStrings());
        var k = conv.Dataset("conv2d/kernel:0").Read();
        CollectionAssert.AreEqual(new[] { 3, 3, 2, 4 }, k.Shape);
        Assert.AreEqual(DType.Float32, k.DType);
        Assert.AreEqual(7.1f, k.Float32Data[71], 1e-6f);
        CollectionAssert.AreEqual(new float[] { 1, -2, 3, -4 }, f.Dataset("conv2d/conv2d/bias:0").Read().Float32Data);
        CollectionAssert.AreEqual(new float[] { 3.5f, 3.5f, 3.5f, 3.5f }, f.Group("batch_normalization").Dataset("batch_normalization/moving_variance:0").Read().Float32Data);
    }

    private static void CheckLayout(H5Group f)
    {
        var c = f.Dataset("contiguous_f32").Read();
        CollectionAssert.AreEqual(new[] { 2, 3, 4 }, c.Shape);
        Assert.AreEqual(-5.5f, c.Float32Data[0]);
        Assert.AreEqual(17.5f, c.Float32Data[23]);
        CollectionAssert.AreEqual(new[] { 7, -8, 9 }, f.Dataset("compact_i32").Read().Data<int>());
        Assert.AreEqual(-1234567890123L, f.Dataset("scalar_i64").Read().Data<long>()[0]);
        Assert.AreEqual(0, f.Dataset("scalar_i64").Shape.Length);
        CollectionAssert.AreEqual(new long[] { 1, 1L << 40 }, f.Dataset("i64").Read().Data<long>());
        var d = f.Dataset("chunked_f64").Read();
        CollectionAssert.AreEqual(new[] { 7, 5 }, d.Shape);
        for (int i = 0; i < 35; i++) Assert.AreEqual(-1 + 2.0 * i / 34, d.Data<double>()[i], 1e-12);
        var u = f.Dataset("chunked_u8").Read();
        for (int i = 0; i < 100; i++) Assert.AreEqual((byte)i, u.Data<byte>()[i]);
        var s = f.Group("strings");
        CollectionAssert.AreEqual(new[] { "alpha", "be", "gamma_long" }, s.Attributes["fixed"].ReadStrings());
        CollectionAssert.AreEqual(new[] { "x", "yz", "unicode \u00e9" }, s.Attributes["vlen"].ReadStrings());
        Assert.AreEqual("tensorflow", s.Attributes["scalar_vlen"].ReadString());
        Assert.AreEqual("2.6.0", s.Attributes["scalar_fixed"].ReadString());
        CollectionAssert.AreEqual(new[] { 1.5, -2.25 }, s.Attributes["numbers"].ReadArray().Data<double>());
        var names = s.Attributes["names0"].ReadStrings().Concat(s.Attributes["names1"].ReadStrings()).ToArray();
        Assert.AreEqual(40, names.Length);
        Assert.AreEqual("layer_0039", names[39]);
        CollectionAssert.AreEqual(new float[] { 1, 2 }, f.Dataset("strings/nested/deep").Read().Float32Data);
        Assert.IsTrue(f.Contains("strings/nested/deep"));
        Assert.IsFalse(f.Contains("strings/missing"));
    }

    [TestMethod]
    public void DefaultLibver_GroupsDatasetsAttributes() => CheckLayout(H5File.Open(Fx("layout.h5")).Root);

    [TestMethod]
    public void LatestLibver_SuperblockV3_ObjectHeaderV2_CompactLinks_FixedArrayChunks() => CheckLayout(H5File.Open(Fx("latest.h5")).Root);

    [TestMethod]
    public void DenseLinksAndAttributes_FractalHeapAndV2BTree()
    {
        var f = H5File.Open(Fx("dense.h5")).Root;
        var many = f.Group("many");
        Assert.AreEqual(40, many.Keys.Count);
        CollectionAssert.AreEqual(new float[] { 17, 17, 17 }, many.Dataset("item_17").Read().Float32Data);
        Assert.AreEqual(31, many.Attributes.Count);
        Assert.AreEqual(29 / 4.0, many.Attributes["attr_29"].ReadArray().Data<double>()[0]);
        var names = many.Attributes["names"].ReadStrings();
        Assert.AreEqual(50, names.Length);
        Assert.AreEqual("layer_049", names[49]);
        var big = f.Group("big");
        Assert.AreEqual(600, big.Keys.Count, "a name index with internal B-tree nodes");
        Assert.AreEqual("g599", big.Keys[^1]);
    }

    [TestMethod]
    public void CorruptedAndTruncatedFiles_OnlyInvalidDataException()
    {
        foreach (var name in new[] { "keras_weights.h5", "layout.h5", "latest.h5", "dense.h5" })
        {
            var good = File.ReadAllBytes(Fx(name));
            var rng = new RandomState(17);
            void Exercise(byte[] data)
            {
                try
                {
                    var root = H5File.Parse(data, name).Root;
                    Walk(root, 0);
                }
                catch (InvalidDataException) { }
                catch (KeyNotFoundException) { }
            }
            for (int cut = 0; cut < good.Length; cut += Math.Max(1, good.Length / 60)) Exercise(good[..cut]);
            for (int trial = 0; trial < 150; trial++)
            {
                var bad = (byte[])good.Clone();
                int at = (int)rng.Interval(good.Length - 1);
                bad[at] = (byte)rng.Interval(255);
                Exercise(bad);
            }
        }
    }

    internal static void Walk(H5Group g, int depth)
    {
        if (depth > 10) return;
        foreach (var a in g.Attributes.Values)
        {
            if (a.IsString) a.ReadStrings(); else a.ReadArray();
        }
        foreach (var k in g.Keys)
        {
            if (g.IsGroupChild(k)) Walk(g.Group(k), depth + 1);
            else g.Dataset(k).Read();
        }
    }
}
