using System.Globalization;
using System.Numerics.Tensors;

namespace ResNetKeras.Engine;

/// <summary>
/// A contiguous, row-major n-dimensional array: what a Keras user holds as a NumPy array
/// (<c>x_train</c>, <c>y_train</c>, predictions). Not a NumSharp clone: it has the operations the
/// library and the examples use, each with NumPy's semantics (broadcasting, axis conventions,
/// result dtypes of reductions).
/// </summary>
/// <remarks>
/// <see cref="Reshape"/> shares storage (a NumPy view of a contiguous array); every other operation
/// returns a new array.
/// </remarks>
public sealed partial class NDArray
{
    private readonly Array storage;
    private readonly int[] shape;

    /// <summary>Wraps existing storage (float[], double[], byte[], int[] or long[]) without copying.</summary>
    public NDArray(Array storage, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(shape);
        DType = DTypes.Of(storage);
        int size = ShapeUtil.Size(shape);
        if (storage.Length != size)
            throw new ArgumentException(
                $"NDArray: storage has {storage.Length} elements but shape {ShapeUtil.Format(shape)} needs {size}.", nameof(shape));
        this.storage = storage;
        this.shape = (int[])shape.Clone();
    }

    /// <summary>Element type.</summary>
    public DType DType { get; }

    /// <summary>Dimensions (a copy; the array's shape never changes).</summary>
    public int[] Shape => (int[])shape.Clone();

    /// <summary>Number of dimensions.</summary>
    public int Rank => shape.Length;

    /// <summary>Number of elements.</summary>
    public int Size => storage.Length;

    /// <summary>Length of axis <paramref name="axis"/> (negative counts from the end).</summary>
    public int Dim(int axis) => shape[ShapeUtil.NormalizeAxis(axis, shape.Length)];

    internal ReadOnlySpan<int> ShapeSpan => shape;

    /// <summary>The backing storage, shared. <typeparamref name="T"/> must match <see cref="DType"/>.</summary>
    public T[] Data<T>() where T : unmanaged =>
        storage as T[] ?? throw new InvalidOperationException(
            $"NDArray has dtype {DTypes.Name(DType)}; it cannot be read as {typeof(T).Name}[]. Use AsType first.");

    /// <summary>The backing float32 storage, shared.</summary>
    public float[] Float32Data => Data<float>();

    // ---------------------------------------------------------------- creation

    /// <summary>np.zeros(shape, dtype).</summary>
    public static NDArray Zeros(int[] shape, DType dtype = DType.Float32) =>
        new(DTypes.Allocate(dtype, ShapeUtil.Size(shape)), shape);

    /// <summary>np.full(shape, value, dtype).</summary>
    public static NDArray Full(int[] shape, double value, DType dtype = DType.Float32)
    {
        var a = Zeros(shape, dtype);
        a.Fill(value);
        return a;
    }

    /// <summary>np.ones(shape, dtype).</summary>
    public static NDArray Ones(int[] shape, DType dtype = DType.Float32) => Full(shape, 1.0, dtype);

    /// <summary>A float32 array over <paramref name="data"/> (not copied).</summary>
    public static NDArray FromArray(float[] data, params int[] shape) => new(data, shape.Length == 0 && data.Length != 1 ? [data.Length] : shape);

    /// <summary>A float64 array over <paramref name="data"/> (not copied).</summary>
    public static NDArray FromArray(double[] data, params int[] shape) => new(data, shape.Length == 0 && data.Length != 1 ? [data.Length] : shape);

    /// <summary>A uint8 array over <paramref name="data"/> (not copied).</summary>
    public static NDArray FromArray(byte[] data, params int[] shape) => new(data, shape.Length == 0 && data.Length != 1 ? [data.Length] : shape);

    /// <summary>An int32 array over <paramref name="data"/> (not copied).</summary>
    public static NDArray FromArray(int[] data, params int[] shape) => new(data, shape.Length == 0 && data.Length != 1 ? [data.Length] : shape);

