using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using NumSharp;

namespace ResNetKeras.Engine;

/// <summary>
/// The library's bridge to NumSharp's <see cref="NumSharp.NDArray"/>, the array type of its public API: shapes as
/// <c>int[]</c> (the engine's), dtypes as <see cref="DType"/>, and span access to the unmanaged elements so data
/// moves with one copy and no element loops.
/// </summary>
internal static class NDArrays
{
    extension(NDArray a)
    {
        /// <summary>The shape as the engine's <c>int[]</c> (NumSharp's is <c>long[]</c>).</summary>
        internal int[] IntShape
        {
            get
            {
                var s = a.shape;
                var r = new int[s.Length];
                for (int i = 0; i < s.Length; i++)
                    r[i] = s[i] <= int.MaxValue ? (int)s[i]
                        : throw new ArgumentException($"NDArray: dimension {i} of length {s[i]} exceeds {int.MaxValue}, the largest this library supports.");
                return r;
            }
        }

        /// <summary>The shape as the engine's <c>int[]</c>, for span-taking shape helpers.</summary>
        internal int[] ShapeSpan => a.IntShape;

        /// <summary>Number of dimensions.</summary>
        internal int Rank => a.ndim;

        /// <summary>Number of elements as <c>int</c>.</summary>
        internal int Size => a.Count;

        /// <summary>The engine's dtype of the array (NumSharp's <c>dtype</c> mapped to the engine's).</summary>
        internal DType DType => a.EngineDType;

        /// <summary>A converted copy (NumPy's <c>astype</c>, which always copies).</summary>
        internal NDArray AsType(DType dtype) => a.astype(ToNumSharp(dtype));

        /// <summary><c>a[start:stop]</c> along axis 0: a view, bounds clipped as in Python, negatives from the end.</summary>
        internal NDArray Slice(int start, int stop)
        {
            if (a.ndim == 0) throw new ArgumentException("NDArray slice: a 0-d array cannot be sliced.");
            int n = (int)a.shape[0];
            int s = Math.Clamp(start < 0 ? start + n : start, 0, n);
            int e = Math.Clamp(stop < 0 ? stop + n : stop, 0, n);
            return a[new Slice(s, Math.Max(s, e))];
        }

        /// <summary><c>a[indices]</c> along axis 0 (a copy).</summary>
        internal NDArray Take(ReadOnlySpan<int> indices) => a.TakeRows(indices);

        /// <summary>Number of elements as <c>int</c>.</summary>
        internal int Count => a.size <= int.MaxValue ? (int)a.size
            : throw new ArgumentException($"NDArray: {a.size} elements exceed {int.MaxValue}, the largest array this library supports.");

        /// <summary>Length of axis <paramref name="axis"/> (negative counts from the end).</summary>
        internal int Dim(int axis) => (int)a.shape[ShapeUtil.NormalizeAxis(axis, a.ndim)];

        /// <summary>The engine's dtype of the array; other NumSharp dtypes are refused.</summary>
        internal DType EngineDType => a.typecode switch
        {
            NPTypeCode.Single => DType.Float32,
            NPTypeCode.Double => DType.Float64,
            NPTypeCode.Byte => DType.UInt8,
            NPTypeCode.Int32 => DType.Int32,
            NPTypeCode.Int64 => DType.Int64,
            _ => throw new ArgumentException($"NDArray: dtype {a.dtype} is not supported here. Expected one of float32, float64, uint8, int32, int64; convert with astype first."),
        };

        /// <summary>The elements, row-major, without copying when the array is C-contiguous (a copy otherwise).</summary>
        internal ReadOnlySpan<T> ReadSpan<T>() where T : unmanaged =>
            (a.Shape.IsContiguous ? a : np.ascontiguousarray(a)).Unsafe.ReadOnlySpan<T>();

        /// <summary>The elements of this C-contiguous array for writing (the array's own memory).</summary>
        internal Span<T> WriteSpan<T>() where T : unmanaged => a.Unsafe.Span<T>();

