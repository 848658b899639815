using System.Diagnostics;
using System.Runtime.InteropServices;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Examples;

/// <summary>
/// The tutorial run as a real child process (ResNet8 on 16 synthetic CIFAR images, about a second per run) and
/// interrupted as a user would: SIGKILL at random moments and inside backup writes, then SIGINT.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class InterruptionTests
{
    private string dir = "";
    private string data = "";

    [TestInitialize]
    public void Setup()
    {
        if (OperatingSystem.IsWindows()) Assert.Inconclusive("These tests send POSIX signals to a child process.");
        dir = Path.Combine(Path.GetTempPath(), $"interrupt_{Guid.NewGuid():N}");
        data = Path.Combine(dir, "data");
        Directory.CreateDirectory(data);
        var rng = new ResNetKeras.Engine.RandomState(4);
        for (int f = 0; f < 6; f++)
        {
            var bytes = new byte[4 * 3073];
            for (int i = 0; i < 4; i++)
            {
                int label = (f * 4 + i) % 10;
                bytes[i * 3073] = (byte)label;
                for (int p = 0; p < 3072; p++) bytes[i * 3073 + 1 + p] = (byte)(label * 20 + rng.Interval(40));
            }
            File.WriteAllBytes(Path.Combine(data, f < 5 ? $"data_batch_{f + 1}.bin" : "test_batch.bin"), bytes);
        }
    }

    [TestCleanup]
    public void Cleanup()
    {
        if (dir.Length > 0 && Directory.Exists(dir)) Directory.Delete(dir, true);
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SysKill(int pid, int sig);

    private const int SIGINT = 2;

    private static void Interrupt(Process p)
    {
        if (SysKill(p.Id, SIGINT) != 0) Assert.Fail($"kill({p.Id}, SIGINT) failed: errno {Marshal.GetLastPInvokeError()}, exited: {p.HasExited}");
    }

    private sealed class Child(Process process, Task<string> stdout, Task<string> stderr)
    {
        public Process Process => process;
        public string Stdout => stdout.Result;
        public string Stderr => stderr.Result;

        public int WaitForExit(int seconds = 60)
        {
            if (!process.WaitForExit(seconds * 1000))
            {
                process.Kill();
                Assert.Fail($"the child did not end within {seconds} s");
            }
            process.WaitForExit();
            return process.ExitCode;
        }
    }

    /// <summary>The tutorial's apphost (built beside the tests through the project reference), or dotnet with its dll.</summary>
    private Child Start(string saveDir, string? backupDir, int epochs, string backupFreq = "1", string n = "1", string batchSize = "4",
        Action<string>? onStderrLine = null, string[]? extra = null, string finalModel = "final.h5")
    {
        string baseDir = AppContext.BaseDirectory;
        string apphost = Path.Combine(baseDir, "Cifar10ResNet");
        var psi = new ProcessStartInfo(File.Exists(apphost) ? apphost : "dotnet");
        if (!File.Exists(apphost)) psi.ArgumentList.Add(Path.Combine(baseDir, "Cifar10ResNet.dll"));
        // A test host started in the background inherits SIGINT ignored, and so would the child (the runtime then leaves
        // it ignored, as for any background job); a terminal's Ctrl-C finds it at its default, which env restores.
        if (OperatingSystem.IsLinux() && File.Exists("/usr/bin/env"))
        {
            psi.ArgumentList.Insert(0, psi.FileName);
            psi.ArgumentList.Insert(0, "--default-signal=INT");
            psi.FileName = "/usr/bin/env";
        }
        foreach (var a in new[]
        {
            "--data-dir", data, "--epochs", epochs.ToString(), "--n", n, "--batch-size", batchSize, "--train-limit", "16",
            "--test-limit", "4", "--seed", "1", "--save-dir", saveDir, "--verbose", "0", "--workers", "2",
            "--final-model", Path.Combine(saveDir, finalModel),
        }.Concat(backupDir is null ? [] : new[] { "--backup-dir", backupDir, "--backup-freq", backupFreq }).Concat(extra ?? [])) psi.ArgumentList.Add(a);
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.UseShellExecute = false;
        // Tiered compilation starts these short runs faster; the results do not depend on it.
        psi.Environment["DOTNET_TieredCompilation"] = "1";
        var p = Process.Start(psi)!;
        var stderr = Task.Run(async () =>
        {
            var sb = new System.Text.StringBuilder();
            while (await p.StandardError.ReadLineAsync() is { } line)
            {
                sb.Append(line).Append('\n');
                onStderrLine?.Invoke(line);
            }
            return sb.ToString();
        });
        return new Child(p, p.StandardOutput.ReadToEndAsync(), stderr);
    }

    private static string[] Temporaries(string folder) =>
        Directory.Exists(folder) ? Directory.GetFiles(folder, ".*.tmp*") : [];

    private static void AssertSameModelFile(string expectedPath, string actualPath)
    {
        var e = Models.LoadModel(expectedPath);
        var a = Models.LoadModel(actualPath);
        var we = e.GetWeights();
        var wa = a.GetWeights();
        Assert.AreEqual(we.Count, wa.Count);
        for (int i = 0; i < we.Count; i++) CollectionAssert.AreEqual(we[i].Float32Data, wa[i].Float32Data, $"weight {i}");
        Assert.AreEqual(e.Optimizer!.Iterations, a.Optimizer!.Iterations, "iterations");
        Assert.AreEqual(e.Optimizer.LearningRate, a.Optimizer.LearningRate, "learning rate");
        for (int i = 0; i < e.Optimizer.SlotVariables.Count; i++)
            CollectionAssert.AreEqual(e.Optimizer.SlotVariables[i].Numpy().Float32Data, a.Optimizer.SlotVariables[i].Numpy().Float32Data, e.Optimizer.SlotVariables[i].Name);
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public void FourEpochs_Against_TwoEpochsSaveThenLoadModelAndInitialEpoch2InANewProcess_BitIdentical()
    {
        // Augmentation (shifts, flips) with 2 workers, as the tutorial trains; three processes.
        string save = Path.Combine(dir, "s");
        var full = Start(save, null, epochs: 4, finalModel: "full.h5");
        Assert.AreEqual(0, full.WaitForExit(), full.Stdout + full.Stderr);
        var first = Start(save, null, epochs: 2, finalModel: "epoch2.h5");
        Assert.AreEqual(0, first.WaitForExit(), first.Stdout + first.Stderr);
        var resumed = Start(save, null, epochs: 4, finalModel: "resumed.h5",
            extra: ["--resume-from", Path.Combine(save, "epoch2.h5"), "--initial-epoch", "2"]);
        Assert.AreEqual(0, resumed.WaitForExit(), resumed.Stdout + resumed.Stderr);
        StringAssert.Contains(resumed.Stdout, "Resuming from ");
        StringAssert.Contains(resumed.Stdout, "Epoch 00003: val_acc improved from -inf");
        AssertSameModelFile(Path.Combine(save, "full.h5"), Path.Combine(save, "resumed.h5"));
        Assert.AreNotEqual(Models.LoadModel(Path.Combine(save, "epoch2.h5")).Optimizer!.Iterations,
            Models.LoadModel(Path.Combine(save, "full.h5")).Optimizer!.Iterations, "the runs compared differ from the starting point");
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public void KilledAtRandomMomentsAndRestarted_EndsBitIdenticalToAnUninterruptedRun()
    {
        const int epochs = 12; // 4 batches each, a backup after every batch: room for ten restarts to progress on a loaded machine
        string refSave = Path.Combine(dir, "ref"), refBackup = Path.Combine(dir, "ref_backup");
        var reference = Start(refSave, refBackup, epochs);
        Assert.AreEqual(0, reference.WaitForExit(), reference.Stdout + reference.Stderr);

        string save = Path.Combine(dir, "run"), backupDir = Path.Combine(dir, "backup");
        string backup = Path.Combine(backupDir, "latest.h5");
        var random = new Random(12345);
        int kills = 0, duringWrite = 0, restarts = 0;
        bool finished = false;
        while (!finished && restarts < 40)
        {
            restarts++;
            DateTime before = File.Exists(backup) ? File.GetLastWriteTimeUtc(backup) : DateTime.MinValue;
            var child = Start(save, backupDir, epochs);
            // Wait until this process has trained and backed up at least one batch, so every restart makes progress.
            var sw = Stopwatch.StartNew();
            while (!child.Process.HasExited && (!File.Exists(backup) || File.GetLastWriteTimeUtc(backup) == before) && sw.Elapsed.TotalSeconds < 60)
                Thread.Sleep(1);
            // Every other kill, and all of them once ten have landed without one inside a write, aim at a write.
            bool aimAtWrite = kills % 2 == 1 || kills >= 10;
            if (aimAtWrite)
            {
                // Kill as soon as the next backup's temporary file appears: inside the write.
                while (!child.Process.HasExited && Temporaries(backupDir).Length == 0 && sw.Elapsed.TotalSeconds < 60) Thread.Sleep(0);
            }
            else Thread.Sleep(random.Next(0, 25));
            if (child.Process.HasExited || (kills >= 10 && duringWrite >= 1) || kills >= 20)
            {
                int code = child.WaitForExit();
                Assert.AreEqual(0, code, child.Stdout + child.Stderr);
                finished = true;
                break;
            }
            child.Process.Kill();
            child.WaitForExit();
            kills++;
            if (Temporaries(backupDir).Length > 0) duringWrite++;
        }
        Console.WriteLine($"{kills} kills, {duringWrite} inside a backup write, {restarts} runs");
        Assert.IsTrue(finished, "the interrupted run finished");
        Assert.IsTrue(kills >= 10, $"only {kills} kills landed before training finished");
        Assert.IsTrue(duringWrite >= 1, $"no kill of {kills} landed inside a backup write");
        AssertSameModelFile(Path.Combine(refSave, "final.h5"), Path.Combine(save, "final.h5"));
        Assert.IsFalse(File.Exists(backup), "the backup is deleted when training completes");
        Assert.AreEqual(0, Temporaries(backupDir).Length + Temporaries(save).Length, "temporary files of killed writes are removed by later saves");
    }

    [TestMethod]
    [Timeout(120_000, CooperativeCancellation = true)]
    public void Sigint_StopsAfterTheBatch_WithLogsAndBackup_NoTemporaryFile()
    {
        string save = Path.Combine(dir, "run"), backupDir = Path.Combine(dir, "backup");
        var child = Start(save, backupDir, epochs: 200, backupFreq: "epoch");
        // After the first epoch's checkpoint, interrupt.
        string checkpoint = Path.Combine(save, "cifar10_ResNet8v1_model.001.h5");
        var sw = Stopwatch.StartNew();
        while (!child.Process.HasExited && !File.Exists(checkpoint) && sw.Elapsed.TotalSeconds < 60) Thread.Sleep(5);
        Assert.IsFalse(child.Process.HasExited, "the run ended before its first checkpoint");
        Interrupt(child.Process);
        int code = child.WaitForExit();
        Assert.AreEqual(130, code, child.Stdout + child.Stderr);
        StringAssert.Contains(child.Stderr, "Interrupted: stopping after the current batch");
        StringAssert.Contains(child.Stdout, $"Interrupted. Last checkpoint: {save}{Path.DirectorySeparatorChar}cifar10_ResNet8v1_model.");
        StringAssert.Contains(child.Stdout, $"Backup: {Path.Combine(backupDir, "latest.h5")} (resumes at epoch ");
        Assert.IsFalse(child.Stdout.Contains("Test loss"), "no evaluation after an interrupt");
        var csv = File.ReadAllLines(Path.Combine(save, "cifar10_ResNet8v1_history.csv"));
        Assert.AreEqual("epoch,accuracy,loss,lr,val_accuracy,val_loss", csv[0]);
        Assert.IsTrue(csv.Length >= 2, "the epochs so far are logged");
        Assert.IsTrue(File.Exists(Path.Combine(save, "cifar10_ResNet8v1_history.svg")));
        Assert.IsTrue(File.Exists(Path.Combine(backupDir, "latest.h5")), "the backup stays for the next run");
        Assert.AreEqual(0, Temporaries(backupDir).Length + Temporaries(save).Length, "no temporary file");
        Assert.AreEqual(0, child.Stderr.Split('\n').Count(l => l.TrimStart().StartsWith("at ")), "no stack trace");
    }

    [TestMethod]
    [Timeout(60_000, CooperativeCancellation = true)]
    public void SecondSigint_AbortsAtOnce()
    {
        string save = Path.Combine(dir, "run"), backupDir = Path.Combine(dir, "backup");
        // ResNet14 on one batch of 16 per epoch: a batch long enough that the second signal lands inside it.
        Process? process = null;
        var child = Start(save, backupDir, epochs: 200, backupFreq: "epoch", n: "2", batchSize: "16", onStderrLine: line =>
        {
            if (line.Contains("Interrupted: stopping")) Interrupt(process!);
        });
        process = child.Process;
        var sw = Stopwatch.StartNew();
        while (!child.Process.HasExited && !File.Exists(Path.Combine(save, "cifar10_ResNet14v1_model.001.h5")) && sw.Elapsed.TotalSeconds < 60) Thread.Sleep(5);
        Assert.IsFalse(child.Process.HasExited, "the run ended before its first checkpoint");
        Interrupt(child.Process);
        child.WaitForExit();
        StringAssert.Contains(child.Stderr, "Interrupted: stopping after the current batch");
        Assert.IsFalse(child.Stdout.Contains("Interrupted. Last checkpoint"), "aborted before the orderly stop: " + child.Stdout);
    }
}
