using System.Runtime.InteropServices;
using ResNetKeras.Engine;

namespace ResNetKeras.Tests;

/// <summary>
/// Test-side construction of NumSharp arrays from C# literals, with the engine's int shapes and dtypes (the old
/// ResNetKeras NDArray spellings the tests were written in, so their expectations stay byte for byte unchanged).
/// </summary>
internal static class ND
{
    /// <summary>A new array holding a copy of <paramref name="data"/>; no shape and more than one value gives 1-D.</summary>
    public static NDArray Of(float[] data, params int[] shape) => NDArrays.FromSpan<float>(data, Shape(data.Length, shape));

    public static NDArray Of(double[] data, params int[] shape) => NDArrays.FromSpan<double>(data, Shape(data.Length, shape));

    public static NDArray Of(byte[] data, params int[] shape) => NDArrays.FromSpan<byte>(data, Shape(data.Length, shape));

    public static NDArray Of(int[] data, params int[] shape) => NDArrays.FromSpan<int>(data, Shape(data.Length, shape));

    public static NDArray Of(long[] data, params int[] shape) => NDArrays.FromSpan<long>(data, Shape(data.Length, shape));

    private static int[] Shape(int length, int[] shape) => shape.Length == 0 && length != 1 ? [length] : shape;

    public static NDArray Zeros(int[] shape, DType dtype = DType.Float32) => NDArrays.Zeros(shape, dtype);

    public static NDArray Full(int[] shape, double value, DType dtype = DType.Float32)
    {
        var a = NDArrays.Zeros(shape, dtype);
        a.Fill(value);
        return a;
    }

    public static NDArray Ones(int[] shape, DType dtype = DType.Float32) => Full(shape, 1, dtype);

    public static NDArray Scalar(float value) => NDArrays.FromSpan<float>([value]);

    public static NDArray Concatenate(IReadOnlyList<NDArray> arrays, int axis = 0) => np.concatenate(arrays.ToArray(), axis);
}

/// <summary>Element access for assertions: copies out, never aliases the unmanaged memory.</summary>
internal static class TestArrayExtensions
{
    extension(NDArray a)
    {
        /// <summary>A copy of the elements as float32 (converted from any dtype), row-major.</summary>
        public float[] Float32Data
        {
            get
            {
                var r = new float[a.Size];
                a.CopyToFloat32(r);
                return r;
            }
        }

        public double GetDouble(params int[] index) => Convert.ToDouble(a.GetValue(index));

        public void SetDouble(double value, params int[] index) => a.SetFlat(FlatIndex(a.IntShape, index), value);

        public void SetFlat(int index, double value)
        {
            switch (a.typecode)
            {
                case NumSharp.NPTypeCode.Single: a.WriteSpan<float>()[index] = (float)value; break;
                case NumSharp.NPTypeCode.Double: a.WriteSpan<double>()[index] = value; break;
                case NumSharp.NPTypeCode.Byte: a.WriteSpan<byte>()[index] = unchecked((byte)(long)value); break;
                case NumSharp.NPTypeCode.Int32: a.WriteSpan<int>()[index] = unchecked((int)(long)value); break;
                case NumSharp.NPTypeCode.Int64: a.WriteSpan<long>()[index] = (long)value; break;
                default: throw new ArgumentException("unsupported dtype");
            }
        }

        public void Fill(double value)
        {
            for (int i = 0; i < a.Size; i++) a.SetFlat(i, value);
        }

        /// <summary>The one value of a one-element array, as double.</summary>
        public double Item() => a.Size == 1 ? a.GetFlat(0) : throw new InvalidOperationException($"Item: {a.Size} elements");

        public NDArray Copy() => a.copy();

        public NDArray Reshape(params int[] shape) => a.reshape(shape.Select(d => (long)d).ToArray());

        public NDArray Transpose(params int[] perm) => np.ascontiguousarray(perm.Length == 0 ? a.transpose() : a.transpose(perm));

        public NDArray Sum(int[]? axes = null, bool keepDims = false) => np.sum(a, axes, keepdims: keepDims);

        public NDArray Mean(int[]? axes = null, bool keepDims = false) => np.mean(a, axes, keepdims: keepDims);

        public NDArray Mean(int axis, bool keepDims = false) => np.mean(a, axis, keepdims: keepDims);

        public NDArray Std(int[]? axes = null, bool keepDims = false) => np.std(a, axes, keepdims: keepDims);

        public NDArray Std(int axis, bool keepDims = false) => np.std(a, axis, keepdims: keepDims);

        public NDArray Max(int[]? axes = null, bool keepDims = false) => np.amax(a, axes, keepdims: keepDims);

        public NDArray Min(int[]? axes = null, bool keepDims = false) => np.amin(a, axes, keepdims: keepDims);
    }

    private static int FlatIndex(int[] shape, int[] index)
    {
        int flat = 0;
        for (int i = 0; i < index.Length; i++) flat = flat * shape[i] + (index[i] < 0 ? index[i] + shape[i] : index[i]);
        return flat;
    }
}
