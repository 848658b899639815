using ResNetKeras.Engine;
using ResNetKeras.Keras;
using static ResNetKeras.Tests.Datasets.CifarData;

namespace ResNetKeras.Tests.Datasets;

[TestClass]
public sealed class Cifar10Tests
{
    /// <summary>Every pixel: (row r, col c, channel k) of image i = byte k·1024 + r·32 + c of its record's pixels.</summary>
    private static void AssertImages(NDArray x, NDArray y, IEnumerable<(byte[] Planes, byte[] Labels)> batches)
    {
        var xs = x.ToArray<byte>();
        var ys = y.ToArray<byte>();
        int img = 0;
        foreach (var (planes, labels) in batches)
        {
            for (int i = 0; i < labels.Length; i++, img++)
            {
                Assert.AreEqual(labels[i], ys[img], $"label of image {img}");
                for (int r = 0; r < 32; r++)
                    for (int c = 0; c < 32; c++)
                        for (int k = 0; k < 3; k++)
                        {
                            byte expected = planes[i * 3072 + k * 1024 + r * 32 + c];
                            byte actual = xs[((img * 32 + r) * 32 + c) * 3 + k];
                            if (expected != actual) Assert.Fail($"image {img} pixel (row {r}, col {c}, channel {k}) = {actual}, expected {expected}");
                        }
            }
        }
        Assert.AreEqual(img, x.Shape[0]);
    }

    private static void AssertLoaded(((NDArray XTrain, NDArray YTrain), (NDArray XTest, NDArray YTest)) data, (byte[] Planes, byte[] Labels)[] batches)
    {
        var ((xTrain, yTrain), (xTest, yTest)) = data;
        int nTrain = batches.Take(5).Sum(b => b.Labels.Length), nTest = batches[5].Labels.Length;
        CollectionAssert.AreEqual(new[] { nTrain, 32, 32, 3 }, xTrain.IntShape);
        CollectionAssert.AreEqual(new[] { nTrain, 1 }, yTrain.IntShape);
        CollectionAssert.AreEqual(new[] { nTest, 32, 32, 3 }, xTest.IntShape);
        CollectionAssert.AreEqual(new[] { nTest, 1 }, yTest.IntShape);
        foreach (var a in new[] { xTrain, yTrain, xTest, yTest }) Assert.AreEqual(DType.UInt8, a.DType);
        AssertImages(xTrain, yTrain, batches.Take(5));
        AssertImages(xTest, yTest, batches.Skip(5));
    }

    [TestMethod]
    public void PythonVersion_Folder_ItsParent_AndArchive()
    {
        string root = TempDir();
        try
        {
            string dir = Path.Combine(root, "cifar-10-batches-py");
            var batches = WriteFolder(dir, binary: false);
            AssertLoaded(Cifar10.LoadData(dir), batches);
            AssertLoaded(Cifar10.LoadData(root), batches);
            string archive = Path.Combine(root, "cifar-10-python.tar.gz");
            File.WriteAllBytes(archive, TarGz(dir));
            AssertLoaded(Cifar10.LoadData(archive), batches);
            // An archive of the folder's contents (no top folder) works too.
            File.WriteAllBytes(archive, TarGz(dir, includeBaseDirectory: false));
            AssertLoaded(Cifar10.LoadData(archive), batches);
        }
        finally { Directory.Delete(root, true); }
    }

    [TestMethod]
    public void PythonVersion_RealPython2Pickles()
    {
        string dir = TempDir();
        try
        {
            foreach (var name in new[] { "data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5", "test_batch" })
                File.Copy(Fixture("batch_py2.pkl"), Path.Combine(dir, name));
            var ((xTrain, yTrain), (xTest, yTest)) = Cifar10.LoadData(dir);
            CollectionAssert.AreEqual(new[] { 25, 32, 32, 3 }, xTrain.IntShape);
            CollectionAssert.AreEqual(new[] { 5, 1 }, yTest.IntShape);
            CollectionAssert.AreEqual(new byte[] { 3, 1, 4, 1, 5, 3, 1 }, yTrain.ToArray<byte>()[..7]);
            // Image 2 of the fixture: byte j = (14 + j) % 256; pixel (r, c, k) is j = k*1024 + r*32 + c.
            Assert.AreEqual((byte)((14 + 2 * 1024 + 7 * 32 + 9) % 256), (byte)xTest.GetDouble(2, 7, 9, 2));
            Assert.AreEqual((byte)((14 + 31 * 32 + 31) % 256), (byte)xTrain.GetDouble(7, 31, 31, 0));
        }
        finally { Directory.Delete(dir, true); }
    }

