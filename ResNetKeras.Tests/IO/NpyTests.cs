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
            CollectionAssert.AreEqual(new[] { 2, 3, 4 }, a.IntShape, file);
            for (int i = 0; i < 24; i++) Assert.AreEqual(dtype == DType.UInt8 ? i + 5 : i - 5, a.GetFlat(i), file);
        }
        var s = Npy.Load(Fx("scalar.npy"));
        Assert.AreEqual(0, s.Rank);
        Assert.AreEqual(2.5, s.Item());
        CollectionAssert.AreEqual(new[] { 0, 3 }, Npy.Load(Fx("empty.npy")).IntShape);
    }

    [TestMethod]
    public void ReadsStoredAndCompressedNpz()
    {
        foreach (var file in new[] { "stored.npz", "compressed.npz" })
        {
            var d = Npy.LoadNpz(Fx(file));
            CollectionAssert.AreEquivalent(new[] { "x", "y" }, d.Keys.ToArray());
            Assert.AreEqual(18.0, d["x"].GetFlat(23));
            CollectionAssert.AreEqual(new long[] { 1, 2, 3 }, d["y"].ToArray<long>());
        }
    }

    [TestMethod]
    public void RoundTrip_NpyAndNpz()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"npy_{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var a = ND.Of(new double[] { 1.5, -2, 3e10 }, 3, 1);
            Npy.Save(Path.Combine(dir, "a.npy"), a);
            var b = Npy.Load(Path.Combine(dir, "a.npy"));
            CollectionAssert.AreEqual(a.IntShape, b.IntShape);
            CollectionAssert.AreEqual(a.ToArray<double>(), b.ToArray<double>());
            Assert.AreEqual(File.ReadAllBytes(Fx("a_float32.npy")).Length, WriteBack("a_float32.npy").Length, "same header padding as NumPy");
            CollectionAssert.AreEqual(File.ReadAllBytes(Fx("a_float32.npy")), WriteBack("a_float32.npy"), "byte-identical to np.save");
            Npy.SaveNpz(Path.Combine(dir, "z.npz"), new Dictionary<string, NDArray> { ["p"] = a, ["q"] = ND.Of(new byte[] { 7 }, 1) }, compressed: true);
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
    public void ReadsHeaderVersions2And3_ZeroDAndVectors()
    {
        foreach (var file in new[] { "v2.npy", "v3.npy" })
        {
            var a = Npy.Load(Fx(file));
            Assert.AreEqual(DType.Float64, a.DType, file);
            CollectionAssert.AreEqual(new[] { 2, 3, 4 }, a.IntShape, file);
            for (int i = 0; i < 24; i++) Assert.AreEqual(i - 5.0, a.GetFlat(i), file);
        }
        var s = Npy.Load(Fx("scalar_i64.npy"));
        Assert.AreEqual(DType.Int64, s.DType);
        Assert.AreEqual(0, s.Rank);
        Assert.AreEqual(-7L, s.ToArray<long>()[0]);
        CollectionAssert.AreEqual(new[] { 0.1, 0.2, 0.3 }, Npy.Load(Fx("vector.npy")).ToArray<double>());
    }

    [TestMethod]
    public void Write_EveryDtypeAndShape_ByteIdenticalToNumPy()
    {
        foreach (var name in new[] { "a_float32.npy", "a_float64.npy", "a_int32.npy", "a_int64.npy", "a_uint8.npy", "scalar.npy", "scalar_i64.npy", "empty.npy", "vector.npy" })
        {
            var ms = new MemoryStream();
            Npy.Write(ms, Npy.Load(Fx(name)));
            CollectionAssert.AreEqual(File.ReadAllBytes(Fx(name)), ms.ToArray(), name + ": byte-identical to np.save");
        }
    }

    [TestMethod]
    public void Npz_KeepsArchiveOrder_AndBothCompressions()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"npz_{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var arrays = new Dictionary<string, NDArray>
            {
                ["zeta"] = ND.Of(new float[] { 1, 2 }, 2),
                ["alpha"] = ND.Of(new int[] { -3 }, 1),
                ["scalar"] = ND.Of(new double[] { 0.5 }),
            };
            foreach (bool compressed in new[] { false, true })
            {
                string path = Path.Combine(dir, $"z{compressed}.npz");
                Npy.SaveNpz(path, arrays, compressed);
                var back = Npy.LoadNpz(path);
                CollectionAssert.AreEqual(new[] { "zeta", "alpha", "scalar" }, back.Keys.ToArray());
                CollectionAssert.AreEqual(new float[] { 1, 2 }, back["zeta"].ToArray<float>());
                Assert.AreEqual(-3, back["alpha"].ToArray<int>()[0]);
                Assert.AreEqual(0, back["scalar"].Rank);
            }
            Assert.ThrowsExactly<ArgumentException>(() => Npy.SaveNpz(Path.Combine(dir, "bad.npz"), new Dictionary<string, NDArray> { [""] = ND.Zeros([1]) }));
        }
        finally { Directory.Delete(dir, true); }
    }

    [TestMethod]
    public void RefusesFortranBigEndianObjectAndOtherDtypes()
    {
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => Npy.Load(Fx("fortran.npy"))).Message, "Fortran");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => Npy.Load(Fx("bigendian.npy"))).Message, "big-endian");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => Npy.Load(Fx("object.npy"))).Message, "object");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => Npy.Load(Fx("float16.npy"))).Message, "'<f2'");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => Npy.Load(Fx("structured.npy"))).Message, "structured");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => Npy.Load(Fx("a_float32.npy").Replace(".npy", ".npz").Replace("a_float32", "stored"))).Message, "magic");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => Npy.LoadNpz(Fx("a_float32.npy"))).Message, "npz");
    }

    [TestMethod]
    [Timeout(300_000)]
    public void TruncatedAndCorruptedFiles_OnlyInvalidDataException()
    {
        foreach (var name in new[] { "a_float32.npy", "a_int64.npy", "v3.npy", "scalar.npy" })
            CorruptionFuzzer.Run(File.ReadAllBytes(Fx(name)), d => Npy.Read(new MemoryStream(d), name), name, seed: 31);
        foreach (var name in new[] { "stored.npz", "compressed.npz" })
            CorruptionFuzzer.Run(File.ReadAllBytes(Fx(name)), d => Npy.ReadNpz(new MemoryStream(d), name), name, seed: 37, mutations: 600);
        var ok = File.ReadAllBytes(Fx("a_float32.npy"));
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => Npy.Read(new MemoryStream(ok[..^4]), "cut.npy")).Message, "truncated");
    }
}
