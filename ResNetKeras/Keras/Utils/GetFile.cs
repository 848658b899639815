using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace ResNetKeras.Keras;

/// <summary>
/// Keras's <c>keras.utils.get_file</c> machinery: download into the Keras cache (<c>~/.keras/datasets</c>, or
/// <c>$KERAS_HOME/datasets</c>, or <c>/tmp/.keras/datasets</c> when that is not writable) with a Keras progress
/// bar, verify a SHA-256 (or MD5) hash, extract a .tar.gz. A download goes to a temporary name in the cache folder
/// and is renamed only once complete and verified, and an archive is extracted into a temporary folder first, so a
/// failure leaves nothing behind.
/// </summary>
public static class GetFile
{
    /// <summary>How long a download may wait for the response headers or for the next chunk of the body.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The datasets cache folder as Keras chooses it: <c>$KERAS_HOME/datasets</c> if KERAS_HOME is set, else
    /// <c>~/.keras/datasets</c>; <c>/tmp/.keras/datasets</c> when that folder cannot be written.
    /// </summary>
    public static string CacheDir(string cacheSubdir = "datasets")
    {
        string? kerasHome = Environment.GetEnvironmentVariable("KERAS_HOME");
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string baseDir = !string.IsNullOrEmpty(kerasHome) ? ExpandUser(kerasHome, home) : Path.Combine(home, ".keras");
        if (TryWritable(Path.Combine(baseDir, cacheSubdir)) is { } dir) return dir;
        // Keras falls back to '/tmp/.keras' literally; Windows has no /tmp, so use its temp folder there.
        string tmp = OperatingSystem.IsWindows() ? Path.GetTempPath() : "/tmp";
        string fallback = Path.Combine(tmp, ".keras", cacheSubdir);
        Directory.CreateDirectory(fallback);
        return fallback;
    }

    private static string ExpandUser(string path, string home) =>
        path == "~" ? home : path.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(home, path[2..]) : path;

