using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ResNetKeras.Kernels.Cpu;

/// <summary>Short vector loops the CPU kernels are built from (one vector loop each, scalar tail).</summary>
internal static class VectorMath
{
    /// <summary>y += a·x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Axpy(float a, ReadOnlySpan<float> x, Span<float> y)
    {
        int n = x.Length, i = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            var va = new Vector<float>(a);
            ref float rx = ref MemoryMarshal.GetReference(x);
            ref float ry = ref MemoryMarshal.GetReference(y);
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
            {
                ref float py = ref Unsafe.Add(ref ry, i);
                var vy = Vector.LoadUnsafe(ref py);
                vy = Vector.FusedMultiplyAdd(va, Vector.LoadUnsafe(ref Unsafe.Add(ref rx, i)), vy);
                vy.StoreUnsafe(ref py);
            }
        }
        for (; i < n; i++) y[i] = MathF.FusedMultiplyAdd(a, x[i], y[i]);
    }

    /// <summary>Σ x·y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        int n = x.Length, i = 0;
        float s = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            var acc = Vector<float>.Zero;
            ref float rx = ref MemoryMarshal.GetReference(x);
            ref float ry = ref MemoryMarshal.GetReference(y);
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
                acc = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref Unsafe.Add(ref rx, i)), Vector.LoadUnsafe(ref Unsafe.Add(ref ry, i)), acc);
            s = Vector.Sum(acc);
        }
        for (; i < n; i++) s = MathF.FusedMultiplyAdd(x[i], y[i], s);
        return s;
    }
}