    [TestMethod]
    public void BinaryVersion_Folder_ItsParent_AndArchive_AnyRecordCount()
    {
        string root = TempDir();
        try
        {
            string dir = Path.Combine(root, "cifar-10-batches-bin");
            var batches = WriteFolder(dir, binary: true, seed: 1);
            Assert.IsTrue(batches.Select(b => b.Labels.Length).Distinct().Count() > 1, "batches of different sizes");
            AssertLoaded(Cifar10.LoadData(dir), batches);
            AssertLoaded(Cifar10.LoadData(root), batches);
            string archive = Path.Combine(root, "cifar-10-binary.tar.gz");
            File.WriteAllBytes(archive, TarGz(dir));
            AssertLoaded(Cifar10.LoadData(archive), batches);
        }
        finally { Directory.Delete(root, true); }
    }

    [TestMethod]
    public void BinaryVersion_BadSizesAndLabels_AreInvalidData()
    {
        string dir = TempDir();
        try
        {
            WriteFolder(dir, binary: true);
            string test = Path.Combine(dir, "test_batch.bin");
            File.WriteAllBytes(test, new byte[3073 + 5]);
            var ex = Assert.ThrowsExactly<InvalidDataException>(() => Cifar10.LoadData(dir));
            StringAssert.Contains(ex.Message, "3078");
            StringAssert.Contains(ex.Message, "3073");
            StringAssert.Contains(ex.Message, "test_batch.bin");
            var rec = new byte[2 * 3073];
            rec[3073] = 10;
            File.WriteAllBytes(test, rec);
            StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => Cifar10.LoadData(dir)).Message, "record 1 has label 10");
        }
        finally { Directory.Delete(dir, true); }
    }

    [TestMethod]
    public void MissingOrWrongInputs_GiveClearErrors()
    {
        string dir = TempDir();
        try
        {
            var ex = Assert.ThrowsExactly<FileNotFoundException>(() => Cifar10.LoadData(Path.Combine(dir, "nothing-here")));
            StringAssert.Contains(ex.Message, "nothing-here");
            StringAssert.Contains(Assert.ThrowsExactly<FileNotFoundException>(() => Cifar10.LoadData(dir)).Message, "neither the Python version");
            WriteFolder(dir, binary: false);
            File.Delete(Path.Combine(dir, "test_batch"));
            StringAssert.Contains(Assert.ThrowsExactly<FileNotFoundException>(() => Cifar10.LoadData(dir)).Message, "test_batch");
            // A batch file that is not a pickle at all.
            File.WriteAllBytes(Path.Combine(dir, "test_batch"), "hello"u8.ToArray());
            StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => Cifar10.LoadData(dir)).Message, "test_batch");
            // A file that is not a .tar.gz.
            string notArchive = Path.Combine(dir, "x.tar.gz");
            File.WriteAllBytes(notArchive, "not gzip at all"u8.ToArray());
            StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => Cifar10.LoadData(notArchive)).Message, "x.tar.gz");
        }
        finally { Directory.Delete(dir, true); }
    }

    [TestMethod]
    public void TruncatedArchives_AreInvalidData_AtEveryCut_AndLeaveNothing()
    {
        var archive = SyntheticPythonArchive();
        string dir = TempDir();
        try
        {
            string path = Path.Combine(dir, "cut.tar.gz");
            var cuts = Enumerable.Range(1, 24).Select(i => archive.Length - i) // inside the gzip trailer and the tar end blocks
                .Concat(Enumerable.Range(1, 30).Select(i => archive.Length * i / 31)).Append(1).Append(10);
            foreach (int cut in cuts)
            {
                File.WriteAllBytes(path, archive[..cut]);
                var ex = Assert.ThrowsExactly<InvalidDataException>(() => Cifar10.LoadData(path), $"cut at {cut} of {archive.Length}");
                StringAssert.Contains(ex.Message, "cut.tar.gz");
                string dest = Path.Combine(dir, "out");
                Assert.ThrowsExactly<InvalidDataException>(() => GetFile.ExtractTarGz(path, dest));
                Assert.AreEqual(0, Directory.GetFileSystemEntries(dest).Length, $"cut at {cut}: extraction left files behind");
            }
        }
        finally { Directory.Delete(dir, true); }
    }
}
