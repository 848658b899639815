using ResNetKeras.Engine;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using ResNetKeras.Keras;
using static ResNetKeras.Tests.Datasets.CifarData;

namespace ResNetKeras.Tests.Datasets;

/// <summary>The download path of Cifar10.LoadData(), served from a loopback server; no test touches the internet.</summary>
[TestClass]
public sealed class DownloadTests
{
    private static readonly byte[] Archive = SyntheticPythonArchive();
    private static readonly string ArchiveSha256 = Convert.ToHexStringLower(SHA256.HashData(Archive));

    private static void AssertEmpty(string cache, string after) =>
        Assert.AreEqual(0, Directory.GetFileSystemEntries(cache).Length,
            $"after {after} the cache holds: {string.Join(", ", Directory.GetFileSystemEntries(cache).Select(Path.GetFileName))}");

    [TestMethod]
    public void Success_VerifiesExtractsCachesAndShowsAProgressBar()
    {
        string cache = TempDir();
        try
        {
            var log = new StringWriter();
            using (var server = new LoopbackServer(Archive))
            {
                var ((xTrain, yTrain), (xTest, yTest)) = Cifar10.LoadFromCache(server.Uri, cache, ArchiveSha256, log);
                Assert.AreEqual("GET /~kriz/cifar-10-python.tar.gz HTTP/1.1", server.RequestLine);
                Assert.AreEqual(1 + 2 + 3 + 1 + 2, xTrain.Shape[0]);
                Assert.AreEqual(3, xTest.Shape[0]);
                CollectionAssert.AreEqual(new[] { 3, 1 }, yTest.IntShape);
            }
            string text = log.ToString();
            StringAssert.StartsWith(text, "Downloading data from http://127.0.0.1:");
            // Keras's Progbar over the bytes, unit 'step': "N/N [==============================] - 0s 0us/step"
            StringAssert.Contains(text, $"{Archive.Length}/{Archive.Length} [==============================] - ");
            StringAssert.Contains(text, "/step");
            // As Keras: the archive under the name get_file gives it, and the extracted folder beside it.
            CollectionAssert.AreEquivalent(new[] { "cifar-10-batches-py", "cifar-10-batches-py.tar.gz" },
                Directory.GetFileSystemEntries(cache).Select(Path.GetFileName).ToArray());
            CollectionAssert.AreEqual(Archive, File.ReadAllBytes(Path.Combine(cache, "cifar-10-batches-py.tar.gz")));

            // Second call: served from the cache, no server listening and nothing printed.
            var quiet = new StringWriter();
            var again = Cifar10.LoadFromCache(new Uri("http://127.0.0.1:9/unused"), cache, ArchiveSha256, quiet);
            Assert.AreEqual(9, again.Item1.Item1.Shape[0]);
            Assert.AreEqual("", quiet.ToString());

            // Extracted folder gone, archive kept and valid: extracted again without a download.
            Directory.Delete(Path.Combine(cache, "cifar-10-batches-py"), true);
            again = Cifar10.LoadFromCache(new Uri("http://127.0.0.1:9/unused"), cache, ArchiveSha256, quiet);
            Assert.AreEqual(3, again.Item2.Item1.Shape[0]);
        }
        finally { Directory.Delete(cache, true); }
    }

    [TestMethod]
    public void CachedArchiveWithWrongHash_IsDownloadedAgain()
    {
        string cache = TempDir();
        try
        {
            File.WriteAllBytes(Path.Combine(cache, "cifar-10-batches-py.tar.gz"), Archive[..100]);
            var log = new StringWriter();
            using (var server = new LoopbackServer(Archive))
                Cifar10.LoadFromCache(server.Uri, cache, ArchiveSha256, log);
            StringAssert.Contains(log.ToString(), $"A local file was found, but it seems to be incomplete or outdated because the sha256 file hash does not match the original value of {ArchiveSha256} so we will re-download the data.");
            CollectionAssert.AreEqual(Archive, File.ReadAllBytes(Path.Combine(cache, "cifar-10-batches-py.tar.gz")));
        }
        finally { Directory.Delete(cache, true); }
    }

    [TestMethod]
    public void Md5Hash_IsAcceptedAsKerasAutoDoes()
    {
        string cache = TempDir();
        try
        {
            string md5 = Convert.ToHexStringLower(MD5.HashData(Archive));
            using (var server = new LoopbackServer(Archive))
                Assert.AreEqual(9, Cifar10.LoadFromCache(server.Uri, cache, md5, TextWriter.Null).Item1.Item1.Shape[0]);
            using (var server = new LoopbackServer(Archive))
            {
                var ex = Assert.ThrowsExactly<InvalidDataException>(() => GetFile.Download(server.Uri, "other.tar.gz", cache, new string('a', 32), TextWriter.Null));
                StringAssert.Contains(ex.Message, "md5");
            }
            Assert.ThrowsExactly<ArgumentException>(() => GetFile.Download(new Uri("http://127.0.0.1:9/x"), "x", cache, "abc", TextWriter.Null));
        }
        finally { Directory.Delete(cache, true); }
    }

    [TestMethod]
    public void ChecksumMismatch_IsInvalidData_AndLeavesNothing()
    {
        string cache = TempDir();
        try
        {
            using var server = new LoopbackServer(Archive);
            var ex = Assert.ThrowsExactly<InvalidDataException>(() => Cifar10.LoadFromCache(server.Uri, cache, new string('0', 64), TextWriter.Null));
            StringAssert.Contains(ex.Message, ArchiveSha256);
            StringAssert.Contains(ex.Message, server.Uri.ToString());
            AssertEmpty(cache, "a checksum mismatch");
        }
        finally { Directory.Delete(cache, true); }
    }