    private static string? TryWritable(string dir)
    {
        if (string.IsNullOrEmpty(dir)) return null;
        try
        {
            Directory.CreateDirectory(dir);
            string probe = Path.Combine(dir, $".write_test_{Environment.ProcessId}_{Guid.NewGuid():N}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return dir;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>
    /// Downloads <paramref name="origin"/> to <c>{cacheDir}/{fileName}</c> unless a file with the right hash is already
    /// there, and returns its path. <paramref name="fileHash"/> is SHA-256 (64 hex digits) or MD5 (32), as Keras's
    /// <c>hash_algorithm='auto'</c>. A wrong hash or an incomplete body raises <see cref="InvalidDataException"/>; a
    /// network or HTTP error or a time-out raises <see cref="HttpRequestException"/> naming the address. Progress
    /// goes to <paramref name="progress"/> (standard output by default) as Keras's <c>Progbar</c>.
    /// </summary>
    public static string Download(Uri origin, string fileName, string cacheDir, string? fileHash = null, TextWriter? progress = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(origin);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        ArgumentException.ThrowIfNullOrEmpty(cacheDir);
        if (fileName != Path.GetFileName(fileName))
            throw new ArgumentException($"Invalid value for argument `fileName`. Expected a plain file name. Received fileName={fileName}.", nameof(fileName));
        string? expected = NormalizeHash(fileHash);
        var output = progress ?? Console.Out;
        Directory.CreateDirectory(cacheDir);
        string target = Path.Combine(cacheDir, fileName);
        if (File.Exists(target))
        {
            if (expected is null || HashOf(target, expected.Length) == expected) return target;
            output.WriteLine($"A local file was found, but it seems to be incomplete or outdated because the {AlgorithmName(expected)} file hash does not match the original value of {expected} so we will re-download the data.");
        }
        var wait = timeout ?? DefaultTimeout;
        if (wait <= TimeSpan.Zero) throw new ArgumentException($"Invalid value for argument `timeout`. Expected a strictly positive value. Received timeout={wait}.", nameof(timeout));
        string temp = Path.Combine(cacheDir, $".{fileName}.part{Environment.ProcessId}_{Guid.NewGuid():N}");
        try
        {
            output.WriteLine($"Downloading data from {origin}");
            Fetch(origin, temp, progress, wait);
            if (expected is not null)
            {
                string actual = HashOf(temp, expected.Length);
                if (actual != expected)
                    throw new InvalidDataException($"The file downloaded from {origin} is incomplete or corrupted: its {AlgorithmName(expected)} is {actual}, expected {expected}.");
            }
            File.Move(temp, target, overwrite: true);
            return target;
        }
        finally
        {
            TryDelete(temp);
        }
    }

    private static void Fetch(Uri origin, string temp, TextWriter? progress, TimeSpan wait)
    {
        long read = 0;
        long? total = null;
        try
        {
            using var http = new HttpClient { Timeout = wait };
            using var response = http.GetAsync(origin, HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult();
            if (!response.IsSuccessStatusCode)
                throw new HttpRequestException($"URL fetch failure on {origin}: {(int)response.StatusCode} -- {response.ReasonPhrase}", null, response.StatusCode);
            total = response.Content.Headers.ContentLength;
            // Keras: Progbar(target=total_size), unit 'step', updated with the bytes received so far.
            var bar = total is > 0 and <= int.MaxValue ? new Progbar((int)total.Value, output: progress) : null;
            using var body = response.Content.ReadAsStream();
            using var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            var chunk = new byte[1 << 16];
            while (true)
            {
                // HttpClient.Timeout stops at the headers; each body read gets its own deadline so a stalled server cannot hang us.
                using var cts = new CancellationTokenSource(wait);
                int n;
                try
                {
                    n = body.ReadAsync(chunk, cts.Token).AsTask().GetAwaiter().GetResult();
                }
                catch (OperationCanceledException e)
                {
                    throw new HttpRequestException($"URL fetch failure on {origin}: no data for {wait.TotalSeconds:0.#} s after {read} bytes{Of(total)}.", e);
                }
                if (n == 0) break;
                file.Write(chunk, 0, n);
                read += n;
                if (bar is not null && read < bar.Target) bar.Update((int)read);
            }
            if (total is { } t && read != t)
                throw new InvalidDataException($"Download of {origin} is incomplete: received {read} bytes, expected {t}.");
            bar?.Update(bar.Target);
        }
        catch (IOException e)
        {
            // The connection broke in the middle of the body (e.g. fewer bytes than Content-Length, then a close).
            throw new InvalidDataException($"Download of {origin} broke off after {read} bytes{Of(total)}: {e.Message}", e);
        }
        catch (TaskCanceledException e)
        {
            throw new HttpRequestException($"URL fetch failure on {origin}: timed out after {wait.TotalSeconds:0.#} s waiting for a response.", e);
        }
        catch (HttpRequestException e) when (!e.Message.StartsWith("URL fetch failure", StringComparison.Ordinal))
        {
            throw new HttpRequestException($"URL fetch failure on {origin}: {e.Message}", e, e.StatusCode);
        }
    }

    private static string Of(long? total) => total is { } t ? $" of {t}" : "";

    private static string? NormalizeHash(string? hash)
    {
        if (hash is null) return null;
        string h = hash.Trim().ToLowerInvariant();
        if (h.Length is not (32 or 64) || !h.All(Uri.IsHexDigit))
            throw new ArgumentException($"Invalid value for argument `fileHash`. Expected a SHA-256 (64 hex digits) or MD5 (32 hex digits) hash. Received fileHash={hash}.", "fileHash");
        return h;
    }

    private static string AlgorithmName(string hash) => hash.Length == 64 ? "sha256" : "md5";

    /// <summary>Lower-case hex SHA-256 of a file.</summary>
    public static string HashOf(string path) => HashOf(path, 64);

    private static string HashOf(string path, int hexLength)
    {
        using var s = File.OpenRead(path);
        return Convert.ToHexStringLower(hexLength == 64 ? SHA256.HashData(s) : MD5.HashData(s));
    }

    /// <summary>
    /// Extracts a .tar.gz into <paramref name="destination"/> through a temporary folder inside it, so a truncated or
    /// corrupt archive (also one cut inside the gzip trailer: its CRC-32 and size are checked) leaves nothing half-written.
    /// Entries are moved into place only when the whole archive has been read.
    /// </summary>
    public static void ExtractTarGz(string archive, string destination)
    {
        ArgumentException.ThrowIfNullOrEmpty(archive);
        ArgumentException.ThrowIfNullOrEmpty(destination);
        Directory.CreateDirectory(destination);
        string temp = Path.Combine(destination, $".extract{Environment.ProcessId}_{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(temp);
            try
            {
                using var fs = File.OpenRead(archive);
                using var gz = new GZipStream(fs, CompressionMode.Decompress);
                using var checkedGz = new Crc32Stream(gz);
                TarFile.ExtractToDirectory(checkedGz, temp, overwriteFiles: true);
                checkedGz.CopyTo(Stream.Null); // the tar's end blocks and padding count towards the gzip CRC and size
                VerifyGzipTrailer(fs, checkedGz, archive);
            }
            catch (Exception e) when (e is EndOfStreamException or FormatException or IOException and not FileNotFoundException
                                          and not DirectoryNotFoundException)
            {
                throw new InvalidDataException($"{archive} is not a complete .tar.gz archive: {e.Message}", e);
            }
            catch (InvalidDataException e) when (!e.Message.StartsWith(archive, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"{archive} is not a complete .tar.gz archive: {e.Message}", e);
            }
            foreach (var entry in Directory.EnumerateFileSystemEntries(temp))
            {
                string dest = Path.Combine(destination, Path.GetFileName(entry));
                if (Directory.Exists(dest)) Directory.Delete(dest, recursive: true);
                else if (File.Exists(dest)) File.Delete(dest);
                if (Directory.Exists(entry)) Directory.Move(entry, dest); else File.Move(entry, dest);
            }
        }
        finally
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        }
    }

    /// <summary>
    /// .NET's GZipStream ends quietly when the file stops inside the trailer; the trailer's CRC-32 and size
    /// (RFC 1952 §2.3.1) tell a complete single-member archive from a cut one.
    /// </summary>
    private static void VerifyGzipTrailer(FileStream fs, Crc32Stream data, string archive)
    {
        if (fs.Length < 18) throw new InvalidDataException($"{archive}: {fs.Length} bytes is too short for a gzip file.");
        var trailer = new byte[8];
        fs.Seek(-8, SeekOrigin.End);
        fs.ReadExactly(trailer);
        uint crc = BitConverter.ToUInt32(trailer, 0), size = BitConverter.ToUInt32(trailer, 4);
        if (crc != data.Crc || size != (uint)data.Length)
            throw new InvalidDataException(
                $"{archive}: the gzip trailer (CRC-32 {crc:x8}, size {size}) does not match the {data.Length} bytes decompressed (CRC-32 {data.Crc:x8}); the archive is truncated or corrupt.");
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (File.Exists(path)) File.Delete(path);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A read-only pass-through that keeps the CRC-32 (IEEE, as gzip) and length of what was read.</summary>
    private sealed class Crc32Stream(Stream inner) : Stream
    {
        private static readonly uint[] Table = MakeTable();
        private uint crc = 0xffffffffu;

        public uint Crc => ~crc;
        public override long Length => Position;
        public override long Position { get; set; }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n = inner.Read(buffer);
            uint c = crc;
            foreach (byte b in buffer[..n]) c = Table[(c ^ b) & 0xff] ^ (c >> 8);
            crc = c;
            Position += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private static uint[] MakeTable()
        {
            var t = new uint[256];
            for (uint i = 0; i < 256; i++)
            {
                uint c = i;
                for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xedb88320u ^ (c >> 1) : c >> 1;
                t[i] = c;
            }
            return t;
        }
    }
}
