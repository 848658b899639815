using System.Collections.Concurrent;

namespace ResNetKeras.Engine;

/// <summary>
/// Recycles the buffers of op outputs and gradients (the idea of TorchSharp's dispose scopes): while a scope is
/// active on the current thread, ops rent their output arrays from a pool, and disposing the scope returns them.
/// <c>Model</c> opens one per training, test and prediction step, so the steady state allocates no new activation
/// buffers. Tensors created inside a scope must not be used after it ends; variables, optimizer slots and
/// user-created tensors never come from the pool.
/// </summary>
public sealed class TensorScope : IDisposable
{
    /// <summary>Arrays smaller than this are ordinary allocations (pooling them would cost more than it saves).</summary>
    private const int MinPooledLength = 4096;

    /// <summary>Upper bound of the idle pool, in floats (1 GiB), so a finished training run does not pin memory forever.</summary>
    private const long MaxPooledFloats = 1L << 28;

    [ThreadStatic] private static TensorScope? current;
    private static readonly ConcurrentDictionary<int, ConcurrentBag<float[]>> Pool = new();
    private static long pooledFloats;

    private readonly TensorScope? previous;
    private readonly List<float[]> rented = new();
    private bool disposed;

    /// <summary>Opens a scope on the current thread (scopes nest).</summary>
    public TensorScope()
    {
        previous = current;
        current = this;
    }

    /// <summary>An array for an op's output: from the pool inside a scope, else newly allocated.</summary>
    internal static float[] Allocate(int length, bool zeroed)
    {
        var scope = current;
        if (scope is null || length < MinPooledLength)
            return zeroed ? new float[length] : GC.AllocateUninitializedArray<float>(length);
        float[]? a = null;
        if (Pool.TryGetValue(length, out var bag) && bag.TryTake(out a)) Interlocked.Add(ref pooledFloats, -length);
        a ??= GC.AllocateUninitializedArray<float>(length);
        if (zeroed) Array.Clear(a);
        scope.rented.Add(a);
        return a;
    }

    /// <summary>Returns the scope's arrays to the pool and restores the enclosing scope.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        if (ReferenceEquals(current, this)) current = previous;
        foreach (var a in rented)
        {
            if (Interlocked.Add(ref pooledFloats, a.Length) > MaxPooledFloats)
            {
                Interlocked.Add(ref pooledFloats, -a.Length);
                continue;
            }
            Pool.GetOrAdd(a.Length, _ => new ConcurrentBag<float[]>()).Add(a);
        }
        rented.Clear();
    }

    /// <summary>Drops every pooled array (for long-running applications between trainings).</summary>
    public static void Trim()
    {
        Pool.Clear();
        Interlocked.Exchange(ref pooledFloats, 0);
    }
}
