namespace ResNetKeras.Engine;

/// <summary>
/// A concrete float32 tensor: the value that ops compute on and that <see cref="GradientTape"/>
/// differentiates (TensorFlow's eager <c>tf.Tensor</c>). Contiguous, row-major, NHWC for images.
/// </summary>
public sealed class Tensor
{
    private readonly int[] shape;

    /// <summary>A tensor over <paramref name="data"/> (not copied).</summary>
    public Tensor(float[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        int size = ShapeUtil.Size(shape);
        if (data.Length != size)
            throw new ArgumentException($"Tensor: data has {data.Length} elements but shape {ShapeUtil.Format(shape)} needs {size}.", nameof(shape));
        Data = data;
        this.shape = (int[])shape.Clone();
    }

    /// <summary>A zero-filled tensor.</summary>
    public static Tensor Zeros(params int[] shape) => new(new float[ShapeUtil.Size(shape)], shape);

    /// <summary>An op output buffer: pooled inside a <see cref="TensorScope"/>, zeroed when asked.</summary>
    internal static Tensor Rent(int[] shape, bool zeroed) => new(TensorScope.Allocate(ShapeUtil.Size(shape), zeroed), shape);

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static Tensor Full(int[] shape, float value)
    {
        var t = Zeros(shape);
        Array.Fill(t.Data, value);
        return t;
    }

    /// <summary>A 0-d tensor.</summary>
    public static Tensor Scalar(float value) => new([value]);

    /// <summary>A float32 tensor from an array of any dtype (float32 storage is shared, others are converted).</summary>
    public static Tensor FromNDArray(NDArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        var f = array.DType == DType.Float32 ? array : array.AsType(DType.Float32);
        return new Tensor(f.Float32Data, f.Shape);
    }

    /// <summary>The elements, row-major (shared, not copied).</summary>
    public float[] Data { get; }

    /// <summary>Dimensions (a copy).</summary>
    public int[] Shape => (int[])shape.Clone();

    /// <summary>Dimensions without copying.</summary>
    public ReadOnlySpan<int> ShapeSpan => shape;

    /// <summary>Number of dimensions.</summary>
    public int Rank => shape.Length;

    /// <summary>Number of elements.</summary>
    public int Size => Data.Length;

    /// <summary>Length of one axis (negative counts from the end).</summary>
    public int Dim(int axis) => shape[ShapeUtil.NormalizeAxis(axis, shape.Length)];

    /// <summary>The single value of a one-element tensor.</summary>
    public float Item()
    {
        if (Size != 1) throw new InvalidOperationException($"Tensor.Item: expected a one-element tensor; this one has shape {ShapeUtil.Format(shape)}.");
        return Data[0];
    }

    /// <summary>An NDArray sharing this tensor's storage.</summary>
    public NDArray ToNDArray() => new(Data, shape);

    /// <summary>A deep copy (not recorded on any tape).</summary>
    public Tensor Copy() => new((float[])Data.Clone(), shape);

    /// <inheritdoc/>
    public override string ToString() => $"Tensor(shape={ShapeUtil.Format(shape)})";
}
