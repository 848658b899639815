using ResNetKeras.Engine;

namespace ResNetKeras.IO.Hdf5;

/// <summary>A dataset being built by <see cref="H5Writer"/>: a contiguous array (h5py's <c>create_dataset(name, data=...)</c>) and its attributes.</summary>
public sealed class H5WriterDataset : H5WriterObject
{
    // The array handed to CreateDataset: written out by Save, owned by whoever made it.
    internal H5WriterDataset(NDArray data) => Data = data;

    /// <summary>The values written (float32, float64, uint8, int32 or int64; a 0-d array is a scalar dataset).</summary>
    [NumSharp.NDBorrowed]
    public NDArray Data { get; }
}
