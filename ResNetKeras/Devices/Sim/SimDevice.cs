using System.Collections.Concurrent;
using ResNetKeras.Kernels.Cpu;

namespace ResNetKeras.Devices.Sim;

/// <summary>
/// A strict stand-in for a GPU that CI can run: memory is unmanaged and unreachable from the host except through
/// <see cref="CopyToHost"/>, and every call is queued on one worker thread (a stream) and returns at once, so the
/// host runs ahead of the device exactly as with CUDA. Kernels run the CPU kernels on staged copies of the device
/// memory. What it catches: any code above the seam that reads tensor memory directly (there is no way to: the CPU
/// device rejects its storage), work that is read back without a synchronization point, buffers reused while queued
/// work still needs them, and outputs a kernel forgot to write (fresh memory is NaN).
/// </summary>
public sealed class SimDevice : HostKernelDevice
{
    private static readonly Lazy<SimDevice> Shared = new(() => new SimDevice());

    /// <summary>The process's simulated device.</summary>
    public static SimDevice Instance => Shared.Value;

    private readonly BlockingCollection<Action> queue = new();
    private readonly Dictionary<int, Stack<float[]>> stagingPool = new();
    private readonly List<(SimStorage Storage, float[] Array, bool WriteBack)> staged = new();
    private Exception? failure;

    private SimDevice() : base(new CpuKernels())
    {
        var worker = new Thread(Work) { IsBackground = true, Name = "ResNetKeras sim device" };
        worker.Start();
    }

    /// <inheritdoc/>
    public override string Name => "sim";

    /// <inheritdoc/>
    public override DeviceStorage Allocate(int length) => new SimStorage(this, length);

    /// <inheritdoc/>
    public override void CopyFromHost(ReadOnlySpan<float> source, DeviceStorage destination, int destinationOffset = 0)
    {
        var dst = Own(destination);
        if (destinationOffset < 0 || source.Length > dst.Length - destinationOffset)
            throw new ArgumentException($"CopyFromHost: {source.Length} values at offset {destinationOffset} do not fit a storage of {dst.Length}.", nameof(destinationOffset));
        // The caller may reuse its buffer as soon as this returns: the values travel with the queued copy.
        var copy = source.ToArray();
        queue.Add(() => copy.CopyTo(dst.Span[destinationOffset..]));
    }

    /// <inheritdoc/>
    public override void CopyToHost(DeviceStorage source, int sourceOffset, Span<float> destination)
    {
        var src = Own(source);
        if (sourceOffset < 0 || destination.Length > src.Length - sourceOffset)
            throw new ArgumentException($"CopyToHost: {destination.Length} values at offset {sourceOffset} exceed a storage of {src.Length}.", nameof(sourceOffset));
        Synchronize();
        src.Span.Slice(sourceOffset, destination.Length).CopyTo(destination);
    }

    /// <inheritdoc/>
    public override void Synchronize()
    {
        using var done = new ManualResetEventSlim();
        queue.Add(done.Set);
        done.Wait();
        var f = Interlocked.Exchange(ref failure, null);
        if (f is not null) throw new InvalidOperationException($"A kernel queued on device 'sim' failed: {f.Message}", f);
    }

    /// <inheritdoc/>
    protected override void Launch(Action kernel) => queue.Add(() =>
    {
        try
        {
            kernel();
            foreach (var (storage, array, writeBack) in staged)
                if (writeBack) array.AsSpan().CopyTo(storage.Span);
        }
        finally
        {
            foreach (var (_, array, _) in staged) ReturnStaging(array);
            staged.Clear();
        }
    });

    /// <inheritdoc/>
    protected override float[] Read(DeviceStorage storage) => Stage(storage, copyIn: true, writeBack: false);

    /// <inheritdoc/>
    protected override float[] Write(DeviceStorage storage) => Stage(storage, copyIn: false, writeBack: true);

    /// <inheritdoc/>
    protected override float[] Update(DeviceStorage storage) => Stage(storage, copyIn: true, writeBack: true);

    private void Work()
    {
        foreach (var item in queue.GetConsumingEnumerable())
        {
            try { item(); }
            catch (Exception e) { Interlocked.CompareExchange(ref failure, e, null); }
        }
    }

    /// <summary>
    /// A host array mirroring <paramref name="storage"/> for the kernel running now; a storage used twice in one call
    /// maps to one array, so reads see writes as they would on the device.
    /// </summary>
    private float[] Stage(DeviceStorage storage, bool copyIn, bool writeBack)
    {
        var s = Own(storage);
        for (int i = 0; i < staged.Count; i++)
            if (ReferenceEquals(staged[i].Storage, s))
            {
                if (writeBack && !staged[i].WriteBack) staged[i] = (s, staged[i].Array, true);
                return staged[i].Array;
            }
        var array = RentStaging(s.Length);
        if (copyIn) s.Span.CopyTo(array);
        else array.AsSpan().Fill(float.NaN);
        staged.Add((s, array, writeBack));
        return array;
    }

    private SimStorage Own(DeviceStorage storage) => storage as SimStorage is { } s && ReferenceEquals(s.Device, this)
        ? s
        : throw new ArgumentException($"Storage of device '{storage.Device.Name}' was passed to device 'sim'; move tensors between devices explicitly.", nameof(storage));

    private float[] RentStaging(int length) =>
        stagingPool.TryGetValue(length, out var stack) && stack.Count > 0 ? stack.Pop() : new float[length];

    private void ReturnStaging(float[] array)
    {
        if (!stagingPool.TryGetValue(array.Length, out var stack)) stagingPool[array.Length] = stack = new Stack<float[]>();
        if (stack.Count < 8) stack.Push(array);
    }
}
