using System.Text.Json;
using ResNetKeras.Engine;
using ResNetKeras.IO.Hdf5;

namespace ResNetKeras.Tests.IO;

/// <summary>
/// Reads every h5py-written fixture (tools/fixtures/make_hdf5_fixtures.py) and compares each group's children and
/// attributes and each dataset's dtype, shape and values with what h5py itself read (expected.json).
/// </summary>
[TestClass]
public sealed class Hdf5FixtureTests
{
    internal static string Fx(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Hdf5", name);

    private static readonly Lazy<JsonDocument> Expected = new(() => JsonDocument.Parse(File.ReadAllText(Fx("expected.json"))));

    public static IEnumerable<object[]> Files => new[] { "keras_weights.h5", "layout.h5", "latest.h5", "dense.h5", "sb2.h5", "userblock.h5" }.Select(f => new object[] { f });

    [TestMethod]
    [DynamicData(nameof(Files))]
    public void Fixture_MatchesWhatH5pyRead(string name)
    {
        var file = H5File.Open(Fx(name));
        var expected = Expected.Value.RootElement.GetProperty(name);
        Assert.AreEqual(expected.GetProperty("superblock").GetInt32(), file.SuperblockVersion, "superblock version");
        int groups = 0, datasets = 0;
        foreach (var g in expected.GetProperty("groups").EnumerateObject())
        {
            var group = g.Name == "/" ? file.Root : file.Root.Group(g.Name);
            CollectionAssert.AreEqual(g.Value.GetProperty("keys").EnumerateArray().Select(k => k.GetString()).ToArray(), group.Keys.ToArray(), $"{name}:{g.Name} children");
            CheckAttributes(group.Attributes, g.Value.GetProperty("attrs"), $"{name}:{g.Name}");
            groups++;
        }
        foreach (var d in expected.GetProperty("datasets").EnumerateObject())
        {
            var e = d.Value.TryGetProperty("same_as", out var target) ? expected.GetProperty("datasets").GetProperty(target.GetString()!) : d.Value;
            var ds = file.Root.Dataset(d.Name);
            string where = $"{name}:{d.Name}";
            Assert.AreEqual(e.GetProperty("dtype").GetString(), ds.TypeName, where + " dtype");
            CollectionAssert.AreEqual(e.GetProperty("shape").EnumerateArray().Select(x => x.GetInt32()).ToArray(), ds.Shape, where + " shape");
            CheckValues(ds.IsString ? (object)ds.ReadStrings() : ds.Read(), e.GetProperty("values"), where);
            CheckAttributes(ds.Attributes, e.GetProperty("attrs"), where);
            datasets++;
        }
        Assert.IsTrue(groups > 0 && datasets > 0, "the expectations describe objects");
    }

    private static void CheckAttributes(IReadOnlyDictionary<string, H5Attribute> actual, JsonElement expected, string where)
    {
        CollectionAssert.AreEqual(expected.EnumerateObject().Select(p => p.Name).ToArray(), actual.Keys.ToArray(), where + " attribute names, in h5py's order");
        foreach (var p in expected.EnumerateObject())
        {
            var a = actual[p.Name];
            string at = $"{where}@{p.Name}";
            Assert.AreEqual(p.Value.GetProperty("dtype").GetString(), a.TypeName, at + " dtype");
            var shape = p.Value.GetProperty("shape");
            if (shape.ValueKind == JsonValueKind.Null) Assert.IsNull(a.Shape, at + " is empty (null dataspace)");
            else CollectionAssert.AreEqual(shape.EnumerateArray().Select(x => x.GetInt32()).ToArray(), a.Shape, at + " shape");
            CheckValues(a.IsString ? (object)a.ReadStrings() : a.ReadArray(), p.Value.GetProperty("values"), at);
        }
    }

    private static void CheckValues(object actual, JsonElement expected, string where)
    {
        var values = expected.EnumerateArray().ToArray();
        if (actual is string[] strings)
        {
            CollectionAssert.AreEqual(values.Select(v => v.GetString()).ToArray(), strings, where + " strings");
            return;
        }
        var array = (NDArray)actual;
        Assert.AreEqual(values.Length, array.Size, where + " element count");
        for (int i = 0; i < values.Length; i++)
        {
            if (array.DType == DType.Int64)
                Assert.AreEqual(values[i].GetInt64(), array.ToArray<long>()[i], $"{where}[{i}]");
            else
                Assert.AreEqual(values[i].GetDouble(), array.GetFlat(i), $"{where}[{i}]");
        }
    }

    [TestMethod]
    public void Fixtures_CoverEveryLayoutAndChunkIndex()
    {
        var layout = H5File.Open(Fx("layout.h5")).Root;
        Assert.AreEqual("contiguous", layout.Dataset("contiguous_f32").Layout);
        Assert.AreEqual("compact", layout.Dataset("compact_i32").Layout);
        Assert.AreEqual("chunked/v1-btree", layout.Dataset("chunked_f64").Layout);
        var latest = H5File.Open(Fx("latest.h5")).Root;
        foreach (var prefix in new[] { "plain_", "filtered_" })
        {
            Assert.AreEqual("chunked/single-chunk", latest.Dataset(prefix + "single").Layout);
            Assert.AreEqual("chunked/fixed-array", latest.Dataset(prefix + "fixed_array").Layout);
            Assert.AreEqual("chunked/fixed-array", latest.Dataset(prefix + "fixed_array_many").Layout);
            Assert.AreEqual("chunked/extensible-array", latest.Dataset(prefix + "extensible").Layout);
            Assert.AreEqual("chunked/extensible-array", latest.Dataset(prefix + "extensible_2d").Layout);
            Assert.AreEqual("chunked/extensible-array", latest.Dataset(prefix + "extensible_unlim1").Layout);
            Assert.AreEqual("chunked/v2-btree", latest.Dataset(prefix + "btree2").Layout);
            Assert.AreEqual("chunked/v2-btree", latest.Dataset(prefix + "btree2_many").Layout);
        }
        Assert.AreEqual("chunked/implicit", latest.Dataset("implicit").Layout);
        Assert.AreEqual(2, H5File.Open(Fx("sb2.h5")).SuperblockVersion);
    }

    [TestMethod]
    public void KerasWeights_LayoutAsH5py3WritesIt()
    {
        var f = H5File.Open(Fx("keras_weights.h5")).Root;
        CollectionAssert.AreEqual(new[] { "input_1", "conv2d", "batch_normalization", "activation" }, f.Attributes["layer_names"].ReadStrings());
        Assert.AreEqual("|O", f.Attributes["layer_names"].TypeName, "h5py 3 stores a list of bytes as variable-length strings");
        Assert.AreEqual("tensorflow", f.Attributes["backend"].ReadString());
        Assert.AreEqual("2.6.0", f.Attributes["keras_version"].ReadString());
        Assert.AreEqual(0, f.Group("input_1").Attributes["weight_names"].ReadStrings().Length, "weightless layer: empty float64 array");
        Assert.AreEqual("<f8", f.Group("input_1").Attributes["weight_names"].TypeName);
        var conv = f.Group("conv2d");
        CollectionAssert.AreEqual(new[] { "conv2d/kernel:0", "conv2d/bias:0" }, conv.Attributes["weight_names"].ReadStrings());
        var kernel = conv.Dataset("conv2d/kernel:0").Read();
        CollectionAssert.AreEqual(new[] { 3, 3, 2, 4 }, kernel.IntShape);
        Assert.AreEqual(71 / 10f, kernel.Float32Data[71]);
        Assert.IsTrue(conv.Contains("conv2d/bias:0"));
        Assert.IsFalse(conv.Contains("conv2d/missing:0"));
        Assert.ThrowsExactly<H5Group.KeyError>(() => conv.Dataset("conv2d/missing:0"));
        Assert.ThrowsExactly<InvalidDataException>(() => f.Dataset("conv2d"));
        Assert.ThrowsExactly<InvalidDataException>(() => f.Group("conv2d/conv2d/bias:0"));
    }

    [TestMethod]
    public void NumbersAndStrings_RefuseTheOtherReader()
    {
        var g = H5File.Open(Fx("layout.h5")).Root.Group("strings");
        Assert.ThrowsExactly<InvalidDataException>(() => g.Attributes["vlen"].ReadArray());
        Assert.ThrowsExactly<InvalidDataException>(() => g.Attributes["numbers"].ReadStrings());
        Assert.ThrowsExactly<InvalidDataException>(() => g.Attributes["fixed"].ReadString());
        Assert.ThrowsExactly<InvalidDataException>(() => g.Dataset("vlen_ds").Read());
        Assert.AreEqual("tensorflow", g.Attributes["scalar_vlen"].ReadString());
        Assert.AreEqual(DType.Int32, H5File.Open(Fx("layout.h5")).Root.Dataset("ints/int16").DType, "int16 widens to int32");
        Assert.AreEqual(DType.Int64, H5File.Open(Fx("layout.h5")).Root.Dataset("ints/uint32").DType, "uint32 widens to int64");
    }

    [TestMethod]
    public void Fixtures_ReachTheDeeperStructures()
    {
        var latest = H5File.Open(Fx("latest.h5"));
        var f = latest.Context.File;
        foreach (var prefix in new[] { "plain_", "filtered_" })
        {
            var layout = Layout(latest, prefix + "btree2_many");
            Assert.IsTrue(BTreeV2.Read(f, layout.Address).Depth >= 1, "a chunk B-tree with internal nodes");
            var fa = Layout(latest, prefix + "fixed_array_many");
            var header = f.At(fa.Address, "test");
            header.Skip(7);
            int pageBits = header.U8();
            Assert.IsTrue(header.Length() > 1UL << pageBits, "a paged fixed array");
        }
        var dense = H5File.Open(Fx("dense.h5"));
        var links = dense.Context.Header(dense.Root.Group("links").Address);
        var info = LinkInfoMessage.Read(links.First(HeaderMessage.LinkInfo)!.Value.Body(dense.Context.File, "test"));
        Assert.IsTrue(info.IsDense);
        Assert.IsTrue(BTreeV2.Read(dense.Context.File, info.NameIndexAddress).Depth >= 1, "a link name index with internal nodes");
    }

    private static DataLayoutMessage Layout(H5File file, string path)
    {
        var h = file.Context.Header(file.Root.Dataset(path).Address);
        return DataLayoutMessage.Read(h.First(HeaderMessage.DataLayout)!.Value.Body(file.Context.File, "test"));
    }
}
