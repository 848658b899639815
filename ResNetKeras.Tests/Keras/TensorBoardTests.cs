using System.Buffers.Binary;
using System.Runtime.Intrinsics.X86;
using System.Text;
using ResNetKeras.Engine;
using ResNetKeras.Keras;

namespace ResNetKeras.Tests.Keras;

/// <summary>
/// The TensorBoard callback's event files, read back by a reader written here from the format's description
/// (TFRecord framing with masked CRC-32C computed by the CPU's CRC32 instruction, then the Event/Summary protobufs).
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class TensorBoardTests
{
    /// <summary>CRC-32C with the SSE4.2 instruction (or bit by bit where it is missing): independent of the library's table.</summary>
    private static uint Crc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            if (Sse42.IsSupported) crc = Sse42.Crc32(crc, b);
            else
            {
                crc ^= b;
                for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78 : crc >> 1;
            }
        }
        return ~crc;
    }

    private static uint Masked(ReadOnlySpan<byte> data)
    {
        uint c = Crc32C(data);
        return unchecked(((c >> 15) | (c << 17)) + 0xa282ead8);
    }

    /// <summary>Every record's payload, after checking both masked CRCs.</summary>
    private static List<byte[]> Records(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var records = new List<byte[]>();
        for (int o = 0; o < bytes.Length;)
        {
            ulong len = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(o));
            Assert.AreEqual(Masked(bytes.AsSpan(o, 8)), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(o + 8)), "length CRC");
            var data = bytes.AsSpan(o + 12, (int)len).ToArray();
            Assert.AreEqual(Masked(data), BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(o + 12 + (int)len)), "data CRC");
            records.Add(data);
            o += 12 + (int)len + 4;
        }
        return records;
    }

    /// <summary>Protobuf fields of one message: (field number, wire type, value bytes or varint).</summary>
    private static List<(int Field, int Wire, byte[] Bytes, ulong Varint)> Fields(byte[] m)
    {
        var list = new List<(int, int, byte[], ulong)>();
        int o = 0;
        ulong Var()
        {
            ulong v = 0;
            for (int shift = 0; ; shift += 7)
            {
                byte b = m[o++];
                v |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80) return v;
            }
        }
        while (o < m.Length)
        {
            ulong key = Var();
            int field = (int)(key >> 3), wire = (int)(key & 7);
            switch (wire)
            {
                case 0: list.Add((field, wire, [], Var())); break;
                case 1: list.Add((field, wire, m[o..(o + 8)], 0)); o += 8; break;
                case 5: list.Add((field, wire, m[o..(o + 4)], 0)); o += 4; break;
                case 2: int n = (int)Var(); list.Add((field, wire, m[o..(o + n)], 0)); o += n; break;
                default: Assert.Fail($"unexpected wire type {wire}"); break;
            }
        }
        return list;
    }

    /// <summary>(step, tag, simple_value) of every scalar event, and whether the first event is the file version.</summary>
    private static (bool Version, List<(long Step, string Tag, float Value)> Scalars, List<string> Histograms) Read(string path)
    {
        var scalars = new List<(long, string, float)>();
        var histograms = new List<string>();
        var records = Records(path);
        var first = Fields(records[0]);
        bool version = first.Any(f => f.Field == 3 && Encoding.UTF8.GetString(f.Bytes) == "brain.Event:2");
        foreach (var r in records.Skip(1))
        {
            var ev = Fields(r);
            long step = (long)ev.Single(f => f.Field == 2).Varint;
            foreach (var value in Fields(ev.Single(f => f.Field == 5).Bytes).Where(f => f.Field == 1).Select(f => Fields(f.Bytes)))
            {
                string tag = Encoding.UTF8.GetString(value.Single(f => f.Field == 1).Bytes);
                if (value.FirstOrDefault(f => f.Field == 2) is { Bytes.Length: 4 } simple)
                    scalars.Add((step, tag, BinaryPrimitives.ReadSingleLittleEndian(simple.Bytes)));
                else if (value.Any(f => f.Field == 5)) histograms.Add(tag);
            }
        }
        return (version, scalars, histograms);
    }

    [TestMethod]
    public void Crc32C_MatchesTheStandardCheckValue() =>
        // The CRC-32C check value of "123456789" (RFC 3720).
        Assert.AreEqual(0xE3069283u, Crc32C(Encoding.ASCII.GetBytes("123456789")));

    [TestMethod]
    public void Fit_WritesEpochScalarsBatchScalarsAndHistograms()
    {
        Backend.ClearSession();
        Backend.SetRandomSeed(2);
        var model = new Sequential([new InputLayer(shape: [3]), new Dense(2, activation: "softmax")]);
        model.Compile("adam", "categorical_crossentropy", ["accuracy"]);
        var x = ND.Zeros([12, 3]);
        var y = ND.Zeros([12, 2]);
        for (int i = 0; i < 12; i++) { x.SetDouble(i % 2, i, 0); y.SetDouble(1, i, i % 2); }
        string dir = Path.Combine(Path.GetTempPath(), $"tb_{Guid.NewGuid():N}");
        try
        {
            var tb = new TensorBoard(logDir: dir, histogramFreq: 1, updateFreq: "batch");
            var history = model.Fit(x, y, batchSize: 4, epochs: 2, verbose: 0, validationSplit: 0.25, callbacks: [tb], seed: 1);
            var (version, scalars, histograms) = Read(tb.TrainEventFile!);
            Assert.IsTrue(version, "the first event carries file_version brain.Event:2");
            var loss = history.HistoryData["loss"];
            CollectionAssert.AreEqual(new[] { (float)loss[0], (float)loss[1] }, scalars.Where(s => s.Tag == "epoch_loss").Select(s => s.Value).ToArray());
            CollectionAssert.AreEqual(new long[] { 0, 1 }, scalars.Where(s => s.Tag == "epoch_accuracy").Select(s => s.Step).ToArray());
            Assert.AreEqual(0.001f, scalars.First(s => s.Tag == "epoch_learning_rate").Value);
            // 9 training samples in batches of 4: 3 steps per epoch, batch logs at global steps 1..6.
            CollectionAssert.AreEqual(new long[] { 1, 2, 3, 4, 5, 6 }, scalars.Where(s => s.Tag == "batch_loss").Select(s => s.Step).ToArray());
            CollectionAssert.AreEquivalent(new[] { "dense/kernel", "dense/bias", "dense/kernel", "dense/bias" }, histograms);
            var (_, val, _) = Read(tb.ValidationEventFile!);
            CollectionAssert.AreEqual(history.HistoryData["val_loss"].Select(v => (float)v).ToArray(), val.Where(s => s.Tag == "epoch_loss").Select(s => s.Value).ToArray());
            StringAssert.StartsWith(Path.GetFileName(tb.TrainEventFile!), "events.out.tfevents.");
        }
        finally { Directory.Delete(dir, true); }
    }

    [TestMethod]
    public void BadArguments_AreKerasErrors()
    {
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new TensorBoard(updateFreq: "often")).Message, "update_freq=often");
        StringAssert.Contains(Assert.ThrowsExactly<ArgumentException>(() => new TensorBoard(histogramFreq: -1)).Message, "histogram_freq=-1");
    }
}