        /// <summary>The raw bytes of the elements, row-major (no copy when C-contiguous).</summary>
        internal ReadOnlySpan<byte> ReadBytes() => a.typecode switch
        {
            NPTypeCode.Single => MemoryMarshal.AsBytes(a.ReadSpan<float>()),
            NPTypeCode.Double => MemoryMarshal.AsBytes(a.ReadSpan<double>()),
            NPTypeCode.Byte => a.ReadSpan<byte>(),
            NPTypeCode.Int32 => MemoryMarshal.AsBytes(a.ReadSpan<int>()),
            NPTypeCode.Int64 => MemoryMarshal.AsBytes(a.ReadSpan<long>()),
            _ => throw new ArgumentException($"NDArray: dtype {a.dtype} is not supported here."),
        };

        /// <summary>The raw bytes of this C-contiguous array's own memory, for writing.</summary>
        internal Span<byte> WriteBytes() => a.typecode switch
        {
            NPTypeCode.Single => MemoryMarshal.AsBytes(a.WriteSpan<float>()),
            NPTypeCode.Double => MemoryMarshal.AsBytes(a.WriteSpan<double>()),
            NPTypeCode.Byte => a.WriteSpan<byte>(),
            NPTypeCode.Int32 => MemoryMarshal.AsBytes(a.WriteSpan<int>()),
            NPTypeCode.Int64 => MemoryMarshal.AsBytes(a.WriteSpan<long>()),
            _ => throw new ArgumentException($"NDArray: dtype {a.dtype} is not supported here."),
        };

        /// <summary>Element <paramref name="index"/> of the row-major order, as double.</summary>
        internal double GetFlat(int index) => a.typecode switch
        {
            NPTypeCode.Single => a.ReadSpan<float>()[index],
            NPTypeCode.Double => a.ReadSpan<double>()[index],
            NPTypeCode.Byte => a.ReadSpan<byte>()[index],
            NPTypeCode.Int32 => a.ReadSpan<int>()[index],
            NPTypeCode.Int64 => a.ReadSpan<long>()[index],
            _ => throw new ArgumentException($"NDArray: dtype {a.dtype} is not supported here."),
        };

        /// <summary>All elements as float32, written into <paramref name="destination"/> (one pass, converting).</summary>
        internal void CopyToFloat32(Span<float> destination)
        {
            switch (a.typecode)
            {
                case NPTypeCode.Single: a.ReadSpan<float>().CopyTo(destination); break;
                case NPTypeCode.Double: TensorPrimitives.ConvertTruncating(a.ReadSpan<double>(), destination); break;
                case NPTypeCode.Byte: TensorPrimitives.ConvertTruncating(a.ReadSpan<byte>(), destination); break;
                case NPTypeCode.Int32: TensorPrimitives.ConvertTruncating(a.ReadSpan<int>(), destination); break;
                case NPTypeCode.Int64: TensorPrimitives.ConvertTruncating(a.ReadSpan<long>(), destination); break;
                default: throw new ArgumentException($"NDArray: dtype {a.dtype} cannot be fed to a float32 tensor. Expected one of float32, float64, uint8, int32, int64.");
            }
        }

        /// <summary>All elements as double (a copy; for small arrays such as labels and statistics).</summary>
        internal double[] ToDoubleArray()
        {
            var r = new double[a.Count];
            switch (a.typecode)
            {
                case NPTypeCode.Single: TensorPrimitives.ConvertTruncating(a.ReadSpan<float>(), r.AsSpan()); break;
                case NPTypeCode.Double: a.ReadSpan<double>().CopyTo(r); break;
                case NPTypeCode.Byte: TensorPrimitives.ConvertTruncating(a.ReadSpan<byte>(), r.AsSpan()); break;
                case NPTypeCode.Int32: TensorPrimitives.ConvertTruncating(a.ReadSpan<int>(), r.AsSpan()); break;
                case NPTypeCode.Int64: TensorPrimitives.ConvertTruncating(a.ReadSpan<long>(), r.AsSpan()); break;
                default: throw new ArgumentException($"NDArray: dtype {a.dtype} is not supported here.");
            }
            return r;
        }

