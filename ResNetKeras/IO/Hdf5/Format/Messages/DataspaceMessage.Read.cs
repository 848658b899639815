namespace ResNetKeras.IO.Hdf5;

internal sealed partial class DataspaceMessage
{
    public static DataspaceMessage Read(H5Cursor c)
    {
        byte version = c.Version(1, 2);
        int rank = c.U8();
        byte flags = c.U8();
        bool isNull = false;
        if (version == 1) c.Skip(5);
        else isNull = c.U8() == 2;
        if (rank > MaxRank) throw c.Error($"rank {rank} exceeds the HDF5 maximum of {MaxRank}.");
        var dims = new ulong[rank];
        for (int i = 0; i < rank; i++) dims[i] = c.Length();
        ulong[]? max = null;
        if ((flags & 1) != 0)
        {
            max = new ulong[rank];
            for (int i = 0; i < rank; i++) max[i] = c.Length();
        }
        return new DataspaceMessage { Dimensions = dims, MaxDimensions = max, IsNull = isNull };
    }
}
