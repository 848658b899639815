using System.Collections.Concurrent;

namespace ResNetKeras.Engine;

/// <summary>
/// Recycles the buffers of op outputs and gradients (the idea of TorchSharp's dispose scopes): while a scope is
/// active on the current thread, ops rent their output arrays from a pool, and disposing the scope returns them.
/// <c>Model</c> opens one per training, test and prediction step, so the steady state allocates no new activation
/// buffers, and it hands buffers back as soon as the step no longer needs them (<see cref="Release"/>), so the pool
/// holds the step's peak of live buffers rather than the sum of all of them. Tensors created inside a scope must not
/// be used after it ends; variables, optimizer slots and user-created tensors never come from the pool.
/// </summary>
public sealed class TensorScope : IDisposable
{
    /// <summary>Arrays smaller than this are ordinary allocations (pooling them would cost more than it saves).</summary>
    private const int MinPooledLength = 4096;

    /// <summary>Upper bound of the idle pool, in floats (1 GiB), so a finished training run does not pin memory forever.</summary>
    private const long MaxPooledFloats = 1L << 28;

    [ThreadStatic] private static TensorScope? current;

    /// <summary>Test hook: fill released buffers with NaN, so anything that reads one too early shows it.</summary>
    [ThreadStatic] internal static bool PoisonReleased;
    private static readonly ConcurrentDictionary<int, ConcurrentBag<float[]>> Pool = new();
    private static long pooledFloats;

    private readonly TensorScope? previous;
    private readonly HashSet<float[]> rented = new(ReferenceEqualityComparer.Instance);
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

    /// <summary>An array for an op's output: from the pool inside a scope, else newly allocated.</summary>
    internal static float[] Allocate(int length, bool zeroed)
    {
        var scope = current;
        if (scope is null || length < MinPooledLength)
            return zeroed ? new float[length] : GC.AllocateUninitializedArray<float>(length);
        float[]? a = null;
        scope.requestedLengths.Add(length);
        if (Pool.TryGetValue(length, out var bag) && bag.TryTake(out a)) Interlocked.Add(ref pooledFloats, -length);
        if (a is null)
        {
            // A miss in the steady state means the shapes changed (the last, smaller batch of an epoch; a new model):
            // idle buffers of lengths this scope has not asked for are dropped rather than kept beside the new ones,
            // so an odd-sized batch does not double the memory the pool holds for the rest of the run.
            EvictIdleExcept(scope.requestedLengths);
            a = GC.AllocateUninitializedArray<float>(length);
        }
        if (zeroed) Array.Clear(a);
        scope.rented.Add(a);
        scope.liveFloats += length;
        if (scope.liveFloats > scope.PeakLiveFloats) scope.PeakLiveFloats = scope.liveFloats;
        return a;
    }

    /// <summary>
    /// Hands <paramref name="array"/> back to the pool before the scope ends, when a scope on this thread rented it
    /// (anything else is left alone). The caller promises that nothing reads or writes the array afterwards: the next
    /// op of the same length reuses it.
    /// </summary>
    internal static void Release(float[] array)
    {
        for (var scope = current; scope is not null; scope = scope.previous)
            if (scope.rented.Remove(array))
            {
                scope.liveFloats -= array.Length;
                if (PoisonReleased) Array.Fill(array, float.NaN);
                Return(array);
                return;
            }
    }

    /// <summary>Returns the scope's arrays to the pool and restores the enclosing scope.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        if (ReferenceEquals(current, this)) current = previous;
        foreach (var a in rented) Return(a);
        rented.Clear();
        liveFloats = 0;
    }

    private static void EvictIdleExcept(HashSet<int> keep)
    {
        long evicted = 0;
        foreach (var (length, bag) in Pool)
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

    /// <summary>Evicting this much (16 MB) is worth a full collection; the steady state never evicts.</summary>
    private const long EvictionCollectFloats = 1L << 22;

    private static void Return(float[] a)
    {
        if (Interlocked.Add(ref pooledFloats, a.Length) > MaxPooledFloats)
        {
            Interlocked.Add(ref pooledFloats, -a.Length);
            return;
        }
        Pool.GetOrAdd(a.Length, _ => new ConcurrentBag<float[]>()).Add(a);
    }

    /// <summary>How many idle arrays of <paramref name="length"/> floats the pool holds (for tests).</summary>
    internal static int IdleCount(int length) => Pool.TryGetValue(length, out var bag) ? bag.Count : 0;

    /// <summary>Drops every pooled array (for long-running applications between trainings).</summary>
    public static void Trim()
    {
        Pool.Clear();
        Interlocked.Exchange(ref pooledFloats, 0);
    }
}
