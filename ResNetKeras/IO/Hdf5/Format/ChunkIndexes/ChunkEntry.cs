namespace ResNetKeras.IO.Hdf5;

/// <summary>One stored chunk as an index names it: where it is, its stored size, which filters were skipped, and its position in chunk units.</summary>
internal readonly record struct ChunkEntry(ulong Address, ulong Size, uint FilterMask, ulong[] Scaled);
