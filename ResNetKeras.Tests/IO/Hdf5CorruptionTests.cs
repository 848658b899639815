using ResNetKeras.Engine;
using ResNetKeras.IO.Hdf5;

namespace ResNetKeras.Tests.IO;

/// <summary>Truncated and corrupted HDF5 files raise only InvalidDataException with a message.</summary>
[TestClass]
public sealed class Hdf5CorruptionTests
{
    /// <summary>Reads everything a file holds: every group, attribute and dataset value.</summary>
    internal static void Walk(H5Group g, int depth = 0)
    {
        if (depth > 16) return;
        foreach (var a in g.Attributes.Values)
        {
            if (a.IsString) a.ReadStrings(); else a.ReadArray();
        }
        foreach (var k in g.Keys)
        {
            if (g.IsGroupChild(k)) Walk(g.Group(k), depth + 1);
            else
            {
                var d = g.Dataset(k);
                if (d.IsString) d.ReadStrings(); else d.Read();
                foreach (var a in d.Attributes.Values)
                {
                    if (a.IsString) a.ReadStrings(); else a.ReadArray();
                }
            }
        }
    }

    private static void ReadAll(byte[] data) => Walk(H5File.Parse(data, "fuzzed.h5").Root);

    [TestMethod]
    [Timeout(300_000)]
    [DataRow("keras_weights.h5", 600)]
    [DataRow("layout.h5", 300)]
    [DataRow("latest.h5", 200)]
    [DataRow("dense.h5", 300)]
    [DataRow("sb2.h5", 600)]
    [DataRow("userblock.h5", 400)]
    public void H5pyFixtures_DamagedCopies_OnlyInvalidDataException(string name, int mutations)
    {
        var good = File.ReadAllBytes(Hdf5FixtureTests.Fx(name));
        ReadAll(good);
        var outcome = CorruptionFuzzer.Run(good, ReadAll, name, seed: name.Length * 7919, mutations: mutations);
        Assert.AreEqual(0, H5Context.GuardConversions, "every damaged file was refused by an explicit check, not by the safety net");
        Assert.IsTrue(outcome.Rejected >= outcome.Cuts - 1, "every cut but the empty prefix's neighbours is refused (the superblock gives the file's end)");
    }

    [TestMethod]
    [Timeout(300_000)]
    public void WrittenFile_DamagedCopies_OnlyInvalidDataException()
    {
        var good = Hdf5WriterTests.Everything(children: 40).ToBytes();
        CorruptionFuzzer.Run(good, ReadAll, "written.h5", seed: 99, mutations: 600);
        Assert.AreEqual(0, H5Context.GuardConversions, "every damaged file was refused by an explicit check, not by the safety net");
    }

    [TestMethod]
    public void Messages_NameTheProblem()
    {
        var good = File.ReadAllBytes(Hdf5FixtureTests.Fx("layout.h5"));
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => H5File.Parse(good[..1000], "cut.h5")).Message, "truncated");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => H5File.Parse(new byte[100], "zeros.h5")).Message, "not an HDF5 file");
        var latest = File.ReadAllBytes(Hdf5FixtureTests.Fx("latest.h5"));
        latest[20] ^= 0x40; // inside the version-3 superblock: its checksum no longer matches
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => H5File.Parse(latest, "flipped.h5")).Message, "checksum");
    }

    [TestMethod]
    public void CorruptedDeflateStreams_AreInvalidData()
    {
        var good = File.ReadAllBytes(Hdf5FixtureTests.Fx("layout.h5"));
        var file = H5File.Parse(good);
        var header = file.Context.Header(file.Root.Dataset("chunked_u8").Address);
        var layout = DataLayoutMessage.Read(header.First(HeaderMessage.DataLayout)!.Value.Body(file.Context.File, "test"));
        var chunks = new List<(ulong Address, uint Size)>();
        BTreeV1Node.VisitChunks(file.Context.File, layout.Address, 2, (key, address) => chunks.Add((address, key.Size)));
        Assert.AreEqual(4, chunks.Count, "100 elements in chunks of 30");
        foreach (var (address, size) in chunks)
        {
            foreach (int at in new[] { 0, 1, (int)size / 2, (int)size - 1 })
            {
                var bad = (byte[])good.Clone();
                bad[(int)address + at] ^= 0x5A;
                var e = Assert.ThrowsExactly<InvalidDataException>(() => H5File.Parse(bad, "deflate.h5").Root.Dataset("chunked_u8").Read(), $"chunk at {address}, byte {at}");
                StringAssert.Contains(e.Message, "chunk");
            }
        }
    }
}
