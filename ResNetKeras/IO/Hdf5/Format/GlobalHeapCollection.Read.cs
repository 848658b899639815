namespace ResNetKeras.IO.Hdf5;

internal sealed partial class GlobalHeapCollection
{
    public static GlobalHeapCollection Read(H5FileImage f, ulong address)
    {
        var head = f.At(address, 16, "global heap collection");
        head.Signature("GCOL");
        head.Version(1);
        head.Skip(3);
        ulong size = head.Length();
        if (size < 16) throw head.Error($"collection size {size} is smaller than its header.");
        var c = f.At(address, size, "global heap collection");
        c.Skip(16);
        var result = new GlobalHeapCollection();
        while (c.Remaining >= 16)
        {
            int index = c.U16();
            c.Skip(6); // reference count, reserved
            ulong objectSize = c.Length();
            if (index == 0) break; // free space runs to the end of the collection
            ulong start = c.Position;
            ulong padded = objectSize > c.Remaining ? objectSize : (objectSize + 7) & ~7UL;
            if (padded > c.Remaining) throw c.Error($"object {index} of {objectSize} bytes overruns its collection.");
            c.Skip(padded);
            result.Objects[index] = (start, objectSize);
        }
        return result;
    }
}
