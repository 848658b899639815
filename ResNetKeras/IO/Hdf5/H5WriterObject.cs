using ResNetKeras.Engine;

namespace ResNetKeras.IO.Hdf5;

/// <summary>A group or dataset being built by <see cref="H5Writer"/>: the attributes both can carry (h5py's <c>attrs[name] = value</c>).</summary>
public abstract class H5WriterObject
{
    private protected H5WriterObject() { }

    internal List<(string Name, object Value)> Attributes { get; } = new();

    /// <summary>A scalar variable-length UTF-8 string attribute (what h5py 3 writes for a Python str).</summary>
    public void SetAttribute(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Set(name, value);
    }

    /// <summary>
    /// A string array attribute: fixed-length NUL-padded strings (NumPy's <c>S</c> dtype, as h5py 2 wrote Keras's
    /// name lists) or, with <paramref name="variableLength"/>, variable-length UTF-8 strings (as h5py 3 writes them).
    /// An empty list is stored as an empty float64 array, as Keras does.
    /// </summary>
    public void SetAttribute(string name, IReadOnlyList<string> values, bool variableLength = false)
    {
        ArgumentNullException.ThrowIfNull(values);
        for (int i = 0; i < values.Count; i++)
            if (values[i] is null) throw new ArgumentException($"H5Writer: attribute '{name}' has a null string at index {i}.", nameof(values));
        // Typed object on purpose: NumSharp converts string[] to a NumPy 'U' array implicitly, which is not an HDF5 string.
        Set(name, values.Count == 0 ? NDArrays.Zeros([0], DType.Float64) : variableLength ? new VariableLengthStrings(values.ToArray()) : (object)values.ToArray());
    }

    /// <summary>
    /// A string array attribute (see the <see cref="IReadOnlyList{T}"/> overload). Declared for <c>string[]</c> itself because
    /// NumSharp converts <c>string[]</c> to <see cref="NDArray"/> implicitly, which would otherwise win overload resolution.
    /// </summary>
    public void SetAttribute(string name, string[] values, bool variableLength = false) =>
        SetAttribute(name, (IReadOnlyList<string>)values, variableLength);

    /// <summary>A numeric attribute of any shape (a 0-d array is a scalar attribute).</summary>
    public void SetAttribute(string name, NDArray values)
    {
        ArgumentNullException.ThrowIfNull(values);
        Set(name, values);
    }

    private void Set(string name, object value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        int i = Attributes.FindIndex(a => a.Name == name);
        if (i >= 0) Attributes[i] = (name, value);
        else Attributes.Add((name, value));
    }

    internal sealed record VariableLengthStrings(string[] Values);
}
