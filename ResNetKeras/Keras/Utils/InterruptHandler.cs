using System.Runtime.InteropServices;

namespace ResNetKeras.Keras;

/// <summary>
/// Ctrl-C for training loops (what Python's <c>KeyboardInterrupt</c> gives a Keras script, made graceful): the first
/// SIGINT cancels <see cref="Token"/>, which <c>Model.Fit(..., cancellationToken: handler.Token)</c> honours by stopping
/// after the current batch, running the callbacks' <c>OnTrainEnd</c> (logs flushed, a <see cref="BackupAndRestore"/>
/// backup of the position reached) and returning; a second SIGINT ends the process at once, as an unhandled Ctrl-C does.
/// </summary>
/// <example><code>
/// using var interrupt = InterruptHandler.Install();
/// model.Fit(x, y, epochs: 200, cancellationToken: interrupt.Token);
/// if (interrupt.Requested) Console.WriteLine("Interrupted; run again to resume.");
/// </code></example>
public sealed class InterruptHandler : IDisposable
{
    private readonly CancellationTokenSource source = new();
    private readonly PosixSignalRegistration? registration;
    private readonly TextWriter? output;
    private int signals;

    private InterruptHandler(TextWriter? output, bool register)
    {
        this.output = output;
        if (register) registration = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
    }

    /// <summary>
    /// Handles SIGINT (Ctrl-C; Ctrl-C and Ctrl-Break on Windows) until disposed. <paramref name="output"/> (standard error
    /// by default; <see cref="TextWriter.Null"/> for none) gets one line at the first signal.
    /// </summary>
    public static InterruptHandler Install(TextWriter? output = null) => new(output ?? Console.Error, register: true);

    /// <summary>Cancelled at the first SIGINT (or <see cref="Request"/>).</summary>
    public CancellationToken Token => source.Token;

    /// <summary>Whether an interrupt was requested.</summary>
    public bool Requested => source.IsCancellationRequested;

    /// <summary>Requests the interrupt as a first SIGINT does (for a GUI's stop button, or tests).</summary>
    public void Request()
    {
        if (Interlocked.Increment(ref signals) == 1) First();
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.Increment(ref signals) == 1)
        {
            // Keep the process alive; the training loop stops at the next batch boundary.
            context.Cancel = true;
            First();
        }
        else context.Cancel = false;
    }

    private void First()
    {
        try { output?.WriteLine("\nInterrupted: stopping after the current batch (press Ctrl-C again to abort at once)."); }
        catch (IOException) { }
        catch (ObjectDisposedException) { }
        source.Cancel();
    }

    /// <summary>Restores the default SIGINT handling (a later Ctrl-C ends the process); calling it again does nothing.</summary>
    public void Dispose()
    {
        registration?.Dispose();
        source.Dispose();
    }
}
