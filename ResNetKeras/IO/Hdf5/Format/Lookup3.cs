namespace ResNetKeras.IO.Hdf5;

/// <summary>
/// Bob Jenkins' lookup3 <c>hashlittle</c> with initial value 0: the metadata checksum of every version-2 structure
/// (spec I.C, "Checksums"), and the hash of names in the v2 B-tree name indexes.
/// </summary>
internal static class Lookup3
{
    public static uint Hash(ReadOnlySpan<byte> k, uint initval = 0)
    {
        uint a, b, c;
        a = b = c = 0xdeadbeef + (uint)k.Length + initval;
        int length = k.Length, i = 0;
        while (length > 12)
        {
            a += k[i] + ((uint)k[i + 1] << 8) + ((uint)k[i + 2] << 16) + ((uint)k[i + 3] << 24);
            b += k[i + 4] + ((uint)k[i + 5] << 8) + ((uint)k[i + 6] << 16) + ((uint)k[i + 7] << 24);
            c += k[i + 8] + ((uint)k[i + 9] << 8) + ((uint)k[i + 10] << 16) + ((uint)k[i + 11] << 24);
            Mix(ref a, ref b, ref c);
            length -= 12;
            i += 12;
        }
        switch (length)
        {
            case 12: c += (uint)k[i + 11] << 24; goto case 11;
            case 11: c += (uint)k[i + 10] << 16; goto case 10;
            case 10: c += (uint)k[i + 9] << 8; goto case 9;
            case 9: c += k[i + 8]; goto case 8;
            case 8: b += (uint)k[i + 7] << 24; goto case 7;
            case 7: b += (uint)k[i + 6] << 16; goto case 6;
            case 6: b += (uint)k[i + 5] << 8; goto case 5;
            case 5: b += k[i + 4]; goto case 4;
            case 4: a += (uint)k[i + 3] << 24; goto case 3;
            case 3: a += (uint)k[i + 2] << 16; goto case 2;
            case 2: a += (uint)k[i + 1] << 8; goto case 1;
            case 1: a += k[i]; break;
            case 0: return c;
        }
        Final(ref a, ref b, ref c);
        return c;
    }

    private static uint Rot(uint x, int k) => (x << k) | (x >> (32 - k));

    private static void Mix(ref uint a, ref uint b, ref uint c)
    {
        a -= c; a ^= Rot(c, 4); c += b;
        b -= a; b ^= Rot(a, 6); a += c;
        c -= b; c ^= Rot(b, 8); b += a;
        a -= c; a ^= Rot(c, 16); c += b;
        b -= a; b ^= Rot(a, 19); a += c;
        c -= b; c ^= Rot(b, 4); b += a;
    }

    private static void Final(ref uint a, ref uint b, ref uint c)
    {
        c ^= b; c -= Rot(b, 14);
        a ^= c; a -= Rot(c, 11);
        b ^= a; b -= Rot(a, 25);
        c ^= b; c -= Rot(b, 16);
        a ^= c; a -= Rot(c, 4);
        b ^= a; b -= Rot(a, 14);
        c ^= b; c -= Rot(b, 24);
    }

    /// <summary>Checks the 4-byte checksum that follows the bytes [start, cursor position) and moves past it.</summary>
    public static void Verify(H5Cursor c, ulong start)
    {
        ulong end = c.Position;
        uint stored = c.U32();
        uint computed = Hash(c.File.Span(start, end - start));
        if (stored != computed)
            throw c.Error($"checksum mismatch (stored 0x{stored:x8}, computed 0x{computed:x8}); the file is corrupted.");
    }
}
