using System.Collections.Concurrent;

namespace ResNetKeras.Devices;

/// <summary>
/// A device's caching allocator (PyTorch's CUDA caching allocator, in its simplest form): idle storages by length,
/// handed out again to the next request of the same length. Correct for devices that run work in order on one
/// queue: a storage returned while queued kernels still read it is only written by kernels queued after them.
/// </summary>
public sealed class StoragePool
{
    /// <summary>Upper bound of the idle pool, in floats (1 GiB), so a finished training run does not pin memory forever.</summary>
    private const long MaxPooledFloats = 1L << 28;

    /// <summary>Evicting this much (16 MB) is worth a full collection; the steady state never evicts.</summary>
    private const long EvictionCollectFloats = 1L << 22;

    private readonly ConcurrentDictionary<int, ConcurrentBag<DeviceStorage>> idle = new();
    private long pooledFloats;

    /// <summary>An idle storage of exactly <paramref name="length"/> floats, or null.</summary>
    public DeviceStorage? TryTake(int length)
    {
        if (idle.TryGetValue(length, out var bag) && bag.TryTake(out var s))
        {
            Interlocked.Add(ref pooledFloats, -length);
            return s;
        }
        return null;
    }

    /// <summary>Keeps <paramref name="storage"/> for reuse (dropped when the pool is full).</summary>
    public void Return(DeviceStorage storage)
    {
        if (Interlocked.Add(ref pooledFloats, storage.Length) > MaxPooledFloats)
        {
            Interlocked.Add(ref pooledFloats, -storage.Length);
            return;
        }
        idle.GetOrAdd(storage.Length, _ => new ConcurrentBag<DeviceStorage>()).Add(storage);
    }

    /// <summary>
    /// Drops idle storages of lengths not in <paramref name="keep"/>: a miss in the steady state means the shapes
    /// changed (the last, smaller batch of an epoch; a new model), and keeping both sets would double the memory.
    /// </summary>
    public void EvictIdleExcept(IReadOnlySet<int> keep)
    {
        long evicted = 0;
        foreach (var (length, bag) in idle)
        {
            if (keep.Contains(length)) continue;
            while (bag.TryTake(out _))
            {
                Interlocked.Add(ref pooledFloats, -length);
                evicted += length;
            }
        }
        // Collect now, so the memory just let go is what the new buffers are carved from: left to the GC's own
        // schedule, both sets of buffers were resident at once.
        if (evicted >= EvictionCollectFloats) GC.Collect();
    }

    /// <summary>How many idle storages of <paramref name="length"/> floats the pool holds.</summary>
    public int IdleCount(int length) => idle.TryGetValue(length, out var bag) ? bag.Count : 0;

    /// <summary>Drops every idle storage.</summary>
    public void Trim()
    {
        idle.Clear();
        Interlocked.Exchange(ref pooledFloats, 0);
    }
}
