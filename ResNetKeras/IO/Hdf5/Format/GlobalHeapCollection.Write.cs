namespace ResNetKeras.IO.Hdf5;

internal sealed partial class GlobalHeapCollection
{
    /// <summary>Writes a collection holding <paramref name="objects"/> as indexes 1, 2, ...; returns its address.</summary>
    public static ulong Write(H5ByteWriter w, IReadOnlyList<byte[]> objects)
    {
        if (objects.Count > ushort.MaxValue) throw new InvalidOperationException("too many objects for one global heap collection.");
        long used = 16 + objects.Sum(o => 16L + ((o.Length + 7) & ~7));
        // The free-space object needs its own 16-byte header after the last object.
        long size = Math.Max(MinimumSize, used + 16);
        size = (size + 7) & ~7L;
        ulong at = w.Align8();
        int start = w.Length;
        w.Ascii("GCOL");
        w.U8(1);
        w.Zeros(3);
        w.U64((ulong)size);
        for (int i = 0; i < objects.Count; i++)
        {
            w.U16(i + 1);
            w.U16(1); // reference count
            w.U32(0);
            w.U64((ulong)objects[i].Length);
            w.Bytes(objects[i]);
            w.PadFrom(start, 8);
        }
        long free = size - (w.Length - start);
        w.U16(0);
        w.U16(0);
        w.U32(0);
        w.U64((ulong)free);
        w.Zeros((int)(free - 16));
        return at;
    }
}
