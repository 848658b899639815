namespace ResNetKeras.Engine;

/// <summary>
/// NumPy's legacy <c>np.random.RandomState</c> (MT19937) reproduced draw for draw, so that a seeded
/// shuffle, permutation or augmentation parameter equals what NumPy gives for the same seed. It is the
/// one seeded random source of the library: initializers, shuffles, dropout and augmentation all draw
/// from instances of it.
/// </summary>
/// <remarks>Not thread-safe: give each thread its own instance (derive seeds with <see cref="NextSeed"/>).</remarks>
public sealed class RandomState
{
    private const int N = 624, M = 397;
    private readonly uint[] mt = new uint[N];
    private int mti;
    private bool hasGauss;
    private double gauss;

    /// <summary>A generator seeded like <c>np.random.RandomState(seed)</c>.</summary>
    public RandomState(uint seed) => Seed(seed);

    /// <summary>A generator seeded from the clock and a process counter (unseeded NumPy).</summary>
    public RandomState() : this(unchecked((uint)Environment.TickCount64 ^ (uint)Interlocked.Increment(ref instances) * 2654435761u)) { }

    private static int instances;

    /// <summary><c>np.random.seed(seed)</c> for an integer seed (MT19937 init_genrand).</summary>
    public void Seed(uint seed)
    {
        mt[0] = seed;
        for (int i = 1; i < N; i++)
            mt[i] = unchecked(1812433253u * (mt[i - 1] ^ (mt[i - 1] >> 30)) + (uint)i);
        mti = N;
        hasGauss = false;
    }

    /// <summary>The next raw 32-bit output.</summary>
    public uint NextUInt32()
    {
        if (mti >= N) Generate();
        uint y = mt[mti++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680u;
        y ^= (y << 15) & 0xefc60000u;
        y ^= y >> 18;
        return y;
    }

    private void Generate()
    {
        const uint upper = 0x80000000u, lower = 0x7fffffffu, matrixA = 0x9908b0dfu;
        int k;
        uint y;
        for (k = 0; k < N - M; k++)
        {
            y = (mt[k] & upper) | (mt[k + 1] & lower);
            mt[k] = mt[k + M] ^ (y >> 1) ^ ((y & 1) != 0 ? matrixA : 0u);
        }
        for (; k < N - 1; k++)
        {
            y = (mt[k] & upper) | (mt[k + 1] & lower);
            mt[k] = mt[k + (M - N)] ^ (y >> 1) ^ ((y & 1) != 0 ? matrixA : 0u);
        }
        y = (mt[N - 1] & upper) | (mt[0] & lower);
        mt[N - 1] = mt[M - 1] ^ (y >> 1) ^ ((y & 1) != 0 ? matrixA : 0u);
        mti = 0;
    }

    /// <summary><c>random_sample()</c>: a double in [0, 1) with 53 random bits.</summary>
    public double NextDouble()
    {
        uint a = NextUInt32() >> 5, b = NextUInt32() >> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /// <summary><c>uniform(low, high)</c>.</summary>
    public double Uniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>An integer in [0, max] by masked rejection, as NumPy's legacy bounded draws (max = 0 draws nothing).</summary>
    public long Interval(long max)
    {
        if (max < 0) throw new ArgumentException($"Interval: expected max >= 0. Received max={max}.", nameof(max));
        if (max == 0) return 0;
        if (max <= uint.MaxValue)
        {
            uint m = (uint)max;
            if (m == uint.MaxValue) return NextUInt32();
            uint mask = m;
            mask |= mask >> 1; mask |= mask >> 2; mask |= mask >> 4; mask |= mask >> 8; mask |= mask >> 16;
            uint v;
            while ((v = NextUInt32() & mask) > m) { }
            return v;
        }
        ulong um = (ulong)max, mask64 = um;
        mask64 |= mask64 >> 1; mask64 |= mask64 >> 2; mask64 |= mask64 >> 4; mask64 |= mask64 >> 8; mask64 |= mask64 >> 16; mask64 |= mask64 >> 32;
        ulong w;
        do { w = (((ulong)NextUInt32() << 32) | NextUInt32()) & mask64; } while (w > um);
        return (long)w;
    }

    /// <summary><c>randint(low, high)</c>: an integer in [low, high).</summary>
    public long RandInt(long low, long high)
    {
        if (high <= low) throw new ArgumentException($"RandInt: expected low < high. Received low={low}, high={high}.", nameof(high));
        return low + Interval(high - low - 1);
    }

    /// <summary><c>choice(n)</c>: an index in [0, n).</summary>
    public int Choice(int n) => (int)RandInt(0, n);

    /// <summary><c>permutation(n)</c>: Fisher-Yates from the top, as NumPy's legacy shuffle.</summary>
    public int[] Permutation(int n)
    {
        if (n < 0) throw new ArgumentException($"Permutation: expected n >= 0. Received n={n}.", nameof(n));
        var p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        Shuffle(p);
        return p;
    }

    /// <summary><c>shuffle(x)</c> for a 1-d sequence.</summary>
    public void Shuffle<T>(Span<T> x)
    {
        for (int i = x.Length - 1; i >= 1; i--)
        {
            int j = (int)Interval(i);
            (x[i], x[j]) = (x[j], x[i]);
        }
    }

    /// <summary><c>standard_normal()</c> by NumPy's legacy polar method (pairs, the second value cached).</summary>
    public double StandardNormal()
    {
        if (hasGauss)
        {
            hasGauss = false;
            return gauss;
        }
        double x1, x2, r2;
        do
        {
            x1 = 2.0 * NextDouble() - 1.0;
            x2 = 2.0 * NextDouble() - 1.0;
            r2 = x1 * x1 + x2 * x2;
        } while (r2 >= 1.0 || r2 == 0.0);
        double f = Math.Sqrt(-2.0 * Math.Log(r2) / r2);
        gauss = f * x1;
        hasGauss = true;
        return f * x2;
    }

    /// <summary><c>normal(loc, scale)</c>.</summary>
    public double Normal(double loc, double scale) => loc + scale * StandardNormal();

    /// <summary>A seed for a child generator, so that parallel work draws from independent, reproducible streams.</summary>
    public uint NextSeed() => NextUInt32();
}
