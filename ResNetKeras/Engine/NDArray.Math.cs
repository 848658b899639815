using System.Numerics.Tensors;

namespace ResNetKeras.Engine;

public sealed partial class NDArray
{
    private enum BinaryOp { Add, Subtract, Multiply, Divide, Maximum, Minimum }

    /// <summary>Element-wise sum with NumPy broadcasting.</summary>
    public static NDArray operator +(NDArray a, NDArray b) => Binary(a, b, BinaryOp.Add, "add");
    /// <summary>Element-wise difference with NumPy broadcasting.</summary>
    public static NDArray operator -(NDArray a, NDArray b) => Binary(a, b, BinaryOp.Subtract, "subtract");
    /// <summary>Element-wise product with NumPy broadcasting.</summary>
    public static NDArray operator *(NDArray a, NDArray b) => Binary(a, b, BinaryOp.Multiply, "multiply");
    /// <summary>Element-wise quotient with NumPy broadcasting.</summary>
    public static NDArray operator /(NDArray a, NDArray b) => Binary(a, b, BinaryOp.Divide, "divide");
    /// <summary>Adds a scalar.</summary>
    public static NDArray operator +(NDArray a, double s) => Binary(a, ScalarLike(a, s), BinaryOp.Add, "add");
    /// <summary>Subtracts a scalar.</summary>
    public static NDArray operator -(NDArray a, double s) => Binary(a, ScalarLike(a, s), BinaryOp.Subtract, "subtract");
    /// <summary>Multiplies by a scalar.</summary>
    public static NDArray operator *(NDArray a, double s) => Binary(a, ScalarLike(a, s), BinaryOp.Multiply, "multiply");
    /// <summary>Divides by a scalar.</summary>
    public static NDArray operator /(NDArray a, double s) => Binary(a, ScalarLike(a, s), BinaryOp.Divide, "divide");
    /// <summary>Scalar minus array.</summary>
    public static NDArray operator -(double s, NDArray a) => Binary(ScalarLike(a, s), a, BinaryOp.Subtract, "subtract");
    /// <summary>Scalar times array.</summary>
    public static NDArray operator *(double s, NDArray a) => a * s;
    /// <summary>Negation.</summary>
    public static NDArray operator -(NDArray a) => a * -1.0;

    /// <summary>np.maximum(a, b).</summary>
    public static NDArray Maximum(NDArray a, NDArray b) => Binary(a, b, BinaryOp.Maximum, "maximum");
    /// <summary>np.minimum(a, b).</summary>
    public static NDArray Minimum(NDArray a, NDArray b) => Binary(a, b, BinaryOp.Minimum, "minimum");

    private static NDArray ScalarLike(NDArray a, double s) =>
        a.DType == DType.Float64 ? new NDArray(new[] { s }, Array.Empty<int>()) : new NDArray(new[] { (float)s }, Array.Empty<int>());

    /// <summary>Result dtype of arithmetic: float64 if either side is float64, else float32 (integers are promoted).</summary>
    private static DType ResultType(NDArray a, NDArray b) =>
        a.DType == DType.Float64 || b.DType == DType.Float64 ? DType.Float64 : DType.Float32;

