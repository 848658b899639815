using ResNetKeras.Engine;
using ResNetKeras.IO;

namespace ResNetKeras.Tests.IO;

/// <summary>Files written by NumPy 1.24 (tools/fixtures/make_npy_fixtures.py).</summary>
[TestClass]
public sealed class NpyTests
{
    private static string Fx(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Npy", name);

    [TestMethod]
    public void ReadsEveryDtypeScalarAndEmpty()
    {
        foreach (var (file, dtype) in new[] { ("a_float32", DType.Float32), ("a_float64", DType.Float64), ("a_int32", DType.Int32), ("a_int64", DType.Int64), ("a_uint8", DType.UInt8) })
        {
            var a = Npy.Load(Fx(file + ".npy"));
            Assert.AreEqual(dtype, a.DType, file);
            CollectionAssert.AreEqual(new[] { 2, 3, 4 }, a.Shape, file);
            for (int i = 0; i < 24; i++) Assert.AreEqual(dtype == DType.UInt8 ? i + 5 : i - 5, a.GetFlat(i), file);
        }
        var s = Npy.Load(Fx("scalar.npy"));
        Assert.AreEqual(0, s.Rank);
        Assert.AreEqual(2.5, s.Item());
        CollectionAssert.AreEqual(new[] { 0, 3 }, Npy.Load(Fx("empty.npy")).Shape);
    }

    [TestMethod]
    public void ReadsStoredAndCompressedNpz()
    {
        foreach (var file in new[] { "stored.npz", "compressed.npz" })
        {
            var d = Npy.LoadNpz(Fx(file));
            CollectionAssert.AreEquivalent(new[] { "x", "y" }, d.Keys.ToArray());
            Assert.AreEqual(18.0, d["x"].GetFlat(23));
            CollectionAssert.AreEqual(new long[] { 1, 2, 3 }, d["y"].Data<long>());
        }
    }

    [TestMethod]
    public void RoundTrip_NpyAndNpz()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"npy_{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var a = NDArray.FromArray(new double[] { 1.5, -2, 3e10 }, 3, 1);
            Npy.Save(Path.Combine(dir, "a.npy"), a);
            var b = Npy.Load(Path.Combine(dir, "a.npy"));
            CollectionAssert.AreEqual(a.Shape, b.Shape);
            CollectionAssert.AreEqual(a.Data<double>(), b.Data<double>());
            Assert.AreEqual(File.ReadAllBytes(Fx("a_float32.npy")).Length, WriteBack("a_float32.npy").Length, "same header padding as NumPy");
            CollectionAssert.AreEqual(File.ReadAllBytes(Fx("a_float32.npy")), WriteBack("a_float32.npy"), "byte-identical to np.save");
            Npy.SaveNpz(Path.Combine(dir, "z.npz"), new Dictionary<string, NDArray> { ["p"] = a, ["q"] = NDArray.FromArray(new byte[] { 7 }, 1) }, compressed: true);
            var z = Npy.LoadNpz(Path.Combine(dir, "z.npz"));
            Assert.AreEqual(3e10, z["p"].GetFlat(2));
            Assert.AreEqual(7.0, z["q"].GetFlat(0));
        }
        finally { Directory.Delete(dir, true); }

        static byte[] WriteBack(string name)
        {
            var ms = new MemoryStream();
            Npy.Write(ms, Npy.Load(Fx(name)));
            return ms.ToArray();
        }
    }

    [TestMethod]
    public void RefusesFortranBigEndianAndObjectArrays()
    {
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => Npy.Load(Fx("fortran.npy"))).Message, "Fortran");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => Npy.Load(Fx("bigendian.npy"))).Message, "big-endian");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => Npy.Load(Fx("object.npy"))).Message, "object");
    }

    [TestMethod]
    public void TruncatedAndCorruptedFiles_OnlyInvalidDataException()
    {
        var rng = new RandomState(31);
        foreach (var name in new[] { "a_float32.npy", "a_int64.npy", "stored.npz", "compressed.npz" })
        {
            var good = File.ReadAllBytes(Fx(name));
            bool npz = name.EndsWith(".npz", StringComparison.Ordinal);
            string path = Path.Combine(Path.GetTempPath(), $"bad_{Guid.NewGuid():N}_{name}");
            try
            {
                void Exercise(byte[] data)
                {
                    File.WriteAllBytes(path, data);
                    try
                    {
                        if (npz) Npy.LoadNpz(path); else Npy.Load(path);
                    }
                    catch (InvalidDataException) { }
                }
                for (int cut = 0; cut < good.Length; cut += Math.Max(1, good.Length / 80)) Exercise(good[..cut]);
                for (int t = 0; t < 120; t++)
                {
                    var bad = (byte[])good.Clone();
                    bad[(int)rng.Interval(good.Length - 1)] = (byte)rng.Interval(255);
                    Exercise(bad);
                }
            }
            finally { File.Delete(path); }
        }
    }
}
