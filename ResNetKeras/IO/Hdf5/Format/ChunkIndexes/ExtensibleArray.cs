namespace ResNetKeras.IO.Hdf5;

/// <summary>
/// Extensible array chunk index (spec VII.A, layout index type 4, datasets with one unlimited dimension): header
/// "EAHD", index block "EAIB" (the first elements and the first data block addresses), super blocks "EASB" (further
/// data block addresses) and data blocks "EADB" (elements). Block sizes follow libhdf5's doubling geometry:
/// super block u holds 2^(u/2) data blocks of 2^((u+1)/2) × (minimum data block elements) elements.
/// Paged data blocks (more than 2^pageBits elements, i.e. very large arrays) are refused.
/// </summary>
internal static class ExtensibleArray
{
    public static List<(ulong Index, ulong Address, ulong Size, uint Mask)> Read(H5FileImage f, ulong address, ulong maxChunks, bool filtered, ulong chunkBytes)
    {
        var c = f.At(address, "extensible array header");
        ulong start = c.Position;
        c.Signature("EAHD");
        c.Version(0);
        int client = c.U8();
        int entrySize = c.U8();
        int maxBits = c.U8();
        int indexElements = c.U8();
        int minDataElements = c.U8();
        int minPointers = c.U8();
        int pageBits = c.U8();
        c.Skip(8 * 4); // super block and data block statistics
        ulong maxIndexSet = c.Length();
        c.Length(); // elements realized
        ulong indexBlock = c.Address();
        Lookup3.Verify(c, start);
        if (client != (filtered ? 1 : 0)) throw c.Error($"client {client} does not match a {(filtered ? "filtered" : "unfiltered")} dataset.");
        int sizeLength = FixedArray.ExpectEntry(c, entrySize, filtered);
        if (maxBits is < 1 or > 64 || minDataElements == 0 || (minDataElements & (minDataElements - 1)) != 0
            || minPointers < 2 || (minPointers & (minPointers - 1)) != 0 || FractalHeap.Log2((ulong)minDataElements) > maxBits || pageBits > 32)
            throw c.Error("the creation parameters are invalid.");
        if (maxIndexSet > maxChunks) throw c.Error($"{maxIndexSet} elements exceed the dataset's {maxChunks} chunks.");
        var result = new List<(ulong, ulong, ulong, uint)>();
        if (indexBlock == H5FileImage.Undefined || maxIndexSet == 0) return result;

        int superBlocks = 1 + maxBits - FractalHeap.Log2((ulong)minDataElements);
        int indexSuperBlocks = 2 * FractalHeap.Log2((ulong)minPointers);
        int dataBlockAddresses = 2 * (minPointers - 1);
        int superBlockAddresses = Math.Max(0, superBlocks - indexSuperBlocks);
        int offsetSize = (maxBits + 7) / 8;

        var ib = f.At(indexBlock, "extensible array index block");
        ulong ibStart = ib.Position;
        ib.Signature("EAIB");
        ib.Version(0);
        if (ib.U8() != client) throw ib.Error("client differs from the header's.");
        if (ib.Address() != address) throw ib.Error("its header address does not point back at the header.");
        var elements = ib.Sub((ulong)indexElements * (ulong)entrySize, "extensible array index block elements");
        var dataBlocks = new ulong[dataBlockAddresses];
        for (int i = 0; i < dataBlocks.Length; i++) dataBlocks[i] = ib.Address();
        var superAddresses = new ulong[superBlockAddresses];
        for (int i = 0; i < superAddresses.Length; i++) superAddresses[i] = ib.Address();
        Lookup3.Verify(ib, ibStart);
        FixedArray.ReadElements(elements, 0, Math.Min((ulong)indexElements, maxIndexSet), filtered, sizeLength, chunkBytes, result);

        ulong index = (ulong)indexElements;
        int globalDataBlock = 0;
        for (int u = 0; u < superBlocks && index < maxIndexSet; u++)
        {
            ulong blocks = 1UL << (u / 2);
            ulong blockElements = (1UL << ((u + 1) / 2)) * (ulong)minDataElements;
            ulong[]? addresses;
            if (u < indexSuperBlocks)
            {
                addresses = new ulong[blocks];
                for (ulong k = 0; k < blocks; k++)
                    addresses[k] = globalDataBlock + (int)k < dataBlocks.Length ? dataBlocks[globalDataBlock + (int)k] : H5FileImage.Undefined;
            }
            else addresses = ReadSuperBlock(f, superAddresses[u - indexSuperBlocks], address, client, offsetSize, blocks, blockElements, pageBits);
            globalDataBlock += (int)Math.Min(blocks, int.MaxValue);
            if (addresses is null)
            {
                // An unallocated super block: none of its chunks were written.
                index = blocks > (ulong.MaxValue - index) / blockElements ? ulong.MaxValue : index + blocks * blockElements;
                continue;
            }
            foreach (ulong block in addresses)
            {
                if (index >= maxIndexSet) break;
                ulong n = Math.Min(blockElements, maxIndexSet - index);
                if (block != H5FileImage.Undefined)
                {
                    if (blockElements > (1UL << pageBits)) throw f.Error("extensible array: paged data blocks (very large chunk counts) are not supported.");
                    var d = f.At(block, "extensible array data block");
                    ulong dstart = d.Position;
                    d.Signature("EADB");
                    d.Version(0);
                    if (d.U8() != client) throw d.Error("client differs from the header's.");
                    if (d.Address() != address) throw d.Error("its header address does not point back at the header.");
                    d.UInt(offsetSize);
                    var blockElementsCursor = d.Sub(blockElements * (ulong)entrySize, "extensible array data block elements");
                    Lookup3.Verify(d, dstart);
                    FixedArray.ReadElements(blockElementsCursor, index, n, filtered, sizeLength, chunkBytes, result);
                }
                index += blockElements;
            }
        }
        return result;
    }

    private static ulong[]? ReadSuperBlock(H5FileImage f, ulong address, ulong header, int client, int offsetSize, ulong blocks, ulong blockElements, int pageBits)
    {
        if (address == H5FileImage.Undefined) return null;
        if (blockElements > (1UL << pageBits)) throw f.Error("extensible array: paged data blocks (very large chunk counts) are not supported.");
        var c = f.At(address, "extensible array super block");
        ulong start = c.Position;
        c.Signature("EASB");
        c.Version(0);
        if (c.U8() != client) throw c.Error("client differs from the header's.");
        if (c.Address() != header) throw c.Error("its header address does not point back at the header.");
        c.UInt(offsetSize);
        if (blocks > c.Remaining / 8) throw c.Error($"{blocks} data block addresses do not fit in the file.");
        var result = new ulong[blocks];
        for (ulong i = 0; i < blocks; i++) result[i] = c.Address();
        Lookup3.Verify(c, start);
        return result;
    }
}
