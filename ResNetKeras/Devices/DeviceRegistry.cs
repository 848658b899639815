using ResNetKeras.Devices.Cpu;
using ResNetKeras.Devices.Sim;

namespace ResNetKeras.Devices;

/// <summary>
/// Which device new tensors and weights go to (Keras's backend selection and <c>tf.device</c> scopes): the process
/// default comes from the environment variable <c>RESNETKERAS_DEVICE</c> (else <c>cpu</c>), can be set, and can be
/// overridden for a block of code with <see cref="Use(string)"/> (flows with async calls, per thread otherwise).
/// Keras-facing entry points are on <c>ResNetKeras.Keras.Backend</c>.
/// </summary>
public static class DeviceRegistry
{
    /// <summary>The environment variable naming the default device.</summary>
    public const string EnvironmentVariable = "RESNETKERAS_DEVICE";

    private static readonly AsyncLocal<IDevice?> Scoped = new();
    private static IDevice? defaultDevice;

    /// <summary>Names of the devices usable in this process, <c>cpu</c> first.</summary>
    public static IReadOnlyList<string> Available => ["cpu", "sim"];

    /// <summary>The device a name selects; an unknown name is an error listing the available ones.</summary>
    public static IDevice Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = name.Trim().ToLowerInvariant();
        return key switch
        {
            "cpu" or "cpu:0" => CpuDevice.Instance,
            "sim" or "sim:0" => SimDevice.Instance,
            _ when key == "cuda" || key.StartsWith("cuda:", StringComparison.Ordinal) => throw new ArgumentException(
                $"Device '{name}' is not available: {CudaUnavailableReason()}. Available devices: {string.Join(", ", Available)}.", nameof(name)),
            _ => throw new ArgumentException($"Unknown device '{name}'. Available devices: {string.Join(", ", Available)}.", nameof(name)),
        };
    }

    /// <summary>The process default (from <see cref="EnvironmentVariable"/> on first use).</summary>
    public static IDevice Default
    {
        get => defaultDevice ??= FromEnvironment();
        set => defaultDevice = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>The device of the innermost <see cref="Use(IDevice)"/> scope, else <see cref="Default"/>.</summary>
    public static IDevice Current => Scoped.Value ?? Default;

    /// <summary>Makes <paramref name="device"/> current until the returned scope is disposed.</summary>
    public static IDisposable Use(IDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var previous = Scoped.Value;
        Scoped.Value = device;
        return new Restore(previous);
    }

    /// <summary>Makes the named device current until the returned scope is disposed.</summary>
    public static IDisposable Use(string name) => Use(Get(name));

    /// <summary>Why <c>cuda</c> cannot be selected here, naming what is missing.</summary>
    internal static string CudaUnavailableReason()
    {
        if (!System.Runtime.InteropServices.NativeLibrary.TryLoad("libcuda.so.1", out var driver))
            return "the NVIDIA driver library libcuda.so.1 was not found (no NVIDIA GPU or driver on this machine)";
        System.Runtime.InteropServices.NativeLibrary.Free(driver);
        return "this build of ResNetKeras has no CUDA device yet (the NVIDIA driver is present; see the README's Devices section)";
    }

    private static IDevice FromEnvironment()
    {
        var name = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(name)) return CpuDevice.Instance;
        try { return Get(name); }
        catch (ArgumentException)
        {
            throw new InvalidOperationException($"{EnvironmentVariable}='{name}' names no device. Available devices: {string.Join(", ", Available)}.");
        }
    }

    private sealed class Restore(IDevice? previous) : IDisposable
    {
        private bool disposed;

        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            Scoped.Value = previous;
        }
    }
}
