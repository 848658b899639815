namespace ResNetKeras.IO;

/// <summary>
/// Writes a file under a temporary name in the same folder and renames it into place, so that a crash mid-write
/// leaves the previous file intact (Keras's checkpoints rely on this).
/// </summary>
internal static class AtomicFile
{
    /// <summary>Fault-injection point for tests: runs after the temporary file is complete, before the rename.</summary>
    internal static Action<string>? BeforeRename;

    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string temp = full + $".tmp{Environment.ProcessId}_{Guid.NewGuid():N}";
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                write(fs);
                fs.Flush(flushToDisk: true);
            }
            BeforeRename?.Invoke(full);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    public static void WriteAllBytes(string path, byte[] bytes) => Write(path, s => s.Write(bytes));
}