    [TestMethod]
    public void TruncatedBody_IsInvalidData_AndLeavesNothing()
    {
        string cache = TempDir();
        try
        {
            using var server = new LoopbackServer(Archive, declaredLength: Archive.Length + 1000);
            var ex = Assert.ThrowsExactly<InvalidDataException>(() => Cifar10.LoadFromCache(server.Uri, cache, ArchiveSha256, TextWriter.Null));
            StringAssert.Contains(ex.Message, $"{Archive.Length}");
            StringAssert.Contains(ex.Message, $"{Archive.Length + 1000}");
            AssertEmpty(cache, "a truncated body");
        }
        finally { Directory.Delete(cache, true); }
    }

    [TestMethod]
    public void TruncatedBody_WithoutHash_StillLeavesNothing()
    {
        string cache = TempDir();
        try
        {
            using var server = new LoopbackServer(Archive, declaredLength: Archive.Length * 2);
            Assert.ThrowsExactly<InvalidDataException>(() => GetFile.Download(server.Uri, "f.tar.gz", cache, null, TextWriter.Null));
            AssertEmpty(cache, "a truncated body without a hash");
        }
        finally { Directory.Delete(cache, true); }
    }

    [TestMethod]
    public void Http404_IsHttpRequestException_NamingTheAddress_AndLeavesNothing()
    {
        string cache = TempDir();
        try
        {
            using var server = new LoopbackServer("no such file"u8.ToArray(), status: 404);
            var ex = Assert.ThrowsExactly<HttpRequestException>(() => Cifar10.LoadFromCache(server.Uri, cache, ArchiveSha256, TextWriter.Null));
            StringAssert.Contains(ex.Message, $"URL fetch failure on {server.Uri}: 404 -- Not Found");
            Assert.AreEqual(HttpStatusCode.NotFound, ex.StatusCode);
            AssertEmpty(cache, "HTTP 404");
        }
        finally { Directory.Delete(cache, true); }
    }

    [TestMethod]
    public void StalledBody_TimesOut_AndLeavesNothing()
    {
        string cache = TempDir();
        try
        {
            using var server = new LoopbackServer(Archive, stallAfter: 1000);
            var ex = Assert.ThrowsExactly<HttpRequestException>(() =>
                Cifar10.LoadFromCache(server.Uri, cache, ArchiveSha256, TextWriter.Null, timeout: TimeSpan.FromMilliseconds(500)));
            StringAssert.Contains(ex.Message, "no data for 0.5 s after 1000 bytes");
            AssertEmpty(cache, "a stalled download");
        }
        finally { Directory.Delete(cache, true); }
    }

    [TestMethod]
    public void ConnectionRefused_IsHttpRequestException_AndLeavesNothing()
    {
        // A port that was free a moment ago: nothing listens there.
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        string cache = TempDir();
        try
        {
            var uri = new Uri($"http://127.0.0.1:{port}/cifar-10-python.tar.gz");
            var ex = Assert.ThrowsExactly<HttpRequestException>(() => Cifar10.LoadFromCache(uri, cache, ArchiveSha256, TextWriter.Null));
            StringAssert.Contains(ex.Message, $"URL fetch failure on {uri}");
            AssertEmpty(cache, "a refused connection");
        }
        finally { Directory.Delete(cache, true); }
    }

    [TestMethod]
    public void CorruptArchiveWithMatchingHash_IsInvalidData_AndExtractsNothing()
    {
        // The hash only proves the bytes are what the server meant to send; a bad archive must still fail cleanly.
        var bad = Archive[..(Archive.Length / 2)];
        string cache = TempDir();
        try
        {
            using var server = new LoopbackServer(bad);
            Assert.ThrowsExactly<InvalidDataException>(() =>
                Cifar10.LoadFromCache(server.Uri, cache, Convert.ToHexStringLower(SHA256.HashData(bad)), TextWriter.Null));
            CollectionAssert.AreEqual(new[] { "cifar-10-batches-py.tar.gz" }, Directory.GetFileSystemEntries(cache).Select(Path.GetFileName).ToArray());
        }
        finally { Directory.Delete(cache, true); }
    }
}

/// <summary>Keras's choice of cache folder; changes KERAS_HOME, so it runs alone.</summary>
[TestClass]
[DoNotParallelize]
public sealed class CacheDirTests
{
    [TestMethod]
    public void KerasHome_OverridesTheCache_AndAnUnwritableOneFallsBackToTmp()
    {
        string? saved = Environment.GetEnvironmentVariable("KERAS_HOME");
        string home = TempDir();
        try
        {
            Environment.SetEnvironmentVariable("KERAS_HOME", home);
            Assert.AreEqual(Path.Combine(home, "datasets"), GetFile.CacheDir());
            Assert.IsTrue(Directory.Exists(Path.Combine(home, "datasets")));
            Assert.AreEqual(0, Directory.GetFileSystemEntries(Path.Combine(home, "datasets")).Length, "the write probe is removed");

            // A KERAS_HOME below a regular file cannot be created: Keras falls back to /tmp/.keras.
            string file = Path.Combine(home, "a-file");
            File.WriteAllText(file, "");
            Environment.SetEnvironmentVariable("KERAS_HOME", Path.Combine(file, "keras"));
            string expected = OperatingSystem.IsWindows() ? Path.Combine(Path.GetTempPath(), ".keras", "datasets") : "/tmp/.keras/datasets";
            Assert.AreEqual(expected, GetFile.CacheDir());

            Environment.SetEnvironmentVariable("KERAS_HOME", null);
            Assert.AreEqual(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".keras", "datasets"), GetFile.CacheDir());
        }
        finally
        {
            Environment.SetEnvironmentVariable("KERAS_HOME", saved);
            Directory.Delete(home, true);
        }
    }
}
