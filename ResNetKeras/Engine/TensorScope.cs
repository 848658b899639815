using ResNetKeras.Devices;

namespace ResNetKeras.Engine;

/// <summary>
/// Recycles the storages of op outputs and gradients (the idea of TorchSharp's dispose scopes): while a scope is
/// active on the current thread, ops rent their outputs from their device's <see cref="StoragePool"/>, and disposing
/// the scope returns them. The trainer opens one per training, test and prediction step, so the steady state
/// allocates no new activation memory on any device, and buffers go back as soon as the step no longer needs them
/// (<see cref="Release"/>), so the pool holds the step's peak of live buffers rather than the sum of all of them.
/// Tensors created inside a scope must not be used after it ends; variables, optimizer slots and user-created
/// tensors never come from the pool.
/// </summary>
public sealed class TensorScope : IDisposable
{
    /// <summary>Storages smaller than this are ordinary allocations (pooling them would cost more than it saves).</summary>
    private const int MinPooledLength = 4096;

    [ThreadStatic] private static TensorScope? current;

    /// <summary>Test hook: fill released buffers with NaN, so anything that reads one too early shows it.</summary>
    [ThreadStatic] internal static bool PoisonReleased;

    private readonly TensorScope? previous;
    private readonly HashSet<DeviceStorage> rented = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<int> requestedLengths = new();
    private long liveFloats;
    private bool disposed;

    /// <summary>Opens a scope on the current thread (scopes nest).</summary>
    public TensorScope()
    {
        previous = current;
        current = this;
    }

    /// <summary>The most floats this scope had rented and not yet released at one time (its share of peak memory).</summary>
    public long PeakLiveFloats { get; private set; }

    /// <summary>Storage for an op's output on <paramref name="device"/>: from its pool inside a scope, else newly allocated.</summary>
    internal static DeviceStorage Allocate(IDevice device, int length, bool zeroed)
    {
        var scope = current;
        DeviceStorage? s = null;
        if (scope is not null && length >= MinPooledLength)
        {
            scope.requestedLengths.Add(length);
            s = device.Pool.TryTake(length);
            // A miss means the shapes changed: idle buffers of lengths this scope has not asked for are dropped.
            if (s is null) device.Pool.EvictIdleExcept(scope.requestedLengths);
        }
        s ??= device.Allocate(length);
        if (zeroed) device.Fill(s, 0f);
        if (scope is not null && length >= MinPooledLength)
        {
            scope.rented.Add(s);
            scope.liveFloats += length;
            if (scope.liveFloats > scope.PeakLiveFloats) scope.PeakLiveFloats = scope.liveFloats;
        }
        return s;
    }

    /// <summary>
    /// Hands <paramref name="storage"/> back to its device's pool before the scope ends, when a scope on this thread
    /// rented it (anything else is left alone). The caller promises that nothing issued later reads or writes it: the
    /// next op of the same length reuses it.
    /// </summary>
    internal static void Release(DeviceStorage storage)
    {
        for (var scope = current; scope is not null; scope = scope.previous)
            if (scope.rented.Remove(storage))
            {
                scope.liveFloats -= storage.Length;
                if (PoisonReleased) storage.Device.Fill(storage, float.NaN);
                storage.Device.Pool.Return(storage);
                return;
            }
    }

    /// <summary>Returns the scope's storages to their pools and restores the enclosing scope.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        if (ReferenceEquals(current, this)) current = previous;
        foreach (var s in rented) s.Device.Pool.Return(s);
        rented.Clear();
        liveFloats = 0;
    }

    /// <summary>How many idle storages of <paramref name="length"/> floats the current device's pool holds (for tests).</summary>
    internal static int IdleCount(int length) => DeviceRegistry.Current.Pool.IdleCount(length);

    /// <summary>Drops every pooled storage of the current device (for long-running applications between trainings).</summary>
    public static void Trim() => DeviceRegistry.Current.Pool.Trim();
}
