namespace ResNetKeras.Tests.IO;

/// <summary>
/// Feeds a reader damaged copies of a good file and requires that each either reads or raises
/// <see cref="InvalidDataException"/> (never another exception type; hangs are caught by the test's timeout):
/// the file cut at evenly spread lengths, then copies with one to four bytes overwritten at seeded random offsets
/// (random values, and the values that most often break parsers: 0x00, 0xFF, 0x7F, 0x80). Deterministic for a seed.
/// </summary>
internal static class CorruptionFuzzer
{
    public readonly record struct Outcome(int Cuts, int Mutations, int Rejected);

    /// <summary>RESNETKERAS_FUZZ_SCALE multiplies the mutation count for a deeper local run (default 1).</summary>
    public static int Scale => int.TryParse(Environment.GetEnvironmentVariable("RESNETKERAS_FUZZ_SCALE"), out int s) && s > 0 ? s : 1;

    public static Outcome Run(byte[] good, Action<byte[]> read, string name, int seed = 1234, int cuts = 64, int mutations = 400)
    {
        mutations *= Scale;
        var rng = new Random(seed);
        int rejected = 0, tried = 0;
        void Try(byte[] data, string what)
        {
            tried++;
            try
            {
                read(data);
            }
            catch (InvalidDataException e)
            {
                if (string.IsNullOrWhiteSpace(e.Message)) Assert.Fail($"{name}, {what}: InvalidDataException without a message.");
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"{name}, {what}: {e.GetType().Name} instead of InvalidDataException: {e.Message}\n{e.StackTrace}");
            }
        }
        int cutCount = Math.Min(cuts, good.Length);
        for (int i = 0; i < cutCount; i++)
        {
            int length = (int)((long)good.Length * i / cutCount);
            Try(good[..length], $"cut to {length} bytes");
        }
        byte[] special = [0x00, 0xFF, 0x7F, 0x80];
        for (int m = 0; m < mutations; m++)
        {
            var bad = (byte[])good.Clone();
            int count = 1 + rng.Next(4);
            var what = new List<string>();
            for (int k = 0; k < count; k++)
            {
                int at = rng.Next(bad.Length);
                byte value = rng.Next(3) == 0 ? special[rng.Next(special.Length)] : (byte)rng.Next(256);
                bad[at] = value;
                what.Add($"[{at}]=0x{value:x2}");
            }
            Try(bad, "bytes " + string.Join(" ", what));
        }
        return new Outcome(cutCount, mutations, rejected);
    }
}