        /// <summary><c>a[indices]</c> along axis 0 into a new C-contiguous array (NumPy's fancy indexing of rows).</summary>
        internal NDArray TakeRows(ReadOnlySpan<int> indices)
        {
            if (a.ndim == 0) throw new ArgumentException("NDArray take: a 0-d array cannot be indexed.");
            var shape = a.IntShape;
            int n = shape[0];
            int row = n == 0 ? 0 : a.Count / n;
            shape[0] = indices.Length;
            var dst = np.empty(new Shape(shape), a.dtype);
            // Rows are copied as elements of the dtype, not bytes: a byte span of a float32 dataset would end at 2 GB,
            // element spans at 2^31 elements, the limit the engine has anyway.
            try
            {
                switch (a.typecode)
                {
                    case NPTypeCode.Single: CopyRows(a.ReadSpan<float>(), dst.WriteSpan<float>(), row, n, indices); break;
                    case NPTypeCode.Double: CopyRows(a.ReadSpan<double>(), dst.WriteSpan<double>(), row, n, indices); break;
                    case NPTypeCode.Byte: CopyRows(a.ReadSpan<byte>(), dst.WriteSpan<byte>(), row, n, indices); break;
                    case NPTypeCode.Int32: CopyRows(a.ReadSpan<int>(), dst.WriteSpan<int>(), row, n, indices); break;
                    case NPTypeCode.Int64: CopyRows(a.ReadSpan<long>(), dst.WriteSpan<long>(), row, n, indices); break;
                    default: throw new ArgumentException($"NDArray: dtype {a.dtype} is not supported here.");
                }
            }
            catch
            {
                dst.Dispose();
                throw;
            }
            return dst;
        }
    }

    private static void CopyRows<T>(ReadOnlySpan<T> src, Span<T> dst, int row, int n, ReadOnlySpan<int> indices)
    {
        for (int i = 0; i < indices.Length; i++)
        {
            int k = indices[i] < 0 ? indices[i] + n : indices[i];
            if ((uint)k >= (uint)n)
                throw new ArgumentException($"NDArray take: index {indices[i]} is out of bounds for axis 0 with size {n}.", nameof(indices));
            src.Slice(k * row, row).CopyTo(dst.Slice(i * row, row));
        }
    }

    /// <summary>A new C-contiguous array of <paramref name="shape"/> holding a copy of <paramref name="data"/>.</summary>
    internal static NDArray FromSpan<T>(ReadOnlySpan<T> data, params int[] shape) where T : unmanaged
    {
        int size = ShapeUtil.Size(shape);
        if (data.Length != size)
            throw new ArgumentException($"NDArray: data has {data.Length} elements but shape {ShapeUtil.Format(shape)} needs {size}.", nameof(shape));
        var a = np.empty(new Shape(shape), typeof(T));
        data.CopyTo(a.Unsafe.Span<T>());
        return a;
    }

    /// <summary>A new zero-filled array of the engine's <paramref name="dtype"/>.</summary>
    internal static NDArray Zeros(int[] shape, DType dtype = DType.Float32) => np.zeros(new Shape(shape), ToNumSharp(dtype));

    /// <summary>The NumSharp dtype of an engine dtype.</summary>
    internal static NumSharp.DType ToNumSharp(DType dtype) => dtype switch
    {
        DType.Float32 => np.float32,
        DType.Float64 => np.float64,
        DType.UInt8 => np.uint8,
        DType.Int32 => np.int32,
        DType.Int64 => np.int64,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "Unknown dtype."),
    };

    /// <summary>The array as <paramref name="dtype"/>: itself when it already is, else a converted copy.</summary>
    internal static NDArray AsEngineType(NDArray a, DType dtype) => a.EngineDType == dtype ? a : a.astype(ToNumSharp(dtype));
}
