using System.Diagnostics;
using System.Text;

namespace ResNetKeras.Tests.Distributed;

/// <summary>
/// Starts the worker program (ResNetKeras.MpiWorker, built beside the tests) under <c>mpirun -np N</c>. CI installs Open
/// MPI in .ci/run, so a missing mpirun fails the test with what to install instead of skipping.
/// </summary>
internal sealed class MpiRunner : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly object gate = new();

    private MpiRunner(Process process)
    {
        this.process = process;
    }

    public static string FindMpirun()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var p = Path.Combine(dir, "mpirun");
            if (File.Exists(p)) return p;
        }
        Assert.Fail("mpirun was not found on PATH. The distributed tests need Open MPI: `apt-get install -y openmpi-bin libopenmpi-dev` (.ci/run installs it when missing).");
        return "";
    }

    public static MpiRunner Start(int processes, params string[] workerArgs) => StartProgram("ResNetKeras.MpiWorker.dll", processes, workerArgs);

    /// <summary>Starts <paramref name="program"/> (a dll beside the tests) as <paramref name="processes"/> MPI workers.</summary>
    public static MpiRunner StartProgram(string program, int processes, params string[] workerArgs)
    {
        var worker = Path.Combine(AppContext.BaseDirectory, program);
        Assert.IsTrue(File.Exists(worker), $"the worker program is missing: {worker}");
        var psi = new ProcessStartInfo(FindMpirun())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // CI runs as root; two workers share two cores with the test host.
        foreach (var a in new[] { "--allow-run-as-root", "--oversubscribe", "--bind-to", "none", "-np", processes.ToString(), "dotnet", worker })
            psi.ArgumentList.Add(a);
        foreach (var a in workerArgs) psi.ArgumentList.Add(a);
        psi.Environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1";
        psi.Environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1";
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["TERM"] = "dumb";
        var p = Process.Start(psi) ?? throw new InvalidOperationException("mpirun did not start");
        var runner = new MpiRunner(p);
        p.OutputDataReceived += (_, e) => runner.Append(e.Data);
        p.ErrorDataReceived += (_, e) => runner.Append(e.Data);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return runner;
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (gate) output.AppendLine(line);
    }

    public string Output
    {
        get { lock (gate) return output.ToString(); }
    }

    /// <summary>Waits for the job to end; false when it is still running after <paramref name="timeout"/>.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!process.WaitForExit(timeout)) return false;
        process.WaitForExit(); // drains the redirected streams
        return true;
    }

    public int ExitCode => process.ExitCode;

    /// <summary>Waits until the output has a line matching <paramref name="predicate"/>; null after the timeout.</summary>
    public string? WaitForLine(Func<string, bool> predicate, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            var line = Output.Split('\n').Select(l => l.Trim()).FirstOrDefault(predicate);
            if (line is not null) return line;
            if (process.HasExited) return Output.Split('\n').Select(l => l.Trim()).FirstOrDefault(predicate);
            Thread.Sleep(50);
        }
        return null;
    }

    /// <summary>Runs a job to the end and returns its exit code and output.</summary>
    public static (int ExitCode, string Output) Run(TimeSpan timeout, int processes, params string[] workerArgs) =>
        RunProgram("ResNetKeras.MpiWorker.dll", timeout, processes, workerArgs);

    public static (int ExitCode, string Output) RunProgram(string program, TimeSpan timeout, int processes, params string[] workerArgs)
    {
        using var run = StartProgram(program, processes, workerArgs);
        if (!run.WaitForExit(timeout)) Assert.Fail($"mpirun did not finish within {timeout.TotalSeconds} s:\n{run.Output}");
        return (run.ExitCode, run.Output);
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            process.WaitForExit(10_000);
        }
        process.Dispose();
    }
}