    /// <summary>An int64 array over <paramref name="data"/> (not copied).</summary>
    public static NDArray FromArray(long[] data, params int[] shape) => new(data, shape.Length == 0 && data.Length != 1 ? [data.Length] : shape);

    /// <summary>A 0-d float32 array.</summary>
    public static NDArray Scalar(float value) => new(new[] { value }, Array.Empty<int>());

    /// <summary>np.arange(n) as int64.</summary>
    public static NDArray Arange(int n)
    {
        if (n < 0) throw new ArgumentException($"arange: expected n >= 0. Received n={n}.", nameof(n));
        var d = new long[n];
        for (int i = 0; i < n; i++) d[i] = i;
        return new NDArray(d, n);
    }

    /// <summary>A deep copy.</summary>
    public NDArray Copy() => new((Array)storage.Clone(), shape);

    /// <summary>Sets every element to <paramref name="value"/> (cast to the dtype).</summary>
    public void Fill(double value)
    {
        switch (storage)
        {
            case float[] f: Array.Fill(f, (float)value); break;
            case double[] d: Array.Fill(d, value); break;
            case byte[] b: Array.Fill(b, (byte)value); break;
            case int[] i: Array.Fill(i, (int)value); break;
            case long[] l: Array.Fill(l, (long)value); break;
        }
    }

    // ---------------------------------------------------------------- element access

    /// <summary>Flat (row-major) element as double.</summary>
    public double GetFlat(int index) => storage switch
    {
        float[] f => f[index],
        double[] d => d[index],
        byte[] b => b[index],
        int[] i => i[index],
        long[] l => l[index],
        _ => throw new InvalidOperationException(),
    };

    /// <summary>Sets a flat (row-major) element, cast to the dtype as NumPy's astype does.</summary>
    public void SetFlat(int index, double value)
    {
        switch (storage)
        {
            case float[] f: f[index] = (float)value; break;
            case double[] d: d[index] = value; break;
            case byte[] b: b[index] = unchecked((byte)(long)value); break;
            case int[] i: i[index] = unchecked((int)(long)value); break;
            case long[] l: l[index] = (long)value; break;
        }
    }

    /// <summary>The element at a full index, as double: <c>a[i, j, k]</c>.</summary>
    public double GetValue(params int[] index) => GetFlat(FlatIndex(index));

    /// <summary>Sets the element at a full index.</summary>
    public void SetValue(double value, params int[] index) => SetFlat(FlatIndex(index), value);

    private int FlatIndex(int[] index)
    {
        if (index.Length != shape.Length)
            throw new ArgumentException($"NDArray index: expected {shape.Length} indices for shape {ShapeUtil.Format(shape)}. Received {index.Length}.", nameof(index));
        int flat = 0;
        for (int i = 0; i < index.Length; i++)
        {
            int k = index[i] < 0 ? index[i] + shape[i] : index[i];
            if ((uint)k >= (uint)shape[i])
                throw new ArgumentException($"NDArray index: index {index[i]} is out of bounds for axis {i} with size {shape[i]}.", nameof(index));
            flat = flat * shape[i] + k;
        }
        return flat;
    }

    /// <summary>All elements as double, row-major.</summary>
    public double[] ToDoubleArray()
    {
        var r = new double[Size];
        for (int i = 0; i < r.Length; i++) r[i] = GetFlat(i);
        return r;
    }

    /// <summary><c>a[i]</c>: the sub-array at index <paramref name="i"/> of axis 0 (a copy; negative counts from the end).</summary>
    [System.Runtime.CompilerServices.IndexerName("Row")]
    public NDArray this[int i]
    {
        get
        {
            if (Rank == 0) throw new InvalidOperationException("NDArray index: a 0-d array cannot be indexed.");
            int k = i < 0 ? i + shape[0] : i;
            if ((uint)k >= (uint)shape[0])
                throw new ArgumentException($"NDArray index: index {i} is out of bounds for axis 0 with size {shape[0]}.", nameof(i));
            return Slice(k, k + 1).Reshape(shape[1..]);
        }
    }

