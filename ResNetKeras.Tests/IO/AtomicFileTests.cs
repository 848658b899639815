using System.Diagnostics;
using ResNetKeras.IO;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.IO;

/// <summary>The one atomic writer: hidden temporary names, cleanup of dead processes' leftovers, one clear error per failure.</summary>
[TestClass]
[DoNotParallelize]
public sealed class AtomicFileTests
{
    private string dir = "";

    [TestInitialize]
    public void Setup()
    {
        dir = Path.Combine(Path.GetTempPath(), $"atomic_{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
    }

    [TestCleanup]
    public void Cleanup()
    {
        AtomicFile.BeforeRename = null;
        Directory.Delete(dir, true);
    }

    [TestMethod]
    public void TemporaryFile_IsHiddenBesideTheTarget_AndGoneAfterwards()
    {
        string target = Path.Combine(dir, "model.h5");
        string[] during = [];
        AtomicFile.BeforeRename = _ => during = Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).ToArray()!;
        AtomicFile.WriteAllText(target, "hello");
        Assert.AreEqual(1, during.Length);
        StringAssert.Matches(during[0], new System.Text.RegularExpressions.Regex($@"^\.model\.h5\.tmp{Environment.ProcessId}_[0-9a-f]{{32}}$"));
        CollectionAssert.AreEqual(new[] { "model.h5" }, Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).ToArray());
        Assert.AreEqual("hello", File.ReadAllText(target));
    }

    /// <summary>The PID of a process that has ended (Linux reuses PIDs only after wrapping around).</summary>
    private static int DeadPid()
    {
        using var p = Process.Start(new ProcessStartInfo(OperatingSystem.IsWindows() ? "cmd" : "true") { UseShellExecute = false })!;
        if (OperatingSystem.IsWindows()) p.StandardInput.Close();
        p.WaitForExit();
        return p.Id;
    }

    [TestMethod]
    public void LaterSave_RemovesOnlyTemporariesOfDeadProcesses()
    {
        int dead = DeadPid();
        string guid = Guid.NewGuid().ToString("N");
        string deadTemp = Path.Combine(dir, $".old.h5.tmp{dead}_{guid}");
        string liveTemp = Path.Combine(dir, $".other.h5.tmp{Environment.ProcessId}_{guid}");
        string foreign = Path.Combine(dir, $".notes.tmp{dead}_x");          // not our pattern
        string visible = Path.Combine(dir, $"old.h5.tmp{dead}_{guid}");     // not hidden: not ours either
        foreach (var f in new[] { deadTemp, liveTemp, foreign, visible }) File.WriteAllText(f, "partial");
        AtomicFile.WriteAllText(Path.Combine(dir, "new.csv"), "x");
        Assert.IsFalse(File.Exists(deadTemp), "a dead process's temporary file is removed");
        Assert.IsTrue(File.Exists(liveTemp), "a live process's (here this one's) is kept");
        Assert.IsTrue(File.Exists(foreign));
        Assert.IsTrue(File.Exists(visible));
    }

    [TestMethod]
    public void FolderBelowAFile_OneIOExceptionNamingThePathAndCause()
    {
        string file = Path.Combine(dir, "plain");
        File.WriteAllText(file, "");
        string target = Path.Combine(file, "model.h5");
        var e = Assert.ThrowsExactly<DirectoryNotFoundException>(() => AtomicFile.WriteAllText(target, "x"));
        StringAssert.Contains(e.Message, $"Cannot save '{target}'");
        Assert.IsFalse(e.Message.Contains('\n'));
        var ioe = Assert.ThrowsExactly<IOException>(() => AtomicFile.CheckWritableFolder(Path.Combine(file, "sub")));
        StringAssert.StartsWith(ioe.Message, $"Cannot write into the folder '{Path.Combine(file, "sub")}': ");
    }

    [TestMethod]
    public void FailureWhileWriting_OneIOException_PreviousFileKept_NoTemporary()
    {
        string target = Path.Combine(dir, "w.h5");
        AtomicFile.WriteAllText(target, "old");
        var e = Assert.ThrowsExactly<IOException>(() => AtomicFile.Write(target, _ => throw new IOException("No space left on device : '/x'")));
        Assert.AreEqual($"Cannot save '{target}': No space left on device", e.Message);
        Assert.AreEqual("old", File.ReadAllText(target));
        Assert.AreEqual(1, Directory.GetFiles(dir).Length, "no temporary file");
        // Not an I/O failure: passes through unchanged.
        Assert.ThrowsExactly<ArgumentException>(() => AtomicFile.Write(target, _ => throw new ArgumentException("bad")));
    }

    [TestMethod]
    public void FullDisk_NamesTheCause()
    {
        // /dev/full accepts the open and fails every write with ENOSPC; a bind-free way to meet a full disk.
        if (!File.Exists("/dev/full")) Assert.Inconclusive("needs /dev/full (Linux)");
        var e = Assert.ThrowsExactly<IOException>(() =>
        {
            using var fs = new FileStream("/dev/full", FileMode.Open, FileAccess.Write);
            AtomicFile.Write(Path.Combine(dir, "f.h5"), s => { fs.Write(new byte[8192]); fs.Flush(); });
        });
        StringAssert.Contains(e.Message, $"Cannot save '{Path.Combine(dir, "f.h5")}': no space left on the device");
        Assert.AreEqual(0, Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Length);
    }

    [TestMethod]
    public void ModelSave_IntoAFolderBelowAFile_IsOneLine()
    {
        Backend.ClearSession();
        var inputs = Layers.Input(shape: [2]);
        var model = new Model(inputs, new Dense(1).Call(inputs));
        string file = Path.Combine(dir, "plain");
        File.WriteAllText(file, "");
        var e = Assert.ThrowsExactly<DirectoryNotFoundException>(() => model.Save(Path.Combine(file, "m.h5")));
        Assert.IsFalse(e.Message.Contains('\n'));
        StringAssert.Contains(e.Message, Path.Combine(file, "m.h5"));
    }
}
