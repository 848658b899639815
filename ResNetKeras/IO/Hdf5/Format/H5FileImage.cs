namespace ResNetKeras.IO.Hdf5;

/// <summary>
/// The whole file in memory with the superblock's base address applied: every structure is read through a
/// bounds-checked <see cref="H5Cursor"/>, so a truncated or corrupted file gives <see cref="InvalidDataException"/>.
/// </summary>
internal sealed class H5FileImage
{
    /// <summary>The undefined address (all bits set), spec II.</summary>
    public const ulong Undefined = ulong.MaxValue;

    public H5FileImage(byte[] data, string source)
    {
        Data = data;
        Source = source;
    }

    public byte[] Data { get; }

    public string Source { get; }

    public ulong Length => (ulong)Data.LongLength;

    /// <summary>Physical offset of address 0 (the superblock's base address, non-zero behind a user block).</summary>
    public ulong BaseAddress { get; set; }

    public InvalidDataException Error(string what) => new($"{Source}: {what}");

    /// <summary>Physical offset of a file address, checked to lie inside the file.</summary>
    public ulong Physical(ulong address, string what)
    {
        if (address == Undefined) throw Error($"{what} has the undefined address.");
        if (address > Length || BaseAddress > Length - address)
            throw Error($"{what} at address {address} lies past the end of the file ({Length} bytes); the file is truncated or corrupted.");
        return BaseAddress + address;
    }

    /// <summary>A cursor over <paramref name="length"/> bytes at a file address.</summary>
    public H5Cursor At(ulong address, ulong length, string what)
    {
        ulong p = Physical(address, what);
        if (length > Length - p)
            throw Error($"{what} at address {address} needs {length} bytes but the file ends after {Length - p}; the file is truncated or corrupted.");
        return new H5Cursor(this, p, p + length, what);
    }

    /// <summary>A cursor from a file address to the end of the file (for structures whose size is read as they go).</summary>
    public H5Cursor At(ulong address, string what)
    {
        ulong p = Physical(address, what);
        return new H5Cursor(this, p, Length, what);
    }

    /// <summary>A cursor over a physical byte range already known to lie in the file.</summary>
    public H5Cursor Range(ulong physicalStart, ulong physicalEnd, string what)
    {
        if (physicalStart > physicalEnd || physicalEnd > Length) throw Error($"{what} lies outside the file.");
        return new H5Cursor(this, physicalStart, physicalEnd, what);
    }

    public ReadOnlySpan<byte> Span(ulong physicalStart, ulong length) => Data.AsSpan(checked((int)physicalStart), checked((int)length));
}
