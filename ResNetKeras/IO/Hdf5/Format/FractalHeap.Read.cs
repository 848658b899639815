namespace ResNetKeras.IO.Hdf5;

internal sealed partial class FractalHeap
{
    public static FractalHeap Read(H5FileImage f, ulong address)
    {
        var c = f.At(address, "fractal heap header");
        ulong start = c.Position;
        c.Signature("FRHP");
        c.Version(0);
        int idLength = c.U16();
        int filterLength = c.U16();
        byte flags = c.U8();
        uint maxManaged = c.U32();
        c.Skip(8 + 8 + 8 + 8 + 8 + 8 + 8 + 8 + 8 + 8 + 8 + 8); // huge-object and space statistics
        int width = c.U16();
        ulong startSize = c.Length();
        ulong maxDirect = c.Length();
        int maxHeapBits = c.U16();
        c.U16(); // starting rows of the root indirect block
        ulong root = c.Address();
        int rows = c.U16();
        if (filterLength != 0) throw c.Error("filtered fractal heaps are not supported.");
        Lookup3.Verify(c, start);
        if (width == 0 || width > 4096 || startSize == 0 || (startSize & (startSize - 1)) != 0 || maxDirect < startSize
            || (maxDirect & (maxDirect - 1)) != 0 || maxHeapBits is < 1 or > 64 || idLength is < 2 or > 1024)
            throw c.Error("the doubling table parameters are invalid.");
        var heap = new FractalHeap(f)
        {
            Address = address, HeapIdLength = idLength, TableWidth = width, StartingBlockSize = startSize,
            MaxDirectBlockSize = maxDirect, MaxHeapSizeBits = maxHeapBits, DirectBlocksChecksummed = (flags & 2) != 0,
            LengthSize = Math.Min(EncodedSize(maxDirect), EncodedSize(maxManaged)),
        };
        if (root != H5FileImage.Undefined)
        {
            if (rows == 0) heap.directBlocks.Add((0, startSize, root));
            else heap.ReadIndirectBlock(root, rows, 0, new HashSet<ulong>());
        }
        return heap;
    }

    private void ReadIndirectBlock(ulong address, int rows, ulong blockOffset, HashSet<ulong> visited)
    {
        if (!visited.Add(address)) throw file.Error($"fractal heap indirect block at address {address} is reached twice (a cycle).");
        if (rows > MaxHeapSizeBits + 1 || rows > 64) throw file.Error($"fractal heap indirect block at address {address} claims {rows} rows.");
        var c = file.At(address, "fractal heap indirect block");
        ulong start = c.Position;
        c.Signature("FHIB");
        c.Version(0);
        if (c.Address() != Address) throw c.Error("its heap header address does not point back at the heap.");
        c.UInt(OffsetSize);
        var children = new List<(ulong Address, int Row, ulong Offset)>();
        ulong offset = blockOffset;
        for (int r = 0; r < rows; r++)
        {
            ulong size = RowBlockSize(r);
            for (int col = 0; col < TableWidth; col++, offset += size)
            {
                ulong child = c.Address();
                if (child != H5FileImage.Undefined) children.Add((child, r, offset));
            }
        }
        Lookup3.Verify(c, start);
        foreach (var (child, row, childOffset) in children)
        {
            ulong size = RowBlockSize(row);
            if (row < MaxDirectRows) directBlocks.Add((childOffset, size, child));
            else ReadIndirectBlock(child, Log2(size) - Log2(StartingBlockSize * (ulong)TableWidth) + 1, childOffset, visited);
        }
    }

    /// <summary>
    /// The physical byte range of the object a heap ID names. <paramref name="idStart"/> is where the ID itself lies
    /// in the file, since tiny objects live inside their ID.
    /// </summary>
    public (ulong Start, ulong Length) Locate(ulong idStart, int idLength)
    {
        var id = file.Range(idStart, idStart + (ulong)idLength, "fractal heap ID");
        byte first = id.U8();
        if ((first >> 6) != 0) throw id.Error($"heap ID version {first >> 6} is not supported.");
        int type = (first >> 4) & 3;
        if (type == 2)
        {
            int tiny = (first & 0x0f) + 1;
            if ((ulong)tiny > id.Remaining) throw id.Error("tiny object is longer than its heap ID.");
            return (id.Position, (ulong)tiny);
        }
        if (type != 0) throw id.Error(type == 1 ? "huge fractal heap objects are not supported." : $"heap ID type {type} is not valid.");
        ulong offset = id.UInt(OffsetSize);
        ulong length = id.UInt(LengthSize);
        foreach (var (blockOffset, size, address) in directBlocks)
        {
            if (offset < blockOffset || offset - blockOffset >= size) continue;
            var c = file.At(address, size, "fractal heap direct block");
            ulong start = c.Position;
            c.Signature("FHDB");
            c.Version(0);
            if (c.Address() != Address) throw c.Error("its heap header address does not point back at the heap.");
            if (c.UInt(OffsetSize) != blockOffset) throw c.Error("its block offset disagrees with the heap's doubling table.");
            if (DirectBlocksChecksummed && verifiedBlocks.Add(address))
            {
                // The checksum covers the whole block with the checksum field taken as zero.
                ulong sumAt = c.Position;
                uint stored = c.U32();
                var copy = file.Span(start, size).ToArray();
                Array.Clear(copy, (int)(sumAt - start), 4);
                if (Lookup3.Hash(copy) != stored) throw c.Error("checksum mismatch; the file is corrupted.");
            }
            ulong within = offset - blockOffset;
            if (within < c.Position - start || length > size - within)
                throw c.Error($"object at heap offset {offset} of length {length} does not fit its direct block.");
            return (start + within, length);
        }
        throw file.Error($"fractal heap at address {Address}: object offset {offset} lies in no direct block.");
    }
}
