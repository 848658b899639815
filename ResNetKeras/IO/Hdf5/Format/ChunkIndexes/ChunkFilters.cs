using System.Buffers.Binary;
using System.IO.Compression;

namespace ResNetKeras.IO.Hdf5;

/// <summary>
/// Undoes a chunk's filter pipeline, last filter first: fletcher32 (checks and strips the checksum), deflate
/// (zlib, via <see cref="ZLibStream"/>, never inflating past the chunk size) and shuffle (byte planes back to elements).
/// </summary>
internal static class ChunkFilters
{
    public static byte[] Decode(H5FileImage f, byte[] stored, FilterPipelineMessage pipeline, uint mask, ulong chunkBytes, int elementSize, string what)
    {
        var data = stored;
        for (int i = pipeline.Filters.Length - 1; i >= 0; i--)
        {
            if (i < 32 && (mask & (1u << i)) != 0) continue;
            var filter = pipeline.Filters[i];
            data = filter.Id switch
            {
                FilterPipelineMessage.Fletcher32 => CheckFletcher32(f, data, what),
                FilterPipelineMessage.Deflate => Inflate(f, data, chunkBytes, what),
                FilterPipelineMessage.Shuffle => Unshuffle(data, elementSize),
                _ => throw f.Error($"{what}: HDF5 filter {filter.Id} is not supported (supported: deflate 1, shuffle 2, fletcher32 3).{(filter.Id == 32001 ? " Filter 32001 is Blosc." : filter.Id == 32004 ? " Filter 32004 is LZ4." : "")}"),
            };
        }
        return data;
    }

    private static byte[] CheckFletcher32(H5FileImage f, byte[] data, string what)
    {
        if (data.Length < 4) throw f.Error($"{what}: a fletcher32-checked chunk of {data.Length} bytes is too short.");
        var body = data.AsSpan(0, data.Length - 4);
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(data.Length - 4));
        uint computed = Fletcher32.Compute(body);
        // libhdf5 also accepts the byte-swapped sum that releases before 1.6.3 wrote on little-endian machines.
        if (stored != computed && stored != BinaryPrimitives.ReverseEndianness(computed))
            throw f.Error($"{what}: fletcher32 checksum mismatch (stored 0x{stored:x8}, computed 0x{computed:x8}); the chunk is corrupted.");
        return body.ToArray();
    }

    private static byte[] Inflate(H5FileImage f, byte[] data, ulong chunkBytes, string what)
    {
        var output = new byte[chunkBytes];
        int read = 0;
        try
        {
            using var z = new ZLibStream(new MemoryStream(data, writable: false), CompressionMode.Decompress);
            while (read < output.Length)
            {
                int r = z.Read(output, read, output.Length - read);
                if (r <= 0) break;
                read += r;
            }
            if (read == output.Length && z.ReadByte() >= 0)
                throw f.Error($"{what}: a deflate-compressed chunk inflates to more than the chunk's {chunkBytes} bytes.");
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(f.Source, StringComparison.Ordinal))
        {
            throw f.Error($"{what}: a deflate-compressed chunk is corrupted ({e.Message}).");
        }
        catch (IOException e)
        {
            throw f.Error($"{what}: a deflate-compressed chunk is corrupted ({e.Message}).");
        }
        return read == output.Length ? output : output[..read];
    }

    private static byte[] Unshuffle(byte[] data, int elementSize)
    {
        if (elementSize <= 1 || data.Length < elementSize) return data;
        int n = data.Length / elementSize;
        var output = new byte[data.Length];
        for (int b = 0; b < elementSize; b++)
        {
            int plane = b * n;
            for (int i = 0; i < n; i++) output[i * elementSize + b] = data[plane + i];
        }
        // Bytes past the last whole element are left in place, as libhdf5's shuffle does.
        Array.Copy(data, n * elementSize, output, n * elementSize, data.Length - n * elementSize);
        return output;
    }
}
