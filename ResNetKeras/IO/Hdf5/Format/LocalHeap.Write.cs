using System.Text;

namespace ResNetKeras.IO.Hdf5;

internal sealed partial class LocalHeap
{
    /// <summary>
    /// Writes the data segment (the empty name at offset 0, then each name NUL-terminated and padded to 8) and the
    /// heap header; returns the header address and each name's offset.
    /// </summary>
    public static (ulong Address, ulong[] Offsets) Write(H5ByteWriter w, IReadOnlyList<string> names)
    {
        var offsets = new ulong[names.Count];
        ulong dataAt = w.Align8();
        int start = w.Length;
        w.Zeros(8);
        for (int i = 0; i < names.Count; i++)
        {
            offsets[i] = (ulong)(w.Length - start);
            w.Bytes(Encoding.UTF8.GetBytes(names[i]));
            w.U8(0);
            w.PadFrom(start, 8);
        }
        ulong size = (ulong)(w.Length - start);
        ulong at = w.Align8();
        w.Ascii("HEAP");
        w.U8(0);
        w.Zeros(3);
        w.U64(size);
        // No free block: libhdf5 writes H5HL_FREE_NULL (1) here, not the undefined address.
        w.U64(1);
        w.U64(dataAt);
        return (at, offsets);
    }
}
