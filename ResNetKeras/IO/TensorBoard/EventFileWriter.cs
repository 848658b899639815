using System.Buffers.Binary;
using System.Text;

namespace ResNetKeras.IO.TensorBoard;

/// <summary>
/// Writes a TensorFlow event file as TensorBoard reads it, in the order the formats specify: each record is
/// uint64 length, masked CRC-32C of the length, the bytes, masked CRC-32C of the bytes (TFRecord); each record's bytes
/// are an <c>Event</c> protobuf (wall_time = 1: double, step = 2: int64, file_version = 3: string, summary = 5) whose
/// <c>Summary</c> holds <c>Value</c>s (tag = 1, simple_value = 2: float, histo = 5: HistogramProto). The first event
/// carries file_version "brain.Event:2". Records are flushed when asked, so a killed run keeps what it logged.
/// </summary>
internal sealed class EventFileWriter : IDisposable
{
    private readonly FileStream stream;

    /// <summary>Creates <c>events.out.tfevents.{seconds}.{host}</c> in <paramref name="directory"/> (made if missing).</summary>
    public EventFileWriter(string directory)
    {
        Directory.CreateDirectory(directory);
        double now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        Path = System.IO.Path.Combine(directory, $"events.out.tfevents.{(long)now}.{Environment.MachineName}.{Environment.ProcessId}.v2");
        stream = new FileStream(Path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        var ev = new ProtoWriter();
        ev.Double(1, now);
        ev.String(3, "brain.Event:2");
        WriteRecord(ev.ToArray());
    }

    /// <summary>The event file's path.</summary>
    public string Path { get; }

    /// <summary>One scalar summary at <paramref name="step"/>.</summary>
    public void Scalar(string tag, float value, long step)
    {
        var v = new ProtoWriter();
        v.String(1, tag);
        v.Float(2, value);
        WriteSummary(step, v.ToArray());
    }

    /// <summary>A histogram summary of <paramref name="values"/> (TensorFlow's default bucket limits, ±1e-12·1.1^k).</summary>
    public void Histogram(string tag, ReadOnlySpan<float> values, long step)
    {
        var limits = BucketLimits;
        var counts = new double[limits.Length];
        double min = double.PositiveInfinity, max = double.NegativeInfinity, sum = 0, squares = 0;
        foreach (float f in values)
        {
            double x = f;
            min = Math.Min(min, x);
            max = Math.Max(max, x);
            sum += x;
            squares += x * x;
            int i = Array.BinarySearch(limits, x);
            counts[i >= 0 ? i : Math.Min(~i, limits.Length - 1)]++;
        }
        var h = new ProtoWriter();
        h.Double(1, values.Length == 0 ? 0 : min);
        h.Double(2, values.Length == 0 ? 0 : max);
        h.Double(3, values.Length);
        h.Double(4, sum);
        h.Double(5, squares);
        h.PackedDoubles(6, limits);
        h.PackedDoubles(7, counts);
        var v = new ProtoWriter();
        v.String(1, tag);
        v.Message(5, h.ToArray());
        WriteSummary(step, v.ToArray());
    }

    /// <summary>Pushes written records to the file.</summary>
    public void Flush() => stream.Flush();

    /// <inheritdoc/>
    public void Dispose() => stream.Dispose();

    private void WriteSummary(long step, byte[] value)
    {
        var summary = new ProtoWriter();
        summary.Message(1, value);
        var ev = new ProtoWriter();
        ev.Double(1, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0);
        ev.Int64(2, step);
        ev.Message(5, summary.ToArray());
        WriteRecord(ev.ToArray());
    }

    private void WriteRecord(byte[] data)
    {
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Crc32C.Masked(header[..8]));
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, Crc32C.Masked(data));
        stream.Write(header);
        stream.Write(data);
        stream.Write(footer);
    }

    /// <summary>TensorFlow's default histogram buckets: 1e-12·1.1^k up to 1e20, mirrored for negatives, with 0 between.</summary>
    private static readonly double[] BucketLimits = MakeLimits();

    private static double[] MakeLimits()
    {
        var positive = new List<double>();
        for (double v = 1e-12; v < 1e20; v *= 1.1) positive.Add(v);
        var all = positive.Select(v => -v).Reverse().Append(0.0).Concat(positive).Append(double.MaxValue).ToArray();
        return all;
    }

    /// <summary>The few protobuf wire encodings the event format needs (varint, 64-bit, 32-bit, length-delimited).</summary>
    private sealed class ProtoWriter
    {
        private readonly MemoryStream buffer = new();

        public void Double(int field, double value)
        {
            Tag(field, 1);
            Span<byte> b = stackalloc byte[8];
            BinaryPrimitives.WriteDoubleLittleEndian(b, value);
            buffer.Write(b);
        }

        public void Float(int field, float value)
        {
            Tag(field, 5);
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteSingleLittleEndian(b, value);
            buffer.Write(b);
        }

        public void Int64(int field, long value)
        {
            Tag(field, 0);
            Varint((ulong)value);
        }

        public void String(int field, string value) => Message(field, Encoding.UTF8.GetBytes(value));

        public void Message(int field, byte[] bytes)
        {
            Tag(field, 2);
            Varint((ulong)bytes.Length);
            buffer.Write(bytes);
        }

        public void PackedDoubles(int field, double[] values)
        {
            var b = new byte[values.Length * 8];
            for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(i * 8), values[i]);
            Message(field, b);
        }

        public byte[] ToArray() => buffer.ToArray();

        private void Tag(int field, int wireType) => Varint((ulong)(field << 3 | wireType));

        private void Varint(ulong v)
        {
            while (v >= 0x80)
            {
                buffer.WriteByte((byte)(v | 0x80));
                v >>= 7;
            }
            buffer.WriteByte((byte)v);
        }
    }
}
