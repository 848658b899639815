using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using ResNetKeras.Engine;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Datasets;

[TestClass]
public sealed class Cifar10Tests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Cifar10", name);

    private static string TempDir()
    {
        string d = Path.Combine(Path.GetTempPath(), $"cifar_test_{Guid.NewGuid():N}");
        Directory.CreateDirectory(d);
        return d;
    }

    /// <summary>A Python 2 cPickle-style batch (SHORT_BINSTRING keys, BINSTRING data), as the real files are written.</summary>
    internal static byte[] Python2Pickle(byte[] planes, byte[] labels)
    {
        var ms = new MemoryStream();
        void W(params byte[] b) => ms.Write(b);
        void Str(string s) { var b = Encoding.ASCII.GetBytes(s); W((byte)'U', (byte)b.Length); W(b); }
        W(0x80, 2, (byte)'}', (byte)'(');
        Str("data");
        W(Encoding.ASCII.GetBytes("cnumpy.core.multiarray\n_reconstruct\ncnumpy\nndarray\n"));
        W((byte)'K', 0, 0x85); Str("b"); W(0x87, (byte)'R');
        W((byte)'(', (byte)'K', 1, (byte)'M'); W(BitConverter.GetBytes((ushort)labels.Length)); W((byte)'M'); W(BitConverter.GetBytes((ushort)3072)); W(0x86);
        W(Encoding.ASCII.GetBytes("cnumpy\ndtype\n")); Str("u1"); W((byte)'K', 0, (byte)'K', 1, 0x87, (byte)'R');
        W((byte)'(', (byte)'K', 3); Str("|"); W((byte)'N', (byte)'N', (byte)'N', (byte)'J'); W(BitConverter.GetBytes(-1)); W((byte)'J'); W(BitConverter.GetBytes(-1)); W((byte)'K', 0, (byte)'t', (byte)'b');
        W(0x89, (byte)'T'); W(BitConverter.GetBytes(planes.Length)); W(planes); W((byte)'t', (byte)'b');
        Str("labels"); W((byte)']', (byte)'(');
        foreach (var l in labels) W((byte)'K', l);
        W((byte)'e');
        Str("batch_label"); Str("training batch 1 of 5");
        W((byte)'u', (byte)'.');
        return ms.ToArray();
    }

    private static byte[] Planes(int n, int salt)
    {
        var p = new byte[n * 3072];
        for (int i = 0; i < p.Length; i++) p[i] = (byte)((i * 13 + salt) % 251);
        return p;
    }

    private static void AssertPixel(NDArray x, int img, byte[] planes, int localImg)
    {
        // Pixel (row r, col c, channel k) = plane byte k*1024 + r*32 + c of the record.
        foreach (var (r, c, k) in new[] { (0, 0, 0), (5, 17, 1), (31, 31, 2), (12, 3, 0) })
            Assert.AreEqual(planes[localImg * 3072 + k * 1024 + r * 32 + c], (byte)x.GetValue(img, r, c, k), $"image {img} ({r},{c},{k})");
    }

    [TestMethod]
    public void PythonPickles_Protocol2And4_FromRealPython()
    {
        foreach (var name in new[] { "batch_p2.pkl", "batch_p4.pkl" })
        {
            var (planes, labels) = Cifar10.ReadPythonBatch(Fixture(name));
            CollectionAssert.AreEqual(new byte[] { 3, 1, 4, 1, 5 }, labels, name);
            Assert.AreEqual(5 * 3072, planes.Length);
            for (int i = 0; i < 5; i++)
                for (int j = 0; j < 3072; j += 511) Assert.AreEqual((byte)((7 * i + j) % 256), planes[i * 3072 + j], $"{name} [{i},{j}]");
        }
    }

    [TestMethod]
    public void SafeUnpickler_RefusesGlobalsOpcodesAndTruncation()
    {
        var ex = Assert.ThrowsExactly<InvalidDataException>(() => Cifar10.ReadPythonBatch(Fixture("evil.pkl")));
        StringAssert.Contains(ex.Message, "system");
        var path = Path.Combine(TempDir(), "x");
        File.WriteAllBytes(path, [0x80, 2, (byte)'}', (byte)'d', (byte)'.']);
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => Cifar10.ReadPythonBatch(path)).Message, "opcode");
        var good = File.ReadAllBytes(Fixture("batch_p2.pkl"));
        for (int cut = 1; cut < good.Length; cut += 997)
        {
            File.WriteAllBytes(path, good[..cut]);
            Assert.ThrowsExactly<InvalidDataException>(() => Cifar10.ReadPythonBatch(path), $"cut at {cut}");
        }
    }

    [TestMethod]
    public void LoadData_PythonFolder_AndArchive()
    {
        string root = TempDir();
        try
        {
            string dir = Path.Combine(root, "cifar-10-batches-py");
            Directory.CreateDirectory(dir);
            var planes = Enumerable.Range(0, 6).Select(i => Planes(2 + i % 2, i)).ToArray();
            for (int i = 0; i < 6; i++)
            {
                var labels = Enumerable.Range(0, planes[i].Length / 3072).Select(j => (byte)((i + j) % 10)).ToArray();
                File.WriteAllBytes(Path.Combine(dir, i < 5 ? $"data_batch_{i + 1}" : "test_batch"), Python2Pickle(planes[i], labels));
            }
            var ((xTrain, yTrain), (xTest, yTest)) = Cifar10.LoadData(root);
            CollectionAssert.AreEqual(new[] { 12, 32, 32, 3 }, xTrain.Shape);
            CollectionAssert.AreEqual(new[] { 12, 1 }, yTrain.Shape);
            CollectionAssert.AreEqual(new[] { 3, 32, 32, 3 }, xTest.Shape);
            Assert.AreEqual(DType.UInt8, xTrain.DType);
            Assert.AreEqual(DType.UInt8, yTrain.DType);
            AssertPixel(xTrain, 0, planes[0], 0);
            AssertPixel(xTrain, 3, planes[1], 1);
            AssertPixel(xTest, 2, planes[5], 2);
            Assert.AreEqual(1.0, yTrain.GetValue(2, 0));

            string archive = Path.Combine(root, "cifar.tar.gz");
            using (var fs = File.Create(archive))
            using (var gz = new GZipStream(fs, CompressionLevel.Fastest))
                TarFile.CreateFromDirectory(dir, gz, includeBaseDirectory: true);
            var ((x2, _), _) = Cifar10.LoadData(archive);
            CollectionAssert.AreEqual(xTrain.Data<byte>(), x2.Data<byte>());
        }
        finally { Directory.Delete(root, true); }
    }

    [TestMethod]
    public void LoadData_BinaryFolder_AnyRecordCount()
    {
        string dir = TempDir();
        try
        {
            var all = new List<byte[]>();
            for (int i = 0; i < 6; i++)
            {
                int n = 1 + i;
                var planes = Planes(n, 40 + i);
                all.Add(planes);
                var rec = new byte[n * 3073];
                for (int j = 0; j < n; j++)
                {
                    rec[j * 3073] = (byte)(j % 10);
                    Buffer.BlockCopy(planes, j * 3072, rec, j * 3073 + 1, 3072);
                }
                File.WriteAllBytes(Path.Combine(dir, i < 5 ? $"data_batch_{i + 1}.bin" : "test_batch.bin"), rec);
            }
            var ((xTrain, yTrain), (xTest, _)) = Cifar10.LoadData(dir);
            Assert.AreEqual(1 + 2 + 3 + 4 + 5, xTrain.Shape[0]);
            Assert.AreEqual(6, xTest.Shape[0]);
            AssertPixel(xTrain, 1, all[1], 0);
            AssertPixel(xTest, 5, all[5], 5);
            Assert.AreEqual(1.0, yTrain.GetValue(2, 0));

            File.WriteAllBytes(Path.Combine(dir, "test_batch.bin"), new byte[3073 + 5]);
            StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => Cifar10.LoadData(dir)).Message, "3073");
        }
        finally { Directory.Delete(dir, true); }
    }

    [TestMethod]
    public void ToCategorical_KerasRules()
    {
        var y = NDArray.FromArray(new byte[] { 2, 0, 1 }, 3, 1);
        var c = Utils.ToCategorical(y, 3);
        CollectionAssert.AreEqual(new[] { 3, 3 }, c.Shape);
        CollectionAssert.AreEqual(new float[] { 0, 0, 1, 1, 0, 0, 0, 1, 0 }, c.Float32Data);
        CollectionAssert.AreEqual(new[] { 3, 3 }, Utils.ToCategorical(y).Shape);
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => Utils.ToCategorical(y, 2)).Message, "label 2");
    }

    // ------------------------------------------------------------------ download through a loopback server

    private sealed class OneShotServer : IDisposable
    {
        private readonly TcpListener listener = new(IPAddress.Loopback, 0);
        private readonly Task serving;

        public OneShotServer(byte[] body, int status = 200, long? declaredLength = null)
        {
            listener.Start();
            Uri = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/cifar-10-python.tar.gz");
            serving = Task.Run(async () =>
            {
                using var client = await listener.AcceptTcpClientAsync();
                using var stream = client.GetStream();
                var reader = new StreamReader(stream, Encoding.ASCII, false, 1024, leaveOpen: true);
                while (!string.IsNullOrEmpty(await reader.ReadLineAsync())) { }
                var head = $"HTTP/1.1 {status} {(status == 200 ? "OK" : "Not Found")}\r\nContent-Length: {declaredLength ?? body.Length}\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
                await stream.WriteAsync(body);
                await stream.FlushAsync();
            });
        }

        public Uri Uri { get; }

        public void Dispose()
        {
            try { serving.Wait(TimeSpan.FromSeconds(10)); } catch (AggregateException) { }
            listener.Stop();
        }
    }

    private static byte[] SyntheticArchive()
    {
        string root = TempDir();
        try
        {
            string dir = Path.Combine(root, "cifar-10-batches-py");
            Directory.CreateDirectory(dir);
            for (int i = 0; i < 6; i++)
                File.WriteAllBytes(Path.Combine(dir, i < 5 ? $"data_batch_{i + 1}" : "test_batch"), Python2Pickle(Planes(1, i), [(byte)i]));
            var ms = new MemoryStream();
            using (var gz = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
                TarFile.CreateFromDirectory(dir, gz, includeBaseDirectory: true);
            return ms.ToArray();
        }
        finally { Directory.Delete(root, true); }
    }

    [TestMethod]
    public void Download_VerifiesExtractsAndCaches()
    {
        var archive = SyntheticArchive();
        string cache = TempDir();
        try
        {
            string sha = Convert.ToHexStringLower(SHA256.HashData(archive));
            using (var server = new OneShotServer(archive))
            {
                var ((xTrain, yTrain), (xTest, _)) = Cifar10.LoadFromCache(server.Uri, cache, sha, TextWriter.Null);
                Assert.AreEqual(5, xTrain.Shape[0]);
                Assert.AreEqual(1, xTest.Shape[0]);
                Assert.AreEqual(4.0, yTrain.GetValue(4, 0));
            }
            // Second call: served from the cache (no server is listening any more).
            var again = Cifar10.LoadFromCache(new Uri("http://127.0.0.1:9/unused"), cache, sha, TextWriter.Null);
            Assert.AreEqual(5, again.Item1.Item1.Shape[0]);
        }
        finally { Directory.Delete(cache, true); }
    }

    [TestMethod]
    public void Download_Failures_LeaveNothingInTheCache()
    {
        var archive = SyntheticArchive();
        string cache = TempDir();
        try
        {
            using (var server = new OneShotServer(archive))
                StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => Cifar10.LoadFromCache(server.Uri, cache, new string('0', 64), TextWriter.Null)).Message, "SHA-256");
            Assert.AreEqual(0, Directory.GetFileSystemEntries(cache).Length, "checksum mismatch");

            using (var server = new OneShotServer(archive, declaredLength: archive.Length + 1000))
                Assert.ThrowsExactly<InvalidDataException>(() => Cifar10.LoadFromCache(server.Uri, cache, null, TextWriter.Null));
            Assert.AreEqual(0, Directory.GetFileSystemEntries(cache).Length, "truncated body");

            using (var server = new OneShotServer([], status: 404))
                StringAssert.Contains(Assert.ThrowsExactly<HttpRequestException>(() => Cifar10.LoadFromCache(server.Uri, cache, null, TextWriter.Null)).Message, "404");
            Assert.AreEqual(0, Directory.GetFileSystemEntries(cache).Length, "HTTP 404");
        }
        finally { Directory.Delete(cache, true); }
    }
}
