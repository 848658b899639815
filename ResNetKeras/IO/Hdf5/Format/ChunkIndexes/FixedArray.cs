namespace ResNetKeras.IO.Hdf5;

/// <summary>
/// Fixed array chunk index (spec VII.B, layout index type 3): header "FAHD" and data block "FADB", whose elements
/// (one per chunk in row-major chunk order) are the chunk addresses, with stored size and filter mask when filtered.
/// Data blocks of more than 2^pageBits elements are split into checksummed pages.
/// </summary>
internal static class FixedArray
{
    /// <summary>The element of each chunk index; entries whose address is undefined are left out.</summary>
    public static List<(ulong Index, ulong Address, ulong Size, uint Mask)> Read(H5FileImage f, ulong address, ulong maxChunks, bool filtered, ulong chunkBytes)
    {
        var c = f.At(address, "fixed array header");
        ulong start = c.Position;
        c.Signature("FAHD");
        c.Version(0);
        int client = c.U8();
        int entrySize = c.U8();
        int pageBits = c.U8();
        ulong count = c.Length();
        ulong block = c.Address();
        Lookup3.Verify(c, start);
        if (client != (filtered ? 1 : 0)) throw c.Error($"client {client} does not match a {(filtered ? "filtered" : "unfiltered")} dataset.");
        int sizeLength = ExpectEntry(c, entrySize, filtered);
        if (count > maxChunks) throw c.Error($"{count} elements exceed the dataset's {maxChunks} chunks.");
        if (pageBits is < 1 or > 32) throw c.Error($"page size of 2^{pageBits} elements is not valid.");
        var result = new List<(ulong, ulong, ulong, uint)>();
        if (block == H5FileImage.Undefined || count == 0) return result;

        var d = f.At(block, "fixed array data block");
        ulong dstart = d.Position;
        d.Signature("FADB");
        d.Version(0);
        if (d.U8() != client) throw d.Error("client differs from the header's.");
        if (d.Address() != address) throw d.Error("its header address does not point back at the header.");
        ulong pageElements = 1UL << pageBits;
        if (count <= pageElements)
        {
            var elements = d.Sub(count * (ulong)entrySize, "fixed array elements");
            Lookup3.Verify(d, dstart);
            ReadElements(elements, 0, count, filtered, sizeLength, chunkBytes, result);
            return result;
        }
        ulong pages = (count + pageElements - 1) / pageElements;
        var bitmap = d.Bytes((pages + 7) / 8).ToArray();
        Lookup3.Verify(d, dstart);
        for (ulong p = 0; p < pages; p++)
        {
            ulong n = Math.Min(pageElements, count - p * pageElements);
            ulong pstart = d.Position;
            var elements = d.Sub(n * (ulong)entrySize, "fixed array page");
            Lookup3.Verify(d, pstart);
            if ((bitmap[p / 8] & (0x80 >> (int)(p % 8))) != 0) ReadElements(elements, p * pageElements, n, filtered, sizeLength, chunkBytes, result);
        }
        return result;
    }

    /// <summary>Checks an element's size: an address, plus for filtered chunks a size field and a 4-byte mask; returns the size field's length.</summary>
    internal static int ExpectEntry(H5Cursor c, int entrySize, bool filtered)
    {
        int sizeLength = filtered ? entrySize - 12 : 0;
        if ((!filtered && entrySize != 8) || (filtered && sizeLength is < 1 or > 8))
            throw c.Error($"element size {entrySize} is not valid for {(filtered ? "filtered" : "unfiltered")} chunks.");
        return sizeLength;
    }

    internal static void ReadElements(H5Cursor c, ulong firstIndex, ulong count, bool filtered, int sizeLength, ulong chunkBytes, List<(ulong, ulong, ulong, uint)> result)
    {
        for (ulong i = 0; i < count; i++)
        {
            ulong chunk = c.Address();
            ulong size = chunkBytes;
            uint mask = 0;
            if (filtered)
            {
                size = c.UInt(sizeLength);
                mask = c.U32();
            }
            if (chunk != H5FileImage.Undefined) result.Add((firstIndex + i, chunk, size, mask));
        }
    }
}
