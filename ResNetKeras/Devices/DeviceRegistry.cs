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
        return name.Trim().ToLowerInvariant() switch
        {
            "cpu" or "cpu:0" => CpuDevice.Instance,
            "sim" or "sim:0" => SimDevice.Instance,
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