    /// <summary>Elements per index of axis 0.</summary>
    internal int RowSize => shape.Length == 0 ? 1 : (shape[0] == 0 ? ShapeUtil.Size(shape.AsSpan(1)) : Size / shape[0]);

    /// <summary><c>a[start:stop]</c> along axis 0 (a copy). Bounds are clipped as in Python; negatives count from the end.</summary>
    public NDArray Slice(int start, int stop)
    {
        if (Rank == 0) throw new InvalidOperationException("NDArray slice: a 0-d array cannot be sliced.");
        int n = shape[0];
        int s = Math.Clamp(start < 0 ? start + n : start, 0, n);
        int e = Math.Clamp(stop < 0 ? stop + n : stop, 0, n);
        if (e < s) e = s;
        int row = RowSize;
        var dst = DTypes.Allocate(DType, (e - s) * row);
        Array.Copy(storage, (long)s * row, dst, 0, (long)(e - s) * row);
        var newShape = Shape;
        newShape[0] = e - s;
        return new NDArray(dst, newShape);
    }

    /// <summary><c>a[indices]</c> along axis 0 (NumPy fancy indexing; a copy).</summary>
    public NDArray Take(ReadOnlySpan<int> indices)
    {
        if (Rank == 0) throw new InvalidOperationException("NDArray take: a 0-d array cannot be indexed.");
        int n = shape[0], row = RowSize;
        var dst = DTypes.Allocate(DType, indices.Length * row);
        for (int i = 0; i < indices.Length; i++)
        {
            int k = indices[i] < 0 ? indices[i] + n : indices[i];
            if ((uint)k >= (uint)n)
                throw new ArgumentException($"NDArray take: index {indices[i]} is out of bounds for axis 0 with size {n}.", nameof(indices));
            Array.Copy(storage, (long)k * row, dst, (long)i * row, row);
        }
        var newShape = Shape;
        newShape[0] = indices.Length;
        return new NDArray(dst, newShape);
    }

