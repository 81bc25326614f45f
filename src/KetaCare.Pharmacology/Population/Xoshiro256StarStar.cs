namespace KetaCare.Pharmacology.Population;

/// <summary>
/// xoshiro256** pseudo-random generator (Blackman and Vigna 2018), seeded through splitmix64, with
/// uniform doubles on [0, 1) from the top 53 bits and standard normal deviates by the Marsaglia polar
/// method. The sequence for a seed is fixed: the same seed gives the same numbers on every machine
/// and runtime. Not thread-safe: use one instance per thread (the population sampler draws all
/// subjects from one instance, in subject order, so results do not depend on thread count).
/// </summary>
public sealed class Xoshiro256StarStar
{
    private ulong _s0, _s1, _s2, _s3;
    private bool _hasSpare;
    private double _spare;

    /// <summary>Creates a generator from a 64-bit seed (any value, 0 included).</summary>
    public Xoshiro256StarStar(ulong seed)
    {
        unchecked
        {
            Span<ulong> s = stackalloc ulong[4];
            for (var i = 0; i < 4; i++)
            {
                seed += 0x9e3779b97f4a7c15UL;
                var z = seed;
                z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9UL;
                z = (z ^ (z >> 27)) * 0x94d049bb133111ebUL;
                s[i] = z ^ (z >> 31);
            }

            (_s0, _s1, _s2, _s3) = (s[0], s[1], s[2], s[3]);
        }
    }

    /// <summary>Next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        unchecked
        {
            var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
            var t = _s1 << 17;
            _s2 ^= _s0;
            _s3 ^= _s1;
            _s1 ^= _s2;
            _s0 ^= _s3;
            _s2 ^= t;
            _s3 = ulong.RotateLeft(_s3, 45);
            return result;
        }
    }

    /// <summary>Uniform double on [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / 9007199254740992.0);

    /// <summary>Uniform integer on [0, <paramref name="count"/>) (count &gt; 0), without modulo bias.</summary>
    public int NextInt(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var bound = (ulong)count;
        var limit = ulong.MaxValue - (ulong.MaxValue % bound);
        ulong r;
        do
        {
            r = NextUInt64();
        }
        while (r >= limit);

        return (int)(r % bound);
    }

    /// <summary>Standard normal deviate (mean 0, SD 1), Marsaglia polar method (pairs; the second is kept for the next call).</summary>
    public double NextGaussian()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }

        double u, v, q;
        do
        {
            u = (2 * NextDouble()) - 1;
            v = (2 * NextDouble()) - 1;
            q = (u * u) + (v * v);
        }
        while (q >= 1 || q == 0);

        var f = Math.Sqrt(-2 * Math.Log(q) / q);
        _spare = v * f;
        _hasSpare = true;
        return u * f;
    }
}