    private static NDArray Binary(NDArray a, NDArray b, BinaryOp op, string name)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var outShape = ShapeUtil.Broadcast(a.shape, b.shape, name);
        var rt = ResultType(a, b);
        if (rt == DType.Float32)
        {
            var fa = a.DType == DType.Float32 ? a.Float32Data : a.AsType(DType.Float32).Float32Data;
            var fb = b.DType == DType.Float32 ? b.Float32Data : b.AsType(DType.Float32).Float32Data;
            var dst = new float[ShapeUtil.Size(outShape)];
            BroadcastLoop(fa, a.shape, fb, b.shape, dst, outShape, (x, sx, y, sy, d) => ApplyFloat(op, x, sx, y, sy, d));
            return new NDArray(dst, outShape);
        }
        else
        {
            var da = a.DType == DType.Float64 ? a.Data<double>() : a.AsType(DType.Float64).Data<double>();
            var db = b.DType == DType.Float64 ? b.Data<double>() : b.AsType(DType.Float64).Data<double>();
            var dst = new double[ShapeUtil.Size(outShape)];
            BroadcastLoop(da, a.shape, db, b.shape, dst, outShape, (x, sx, y, sy, d) => ApplyDouble(op, x, sx, y, sy, d));
            return new NDArray(dst, outShape);
        }
    }

    private delegate void InnerLoop<T>(ReadOnlySpan<T> x, int strideX, ReadOnlySpan<T> y, int strideY, Span<T> dst);

    /// <summary>
    /// Walks the output in row-major order, one innermost row at a time; each operand's row is either
    /// contiguous (stride 1) or a broadcast single element (stride 0).
    /// </summary>
    private static void BroadcastLoop<T>(T[] a, int[] aShape, T[] b, int[] bShape, T[] dst, int[] outShape, InnerLoop<T> inner)
    {
        int rank = outShape.Length;
        if (dst.Length == 0) return;
        if (rank == 0)
        {
            inner(a, 0, b, 0, dst);
            return;
        }
        int[] sa = BroadcastStrides(aShape, outShape), sb = BroadcastStrides(bShape, outShape);
        int n = outShape[rank - 1];
        int rows = dst.Length / n;
        var idx = new int[rank];
        int oa = 0, ob = 0;
        for (int r = 0; r < rows; r++)
        {
            inner(
                sa[rank - 1] == 0 ? a.AsSpan(oa, 1) : a.AsSpan(oa, n), sa[rank - 1],
                sb[rank - 1] == 0 ? b.AsSpan(ob, 1) : b.AsSpan(ob, n), sb[rank - 1],
                dst.AsSpan(r * n, n));
            for (int d = rank - 2; d >= 0; d--)
            {
                idx[d]++;
                oa += sa[d];
                ob += sb[d];
                if (idx[d] < outShape[d]) break;
                oa -= sa[d] * outShape[d];
                ob -= sb[d] * outShape[d];
                idx[d] = 0;
            }
        }
    }

    private static int[] BroadcastStrides(int[] shape, int[] outShape)
    {
        int rank = outShape.Length, off = rank - shape.Length;
        var s = new int[rank];
        var own = ShapeUtil.Strides(shape);
        for (int i = 0; i < shape.Length; i++) s[i + off] = shape[i] == 1 ? 0 : own[i];
        return s;
    }

    private static void ApplyFloat(BinaryOp op, ReadOnlySpan<float> x, int sx, ReadOnlySpan<float> y, int sy, Span<float> d)
    {
        if (sx == 1 && sy == 1)
        {
            switch (op)
            {
                case BinaryOp.Add: TensorPrimitives.Add(x, y, d); return;
                case BinaryOp.Subtract: TensorPrimitives.Subtract(x, y, d); return;
                case BinaryOp.Multiply: TensorPrimitives.Multiply(x, y, d); return;
                case BinaryOp.Divide: TensorPrimitives.Divide(x, y, d); return;
            }
        }
        else if (sx == 1 && sy == 0)
        {
            switch (op)
            {
                case BinaryOp.Add: TensorPrimitives.Add(x, y[0], d); return;
                case BinaryOp.Subtract: TensorPrimitives.Subtract(x, y[0], d); return;
                case BinaryOp.Multiply: TensorPrimitives.Multiply(x, y[0], d); return;
                case BinaryOp.Divide: TensorPrimitives.Divide(x, y[0], d); return;
            }
        }
        for (int i = 0; i < d.Length; i++)
        {
            float u = x[i * sx], v = y[i * sy];
            d[i] = op switch
            {
                BinaryOp.Add => u + v,
                BinaryOp.Subtract => u - v,
                BinaryOp.Multiply => u * v,
                BinaryOp.Divide => u / v,
                BinaryOp.Maximum => float.IsNaN(u) || float.IsNaN(v) ? float.NaN : Math.Max(u, v),
                _ => float.IsNaN(u) || float.IsNaN(v) ? float.NaN : Math.Min(u, v),
            };
        }
    }

    private static void ApplyDouble(BinaryOp op, ReadOnlySpan<double> x, int sx, ReadOnlySpan<double> y, int sy, Span<double> d)
    {
        for (int i = 0; i < d.Length; i++)
        {
            double u = x[i * sx], v = y[i * sy];
            d[i] = op switch
            {
                BinaryOp.Add => u + v,
                BinaryOp.Subtract => u - v,
                BinaryOp.Multiply => u * v,
                BinaryOp.Divide => u / v,
                BinaryOp.Maximum => double.IsNaN(u) || double.IsNaN(v) ? double.NaN : Math.Max(u, v),
                _ => double.IsNaN(u) || double.IsNaN(v) ? double.NaN : Math.Min(u, v),
            };
        }
    }

    // ---------------------------------------------------------------- reductions

    /// <summary>np.sum over <paramref name="axes"/> (all axes when null). Accumulates in float64; result float32 for float32 input, else float64 (integers: int64 in NumPy, float64 here).</summary>
    public NDArray Sum(int[]? axes = null, bool keepDims = false) => Reduce(axes, keepDims, ReduceKind.Sum);

    /// <summary>np.mean over <paramref name="axes"/> (all axes when null). Result float32 for float32 input, else float64 (as NumPy for integer input).</summary>
    public NDArray Mean(int[]? axes = null, bool keepDims = false) => Reduce(axes, keepDims, ReduceKind.Mean);

    /// <summary>np.mean over one axis.</summary>
    public NDArray Mean(int axis, bool keepDims = false) => Mean([axis], keepDims);

    /// <summary>np.var (population variance, ddof = 0) over <paramref name="axes"/>.</summary>
    public NDArray Var(int[]? axes = null, bool keepDims = false) => Reduce(axes, keepDims, ReduceKind.Var);

    /// <summary>np.std (population standard deviation, ddof = 0) over <paramref name="axes"/>.</summary>
    public NDArray Std(int[]? axes = null, bool keepDims = false)
    {
        var v = Var(axes, keepDims);
        for (int i = 0; i < v.Size; i++) v.SetFlat(i, Math.Sqrt(v.GetFlat(i)));
        return v;
    }

    /// <summary>np.std over one axis.</summary>
    public NDArray Std(int axis, bool keepDims = false) => Std([axis], keepDims);

    /// <summary>np.max over <paramref name="axes"/>; keeps the dtype.</summary>
    public NDArray Max(int[]? axes = null, bool keepDims = false) => Reduce(axes, keepDims, ReduceKind.Max);

    /// <summary>np.min over <paramref name="axes"/>; keeps the dtype.</summary>
    public NDArray Min(int[]? axes = null, bool keepDims = false) => Reduce(axes, keepDims, ReduceKind.Min);

    /// <summary>The single value of a size-1 array, or throws.</summary>
    public double Item()
    {
        if (Size != 1) throw new InvalidOperationException($"item: can only convert an array of size 1; this one has shape {ShapeUtil.Format(shape)}.");
        return GetFlat(0);
    }

    private enum ReduceKind { Sum, Mean, Var, Max, Min }

    private NDArray Reduce(int[]? axes, bool keepDims, ReduceKind kind)
    {
        int rank = Rank;
        var reduced = new bool[rank];
        if (axes is null) Array.Fill(reduced, true);
        else
            foreach (int ax in axes)
            {
                int a = ShapeUtil.NormalizeAxis(ax, rank, "axis");
                if (reduced[a]) throw new ArgumentException($"reduction: duplicate value in axis {ShapeUtil.Format(axes)}.", nameof(axes));
                reduced[a] = true;
            }
        var keptShape = new int[rank];
        int count = 1;
        for (int i = 0; i < rank; i++)
        {
            keptShape[i] = reduced[i] ? 1 : shape[i];
            if (reduced[i]) count *= shape[i];
        }
        int outSize = ShapeUtil.Size(keptShape);
        if (count == 0 && kind is ReduceKind.Max or ReduceKind.Min)
            throw new ArgumentException($"zero-size array (shape {ShapeUtil.Format(shape)}) to reduction operation {kind.ToString().ToLowerInvariant()} which has no identity.");
        var acc = new double[outSize];
        if (kind == ReduceKind.Max) Array.Fill(acc, double.NegativeInfinity);
        if (kind == ReduceKind.Min) Array.Fill(acc, double.PositiveInfinity);
        double[]? mean = null;
        if (kind == ReduceKind.Var)
        {
            mean = new double[outSize];
            Traverse(reduced, keptShape, (o, v) => mean[o] += v);
            for (int i = 0; i < outSize; i++) mean[i] /= count;
            Traverse(reduced, keptShape, (o, v) => { double dv = v - mean[o]; acc[o] += dv * dv; });
        }
        else if (kind == ReduceKind.Max)
            Traverse(reduced, keptShape, (o, v) => { if (v > acc[o] || double.IsNaN(v)) acc[o] = v; });
        else if (kind == ReduceKind.Min)
            Traverse(reduced, keptShape, (o, v) => { if (v < acc[o] || double.IsNaN(v)) acc[o] = v; });
        else
            Traverse(reduced, keptShape, (o, v) => acc[o] += v);
        if (kind is ReduceKind.Mean or ReduceKind.Var)
            for (int i = 0; i < outSize; i++) acc[i] /= count;

        int[] outShape;
        if (keepDims) outShape = keptShape;
        else
        {
            var list = new List<int>();
            for (int i = 0; i < rank; i++) if (!reduced[i]) list.Add(shape[i]);
            outShape = list.ToArray();
        }
        DType rt = kind is ReduceKind.Max or ReduceKind.Min ? DType
            : DType == DType.Float32 ? DType.Float32 : DType.Float64;
        var result = Zeros(outShape, rt);
        for (int i = 0; i < outSize; i++) result.SetFlat(i, acc[i]);
        return result;
    }

    /// <summary>Visits every element with the flat index of its reduction cell.</summary>
    private void Traverse(bool[] reduced, int[] keptShape, Action<int, double> visit)
    {
        int rank = Rank, size = Size;
        if (size == 0) return;
        if (rank == 0)
        {
            visit(0, GetFlat(0));
            return;
        }
        var outStrides = ShapeUtil.Strides(keptShape);
        for (int i = 0; i < rank; i++) if (reduced[i]) outStrides[i] = 0;
        var idx = new int[rank];
        int o = 0;
        for (int i = 0; i < size; i++)
        {
            visit(o, GetFlat(i));
            for (int d = rank - 1; d >= 0; d--)
            {
                idx[d]++;
                o += outStrides[d];
                if (idx[d] < shape[d]) break;
                o -= outStrides[d] * shape[d];
                idx[d] = 0;
            }
        }
    }

    /// <summary>np.argmax along <paramref name="axis"/> (first index on ties), as int64.</summary>
    public NDArray ArgMax(int axis = -1)
    {
        int ax = ShapeUtil.NormalizeAxis(axis, Rank);
        int outer = ShapeUtil.Size(shape.AsSpan(0, ax)), n = shape[ax], inner = ShapeUtil.Size(shape.AsSpan(ax + 1));
        if (n == 0) throw new ArgumentException($"argmax: attempt to get argmax of an empty sequence (axis {axis} of shape {ShapeUtil.Format(shape)}).", nameof(axis));
        var dst = new long[outer * inner];
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int best = 0;
                double bv = GetFlat(o * n * inner + i);
                for (int k = 1; k < n; k++)
                {
                    double v = GetFlat((o * n + k) * inner + i);
                    if (v > bv && !double.IsNaN(bv)) { bv = v; best = k; }
                    else if (double.IsNaN(v) && !double.IsNaN(bv)) { bv = v; best = k; }
                }
                dst[o * inner + i] = best;
            }
        var outShape = new List<int>(shape);
        outShape.RemoveAt(ax);
        return new NDArray(dst, outShape.ToArray());
    }

    /// <summary>A random permutation of 0..n-1 drawn from <paramref name="rng"/> (np.random.permutation).</summary>
    public static int[] Permutation(int n, RandomState rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        return rng.Permutation(n);
    }

    /// <summary>Element-wise equality count between two same-shaped arrays (for accuracy figures).</summary>
    public static int CountEqual(NDArray a, NDArray b)
    {
        if (!ShapeUtil.SameShape(a.shape, b.shape))
            throw new ArgumentException($"CountEqual: shapes {ShapeUtil.Format(a.shape)} and {ShapeUtil.Format(b.shape)} differ.", nameof(b));
        int c = 0;
        for (int i = 0; i < a.Size; i++) if (a.GetFlat(i) == b.GetFlat(i)) c++;
        return c;
    }
}