    /// <summary>Copies <paramref name="rows"/> into this array starting at index <paramref name="start"/> of axis 0 (<c>a[start:start+len] = rows</c>).</summary>
    public void SetRows(int start, NDArray rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.DType != DType)
            throw new ArgumentException($"NDArray SetRows: dtype {DTypes.Name(rows.DType)} does not match {DTypes.Name(DType)}.", nameof(rows));
        if (rows.Rank != Rank || !rows.shape.AsSpan(1).SequenceEqual(shape.AsSpan(1)))
            throw new ArgumentException($"NDArray SetRows: rows of shape {ShapeUtil.Format(rows.shape)} do not fit an array of shape {ShapeUtil.Format(shape)}.", nameof(rows));
        if (start < 0 || start + rows.shape[0] > shape[0])
            throw new ArgumentException($"NDArray SetRows: rows {start}..{start + rows.shape[0]} fall outside axis 0 of size {shape[0]}.", nameof(start));
        Array.Copy(rows.storage, 0, storage, (long)start * RowSize, rows.Size);
    }

    // ---------------------------------------------------------------- shape

    /// <summary>np.reshape: same storage, new shape (one dimension may be -1).</summary>
    public NDArray Reshape(params int[] newShape) => new(storage, ShapeUtil.ResolveReshape(shape, newShape));

    /// <summary>np.transpose with an axis permutation (reversed axes when none is given). Returns a copy.</summary>
    public NDArray Transpose(params int[] perm)
    {
        int rank = Rank;
        if (perm.Length == 0)
        {
            perm = new int[rank];
            for (int i = 0; i < rank; i++) perm[i] = rank - 1 - i;
        }
        if (perm.Length != rank)
            throw new ArgumentException($"transpose: axes {ShapeUtil.Format(perm)} do not match an array of rank {rank}.", nameof(perm));
        var seen = new bool[rank];
        for (int i = 0; i < rank; i++)
        {
            int p = ShapeUtil.NormalizeAxis(perm[i], rank, "perm");
            if (seen[p]) throw new ArgumentException($"transpose: repeated axis in {ShapeUtil.Format(perm)}.", nameof(perm));
            seen[p] = true;
            perm[i] = p;
        }
        var newShape = new int[rank];
        for (int i = 0; i < rank; i++) newShape[i] = shape[perm[i]];
        var srcStrides = ShapeUtil.Strides(shape);
        var dst = DTypes.Allocate(DType, Size);
        var idx = new int[rank];
        int src = 0;
        int size = Size;
        for (int o = 0; o < size; o++)
        {
            Array.Copy(storage, src, dst, o, 1);
            for (int d = rank - 1; d >= 0; d--)
            {
                idx[d]++;
                src += srcStrides[perm[d]];
                if (idx[d] < newShape[d]) break;
                src -= srcStrides[perm[d]] * newShape[d];
                idx[d] = 0;
            }
        }
        return new NDArray(dst, newShape);
    }

    /// <summary>np.concatenate along <paramref name="axis"/>.</summary>
    public static NDArray Concatenate(IReadOnlyList<NDArray> arrays, int axis = 0)
    {
        ArgumentNullException.ThrowIfNull(arrays);
        if (arrays.Count == 0) throw new ArgumentException("concatenate: need at least one array.", nameof(arrays));
        var first = arrays[0];
        int ax = ShapeUtil.NormalizeAxis(axis, first.Rank);
        int total = 0;
        foreach (var a in arrays)
        {
            if (a.DType != first.DType)
                throw new ArgumentException($"concatenate: dtypes differ ({DTypes.Name(first.DType)} and {DTypes.Name(a.DType)}); cast with AsType first.", nameof(arrays));
            if (a.Rank != first.Rank)
                throw new ArgumentException($"concatenate: shapes {ShapeUtil.Format(first.shape)} and {ShapeUtil.Format(a.shape)} have different ranks.", nameof(arrays));
            for (int d = 0; d < a.Rank; d++)
                if (d != ax && a.shape[d] != first.shape[d])
                    throw new ArgumentException($"concatenate: shapes {ShapeUtil.Format(first.shape)} and {ShapeUtil.Format(a.shape)} differ outside axis {ax}.", nameof(arrays));
            total += a.shape[ax];
        }
        var newShape = first.Shape;
        newShape[ax] = total;
        var dst = DTypes.Allocate(first.DType, ShapeUtil.Size(newShape));
        int outer = ShapeUtil.Size(first.shape.AsSpan(0, ax));
        int inner = ShapeUtil.Size(first.shape.AsSpan(ax + 1));
        long offset = 0;
        for (int o = 0; o < outer; o++)
            foreach (var a in arrays)
            {
                int block = a.shape[ax] * inner;
                Array.Copy(a.storage, (long)o * block, dst, offset, block);
                offset += block;
            }
        return new NDArray(dst, newShape);
    }

    // ---------------------------------------------------------------- dtype

    /// <summary>ndarray.astype(dtype): a converted copy (floats to integers truncate toward zero, as NumPy).</summary>
    public NDArray AsType(DType dtype)
    {
        if (dtype == DType) return Copy();
        var dst = new NDArray(DTypes.Allocate(dtype, Size), shape);
        if (storage is byte[] b && dst.storage is float[] f)
        {
            for (int i = 0; i < b.Length; i++) f[i] = b[i];
            return dst;
        }
        if (storage is float[] fs && dst.storage is double[] ds)
        {
            for (int i = 0; i < fs.Length; i++) ds[i] = fs[i];
            return dst;
        }
        for (int i = 0; i < Size; i++) dst.SetFlat(i, GetFlat(i));
        return dst;
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var sb = new System.Text.StringBuilder();
        sb.Append("NDArray(shape=").Append(ShapeUtil.Format(shape)).Append(", dtype=").Append(DTypes.Name(DType));
        if (Size <= 16)
        {
            sb.Append(", [");
            for (int i = 0; i < Size; i++)
            {
                if (i > 0) sb.Append(", ");
                sb.Append(GetFlat(i).ToString("G7", CultureInfo.InvariantCulture));
            }
            sb.Append(']');
        }
        return sb.Append(')').ToString();
    }
}
