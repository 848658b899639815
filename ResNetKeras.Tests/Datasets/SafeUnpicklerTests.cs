using System.Text;
using ResNetKeras.Keras;
using static ResNetKeras.Tests.Datasets.CifarData;

namespace ResNetKeras.Tests.Datasets;

[TestClass]
public sealed class SafeUnpicklerTests
{
    private static readonly byte[] FixtureLabels = [3, 1, 4, 1, 5];

    private static byte FixturePixel(int image, int j) => (byte)((7 * image + j) % 256);

    [TestMethod]
    [DataRow("batch_py2.pkl")] // Python 2.7 cPickle, as the real files
    [DataRow("batch_p2.pkl")] // Python 3, protocol 2 (_codecs.encode for bytes)
    [DataRow("batch_p3.pkl")] // protocol 3, str keys
    [DataRow("batch_p4.pkl")] // protocol 4 (FRAME, MEMOIZE, STACK_GLOBAL)
    [DataRow("batch_p5.pkl")] // protocol 5 (_frombuffer, BYTEARRAY8)
    [DataRow("batch_p4_fortran.pkl")] // Fortran-ordered array
    public void PicklesWrittenByPython_GiveTheSameBatch(string name)
    {
        var (planes, labels) = Cifar10.ReadPythonBatch(Fixture(name));
        CollectionAssert.AreEqual(FixtureLabels, labels, name);
        Assert.AreEqual(5 * 3072, planes.Length);
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < 3072; j++)
                if (planes[i * 3072 + j] != FixturePixel(i, j)) Assert.Fail($"{name}: data[{i}, {j}] = {planes[i * 3072 + j]}, expected {FixturePixel(i, j)}");
    }

    [TestMethod]
    public void Python2Batch_AllValuesAsKerasSeesThemWithEncodingBytes()
    {
        var d = (Dictionary<object, object?>)SafeUnpickler.Load(File.ReadAllBytes(Fixture("batch_py2.pkl")), "batch_py2.pkl")!;
        CollectionAssert.AreEquivalent(new[] { "data", "labels", "batch_label", "filenames" }, d.Keys.ToArray());
        // Python 2 str values come back as bytes, as pickle.load(f, encoding='bytes') gives them.
        CollectionAssert.AreEqual(Encoding.ASCII.GetBytes("training batch 1 of 5"), (byte[])d["batch_label"]!);
        var files = (List<object?>)d["filenames"]!;
        Assert.AreEqual(5, files.Count);
        CollectionAssert.AreEqual(Encoding.ASCII.GetBytes("img4.png"), (byte[])files[4]!);
        var labels = (List<object?>)d["labels"]!;
        CollectionAssert.AreEqual(new object[] { 3L, 1L, 4L, 1L, 5L }, labels);
        var data = (SafeUnpickler.PickledArray)d["data"]!;
        CollectionAssert.AreEqual(new[] { 5, 3072 }, data.Shape);
        Assert.AreEqual("u1", data.DType);
    }

    [TestMethod]
    public void Protocol3_StrKeysAndBytesValues()
    {
        var d = (Dictionary<object, object?>)SafeUnpickler.Load(File.ReadAllBytes(Fixture("batch_p3.pkl")), "p3")!;
        CollectionAssert.AreEqual(Encoding.ASCII.GetBytes("img0.png"), (byte[])((List<object?>)d["filenames"]!)[0]!);
    }

    [TestMethod]
    public void RefusesTheOsSystemGlobal_AndNamesIt()
    {
        var ex = Assert.ThrowsExactly<InvalidDataException>(() => Cifar10.ReadPythonBatch(Fixture("evil.pkl")));
        StringAssert.Contains(ex.Message, "refusing to load global");
        StringAssert.Matches(ex.Message, new System.Text.RegularExpressions.Regex(@"'(posix|os|nt)\.system'"));
    }

    private static InvalidDataException Refused(byte[] pickle) =>
        Assert.ThrowsExactly<InvalidDataException>(() => SafeUnpickler.Load(pickle, "test.pkl"));

    private static byte[] Bytes(params object[] parts)
    {
        var ms = new MemoryStream();
        foreach (var p in parts)
        {
            if (p is string s) ms.Write(Encoding.Latin1.GetBytes(s));
            else if (p is byte[] b) ms.Write(b);
            else ms.WriteByte(Convert.ToByte(p));
        }
        return ms.ToArray();
    }

    [TestMethod]
    public void RefusesOtherGlobals_BothGlobalOpcodes()
    {
        StringAssert.Contains(Refused(Bytes(0x80, 2, "cos\nsystem\n", "U", 2, "ls", 0x85, "R.")).Message, "'os.system'");
        StringAssert.Contains(Refused(Bytes(0x80, 2, "c__builtin__\neval\n", ".")).Message, "'__builtin__.eval'");
        // STACK_GLOBAL (protocol 4): builtins.exec
        StringAssert.Contains(Refused(Bytes(0x80, 4, 0x8c, 8, "builtins", 0x8c, 4, "exec", 0x93, ".")).Message, "'builtins.exec'");
        // A numpy name that is not one of the reconstruction helpers.
        StringAssert.Contains(Refused(Bytes(0x80, 2, "cnumpy\nload\n", ".")).Message, "'numpy.load'");
        // An allowed helper called with something other than what NumPy writes.
        StringAssert.Contains(Refused(Bytes(0x80, 2, "cnumpy.core.multiarray\n_reconstruct\n", "K", 1, "K", 2, "K", 3, 0x87, "R.")).Message, "numpy.ndarray");
        StringAssert.Contains(Refused(Bytes(0x80, 2, "c_codecs\nencode\n", "X", 1, 0, 0, 0, "a", "X", 5, 0, 0, 0, "utf-8", 0x86, "R.")).Message, "latin1");
    }

    [TestMethod]
    public void RefusesUnknownOpcodes_AndNamesThem()
    {
        StringAssert.Contains(Refused(Bytes(0x80, 2, "(d.")).Message, "0x64 'd' (DICT)");
        StringAssert.Contains(Refused(Bytes(0x80, 2, "(i__main__\nX\n.")).Message, "(INST)");
        StringAssert.Contains(Refused(Bytes(0x80, 2, "c__builtin__\nbytes\n)", 0x81, ".")).Message, "(NEWOBJ)");
        StringAssert.Contains(Refused(Bytes(0x80, 2, "Q.")).Message, "(BINPERSID)");
        StringAssert.Contains(Refused(Bytes(0x80, 2, 0xff)).Message, "0xff");
        StringAssert.Contains(Refused(Bytes(0x80, 6, "}.")).Message, "protocol 6");
    }

    [TestMethod]
    public void TruncatedStreams_AreInvalidData_AtEveryCut()
    {
        foreach (var name in new[] { "batch_py2.pkl", "batch_p4.pkl", "batch_p5.pkl" })
        {
            var good = File.ReadAllBytes(Fixture(name));
            for (int cut = 0; cut < good.Length; cut += cut < 400 ? 1 : 211)
            {
                var ex = Assert.ThrowsExactly<InvalidDataException>(() => SafeUnpickler.Load(good[..cut], name), $"{name} cut at {cut}");
                StringAssert.Contains(ex.Message, name);
            }
        }
    }

    [TestMethod]
    public void CorruptArrays_AreInvalidData()
    {
        // The array claims 2 images but carries the bytes of 1.
        var pickle = Python2Pickle(Planes(1, 0), [1, 2]);
        StringAssert.Contains(Refused(pickle).Message, "needs 6144");
        // Stack misuse: SETITEM without a dict, APPEND to a non-list, STOP on an empty stack, BINGET of an unknown key.
        Refused(Bytes(0x80, 2, "K", 1, "K", 2, "s."));
        Refused(Bytes(0x80, 2, "}K", 1, "a."));
        Refused(Bytes(0x80, 2, "."));
        StringAssert.Contains(Refused(Bytes(0x80, 2, "h", 7, ".")).Message, "memo key 7");
        Refused(Bytes(0x80, 2, "(K", 1, "."));
    }

    [TestMethod]
    public void BatchesThatAreNotCifar_AreInvalidData()
    {
        string dir = TempDir();
        try
        {
            string path = Path.Combine(dir, "data_batch_1");
            File.WriteAllBytes(path, Bytes(0x80, 2, "]."));
            StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => Cifar10.ReadPythonBatch(path)).Message, "dict");
            File.WriteAllBytes(path, Python2Pickle(Planes(2, 0), [1, 12]));
            StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => Cifar10.ReadPythonBatch(path)).Message, "label 1 is 12");
            File.WriteAllBytes(path, Bytes(0x80, 2, "}U", 4, "dataK", 1, "s."));
            StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => Cifar10.ReadPythonBatch(path)).Message, "'data'");
        }
        finally { Directory.Delete(dir, true); }
    }
}
