namespace ResNetKeras.IO.Hdf5;

/// <summary>Dataspace message 0x0001 (spec IV.A.2.b): scalar, simple (dimensions and optional maximum dimensions) or null.</summary>
internal sealed partial class DataspaceMessage
{
    public const int MaxRank = 32;

    public ulong[] Dimensions { get; init; } = [];

    /// <summary>Maximum dimensions; null when absent (equal to <see cref="Dimensions"/>). <see cref="H5FileImage.Undefined"/> is unlimited.</summary>
    public ulong[]? MaxDimensions { get; init; }

    /// <summary>A null dataspace: no elements at all (h5py's <c>Empty</c>).</summary>
    public bool IsNull { get; init; }

    public ulong ElementCount
    {
        get
        {
            if (IsNull) return 0;
            ulong n = 1;
            foreach (ulong d in Dimensions) n = d == 0 ? 0 : (n > ulong.MaxValue / d ? ulong.MaxValue : n * d);
            return n;
        }
    }
}
