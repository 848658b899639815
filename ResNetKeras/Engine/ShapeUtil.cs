namespace ResNetKeras.Engine;

/// <summary>Shape arithmetic shared by NDArray, Tensor and the ops.</summary>
public static class ShapeUtil
{
    /// <summary>Number of elements of a shape (1 for a scalar); throws on negative dimensions or overflow.</summary>
    public static int Size(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (int d in shape)
        {
            if (d < 0)
                throw new ArgumentException($"Shape {Format(shape)} has a negative dimension; expected dimensions >= 0.", nameof(shape));
            n *= d;
            if (n > int.MaxValue)
                throw new ArgumentException($"Shape {Format(shape)} has more than {int.MaxValue} elements.", nameof(shape));
        }
        return (int)n;
    }

    /// <summary>Row-major strides, in elements.</summary>
    public static int[] Strides(ReadOnlySpan<int> shape)
    {
        var s = new int[shape.Length];
        int acc = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /// <summary>Python tuple text of a shape: <c>(128, 32, 32, 3)</c>, <c>(10,)</c>, <c>()</c>.</summary>
    public static string Format(ReadOnlySpan<int> shape)
    {
        if (shape.Length == 1) return $"({shape[0]},)";
        var parts = new string[shape.Length];
        for (int i = 0; i < shape.Length; i++) parts[i] = shape[i].ToString(System.Globalization.CultureInfo.InvariantCulture);
        return "(" + string.Join(", ", parts) + ")";
    }

    /// <summary>NumPy broadcasting of two shapes; throws naming both shapes when they do not broadcast.</summary>
    public static int[] Broadcast(ReadOnlySpan<int> a, ReadOnlySpan<int> b, string op = "broadcast")
    {
        int rank = Math.Max(a.Length, b.Length);
        var r = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException(
                    $"{op}: shapes {Format(a)} and {Format(b)} cannot be broadcast together; expected equal dimensions or 1 at axis {i - rank}.");
            r[i] = da == 1 ? db : da;
        }
        return r;
    }

    /// <summary>Normalizes a possibly negative axis against a rank.</summary>
    public static int NormalizeAxis(int axis, int rank, string paramName = "axis")
    {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank)
            throw new ArgumentException($"Invalid value for argument `{paramName}`. Expected an axis in [{-rank}, {rank - 1}] for rank {rank}. Received {paramName}={axis}.", paramName);
        return a;
    }

    /// <summary>Resolves one -1 in a target shape given the element count.</summary>
    public static int[] ResolveReshape(ReadOnlySpan<int> from, int[] to)
    {
        int size = Size(from);
        int unknown = -1;
        long known = 1;
        for (int i = 0; i < to.Length; i++)
        {
            if (to[i] == -1)
            {
                if (unknown >= 0)
                    throw new ArgumentException($"reshape: can only specify one unknown dimension; received newshape={Format(to)}.", "shape");
                unknown = i;
            }
            else if (to[i] < 0)
                throw new ArgumentException($"reshape: received newshape={Format(to)}; expected dimensions >= 0 or a single -1.", "shape");
            else known *= to[i];
        }
        var r = (int[])to.Clone();
        if (unknown >= 0)
        {
            if (known == 0 || size % known != 0)
                throw new ArgumentException($"reshape: cannot reshape array of size {size} (shape {Format(from)}) into shape {Format(to)}.", "shape");
            r[unknown] = (int)(size / known);
        }
        else if (known != size)
            throw new ArgumentException($"reshape: cannot reshape array of size {size} (shape {Format(from)}) into shape {Format(to)}.", "shape");
        return r;
    }

    /// <summary>True when both shapes have the same rank and dimensions.</summary>
    public static bool SameShape(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);
}
