using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace ResNetKeras.IO;

/// <summary>
/// Writes a file under a hidden temporary name in the same folder (<c>.NAME.tmpPID_GUID</c>), syncs it, renames it into
/// place and syncs the folder, so that a crash or power loss mid-write leaves the previous file intact (Keras's
/// checkpoints and backups rely on this). Every save into a folder also removes the temporary files there that earlier
/// processes of this library left when they were killed mid-write.
/// </summary>
/// <remarks>
/// Every I/O failure (missing folder, permission, full or read-only disk) surfaces as one exception whose message names
/// the path and the cause: <see cref="DirectoryNotFoundException"/> for a missing folder, otherwise
/// <see cref="IOException"/> (also for a permission error, so callers need only catch <see cref="IOException"/>).
/// </remarks>
internal static partial class AtomicFile
{
    /// <summary>Fault-injection point for tests: runs after the temporary file is complete, before the rename.</summary>
    internal static Action<string>? BeforeRename;

    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(dir))
            throw new DirectoryNotFoundException($"Cannot save '{full}': the folder '{dir}' does not exist.");
        RemoveStaleTemporaries(dir);
        string temp = TempName(full);
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                write(fs);
                fs.Flush(flushToDisk: true);
            }
            BeforeRename?.Invoke(full);
            File.Move(temp, full, overwrite: true);
            SyncDirectory(dir);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Describe(full, e);
        }
        finally
        {
            TryDelete(temp);
        }
    }

    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, s => s.Write(bytes));

    public static void WriteAllText(string path, string text) => Write(path, s => s.Write(new UTF8Encoding(false).GetBytes(text)));

    /// <summary>
    /// Checks that files can be created in <paramref name="dir"/> (creating it if needed) by writing and removing a
    /// hidden probe file, so a long run can refuse to start instead of failing at its first checkpoint.
    /// </summary>
    public static void CheckWritableFolder(string dir)
    {
        ArgumentException.ThrowIfNullOrEmpty(dir);
        string full = Path.GetFullPath(dir);
        string probe = Path.Combine(full, $".write-test.tmp{Environment.ProcessId}_{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(full);
            using (var fs = new FileStream(probe, FileMode.CreateNew, FileAccess.Write)) fs.WriteByte(0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Cannot write into the folder '{full}': {Cause(e)}", e);
        }
        finally
        {
            TryDelete(probe);
        }
    }

    /// <summary>The hidden temporary name beside <paramref name="full"/>: <c>.NAME.tmpPID_GUID</c>.</summary>
    internal static string TempName(string full) =>
        Path.Combine(Path.GetDirectoryName(full) ?? ".", $".{Path.GetFileName(full)}.tmp{Environment.ProcessId}_{Guid.NewGuid():N}");

    private static Exception Describe(string full, Exception e)
    {
        if (e is DirectoryNotFoundException)
            return new DirectoryNotFoundException($"Cannot save '{full}': the folder '{Path.GetDirectoryName(full)}' does not exist.", e);
        return new IOException($"Cannot save '{full}': {Cause(e)}", e);
    }

    /// <summary>The cause in a few words, without the path the runtime appends (the caller's message names it).</summary>
    private static string Cause(Exception e)
    {
        if (e is UnauthorizedAccessException) return "permission denied";
        int errno = e.HResult & 0xFFFF;
        if (!OperatingSystem.IsWindows() && e.GetType() == typeof(IOException))
        {
            if (errno == 28) return "no space left on the device";
            if (errno == 30) return "the file system is read-only";
            if (errno == 122) return "the disk quota is exceeded";
        }
        string m = e.Message;
        int quote = m.IndexOf(" : '", StringComparison.Ordinal);
        return (quote > 0 ? m[..quote] : m).TrimEnd('.', ' ');
    }

    [GeneratedRegex(@"^\..+\.tmp(\d+)_[0-9a-f]{32}$")]
    private static partial Regex TempPattern();

    /// <summary>
    /// Deletes temporary files of this class in <paramref name="dir"/> whose writing process is gone. A file of a live
    /// process (this one included) is never touched; failures are ignored, cleaning up is best effort.
    /// </summary>
    internal static void RemoveStaleTemporaries(string dir)
    {
        try
        {
            foreach (var file in Directory.EnumerateFiles(dir, ".*.tmp*"))
            {
                var m = TempPattern().Match(Path.GetFileName(file));
                if (!m.Success || !int.TryParse(m.Groups[1].ValueSpan, out int pid)) continue;
                if (pid == Environment.ProcessId || IsAlive(pid)) continue;
                TryDelete(file);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    private static bool IsAlive(int pid)
    {
        if (OperatingSystem.IsLinux()) return Directory.Exists($"/proc/{pid}");
        try
        {
            using var p = Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
        // Not allowed to look: treat it as alive and leave its files alone.
        catch (Exception) { return true; }
    }

    private static void TryDelete(string path)
    {
        try { if (File.Exists(path)) File.Delete(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>
    /// fsync on the folder makes the rename itself durable (POSIX); without it a power loss can bring back the old
    /// directory entry. Windows has no equivalent call for folders, and some file systems refuse it: best effort.
    /// </summary>
    private static void SyncDirectory(string dir)
    {
        if (OperatingSystem.IsWindows()) return;
        try
        {
            int fd = open(dir, 0 /* O_RDONLY */);
            if (fd < 0) return;
            fsync(fd);
            close(fd);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int fsync(int fd);

    [DllImport("libc")]
    private static extern int close(int fd);
}
