using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace ResNetKeras.Keras;

/// <summary>
/// Keras's <c>keras.utils.get_file</c>: download into the Keras cache (<c>~/.keras/datasets</c>, or
/// <c>$KERAS_HOME/datasets</c>, or <c>/tmp/.keras/datasets</c> when the home folder is not writable) with
/// a progress bar, verify a SHA-256 hash, extract a .tar.gz. A download goes to a temporary name and is
/// renamed only once complete and verified, so a failure leaves nothing behind.
/// </summary>
public static class GetFile
{
    /// <summary>The datasets cache folder as Keras chooses it.</summary>
    public static string CacheDir()
    {
        string? kerasHome = Environment.GetEnvironmentVariable("KERAS_HOME");
        string baseDir = !string.IsNullOrEmpty(kerasHome)
            ? kerasHome
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".keras");
        string dir = Path.Combine(baseDir, "datasets");
        try
        {
            Directory.CreateDirectory(dir);
            string probe = Path.Combine(dir, $".write_test_{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return dir;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            string fallback = Path.Combine(Path.GetTempPath(), ".keras", "datasets");
            Directory.CreateDirectory(fallback);
            return fallback;
        }
    }

    /// <summary>
    /// Downloads <paramref name="origin"/> to <c>{cacheDir}/{fileName}</c> unless a file with the right hash is already there;
    /// returns the path. A wrong hash or an incomplete body raises <see cref="InvalidDataException"/>; a network or
    /// HTTP error raises <see cref="HttpRequestException"/> naming the address.
    /// </summary>
    public static string Download(Uri origin, string fileName, string cacheDir, string? sha256 = null, TextWriter? progress = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(origin);
        Directory.CreateDirectory(cacheDir);
        string target = Path.Combine(cacheDir, fileName);
        if (File.Exists(target) && (sha256 is null || HashOf(target) == sha256.ToLowerInvariant())) return target;
        string temp = target + $".part{Environment.ProcessId}_{Guid.NewGuid():N}";
        try
        {
            using (var http = new HttpClient { Timeout = timeout ?? TimeSpan.FromMinutes(30) })
            using (var response = http.GetAsync(origin, HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult())
            {
                if (!response.IsSuccessStatusCode)
                    throw new HttpRequestException($"URL fetch failure on {origin}: {(int)response.StatusCode} -- {response.ReasonPhrase}", null, response.StatusCode);
                long? total = response.Content.Headers.ContentLength;
                (progress ?? Console.Out).WriteLine($"Downloading data from {origin}");
                var bar = total is > 0 ? new Progbar((int)Math.Min(int.MaxValue, total.Value), unitName: "B", output: progress) : null;
                using var body = response.Content.ReadAsStream();
                using var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write);
                var chunk = new byte[1 << 16];
                long read = 0;
                int n;
                try
                {
                    while ((n = body.Read(chunk)) > 0)
                    {
                        file.Write(chunk, 0, n);
                        read += n;
                        bar?.Update((int)Math.Min(int.MaxValue, read), null, finalize: false);
                    }
                }
                catch (IOException e)
                {
                    throw new InvalidDataException($"Download of {origin} broke off after {read} bytes{(total is { } t0 ? $" of {t0}" : "")}: {e.Message}", e);
                }
                if (total is { } t && read != t)
                    throw new InvalidDataException($"Download of {origin} is incomplete: received {read} bytes, expected {t}.");
                bar?.Update(bar.Target, null, finalize: true);
            }
            if (sha256 is not null)
            {
                string actual = HashOf(temp);
                if (actual != sha256.ToLowerInvariant())
                    throw new InvalidDataException($"The file downloaded from {origin} is incomplete or corrupted: SHA-256 {actual}, expected {sha256.ToLowerInvariant()}.");
            }
            File.Move(temp, target, overwrite: true);
            return target;
        }
        catch (TaskCanceledException e)
        {
            throw new HttpRequestException($"URL fetch failure on {origin}: timed out.", e);
        }
        catch (HttpRequestException e) when (!e.Message.StartsWith("URL fetch failure", StringComparison.Ordinal))
        {
            throw new HttpRequestException($"URL fetch failure on {origin}: {e.Message}", e, e.StatusCode);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Lower-case hex SHA-256 of a file.</summary>
    public static string HashOf(string path)
    {
        using var s = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(s));
    }

    /// <summary>Extracts a .tar.gz into <paramref name="destination"/> through a temporary folder, so a truncated archive leaves nothing half-written.</summary>
    public static void ExtractTarGz(string archive, string destination)
    {
        string temp = destination.TrimEnd(Path.DirectorySeparatorChar) + $".extract{Environment.ProcessId}_{Guid.NewGuid():N}";
        try
        {
            Directory.CreateDirectory(temp);
            try
            {
                using var fs = File.OpenRead(archive);
                using var gz = new GZipStream(fs, CompressionMode.Decompress);
                TarFile.ExtractToDirectory(gz, temp, overwriteFiles: true);
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException or IOException)
            {
                throw new InvalidDataException($"{archive} is not a complete .tar.gz archive: {e.Message}", e);
            }
            Directory.CreateDirectory(destination);
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
}
