namespace Graph.Runtime;

/// <summary>
/// CPython's <c>random</c> module, reproduced bit for bit for what the book uses: <c>random.seed(n)</c> with a
/// non-negative int and <c>random.random()</c>. Python seeds its MT19937 with <c>init_by_array</c> over the seed's
/// 32-bit words, least significant first (one word 0 for the seed 0); numpy's <c>np.random.seed(n)</c> uses
/// <c>init_genrand(n)</c> instead, so the two streams differ for the same n.
/// </summary>
/// <remarks>Drawing allocates nothing. Not thread-safe.</remarks>
public sealed class PythonRandom
{
    private readonly MersenneTwister _generator;

    /// <summary>Creates the state that <c>random.seed(seed)</c> leaves.</summary>
    /// <param name="seed">A non-negative int seed.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="seed"/> is negative.</exception>
    public PythonRandom(long seed)
    {
        _generator = new MersenneTwister(0);
        Seed(seed);
    }

    /// <summary><c>random.seed(seed)</c> for a non-negative int.</summary>
    /// <param name="seed">A non-negative int seed.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="seed"/> is negative.</exception>
    public void Seed(long seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seed);

        ulong value = (ulong)seed;
        uint lowWord = (uint)value;
        uint highWord = (uint)(value >> 32);
        ReadOnlySpan<uint> key = highWord == 0 ? [lowWord] : [lowWord, highWord];
        _generator.SeedByArray(key);
    }

    /// <summary><c>random.random()</c>: uniform on [0, 1) with 53 random bits.</summary>
    /// <returns>A multiple of 2^-53 in [0, 1).</returns>
    public double Random() => _generator.NextDouble();

    /// <summary>
    /// <c>random._randbelow(n)</c>: uniform on [0, <paramref name="n"/>), by drawing <c>getrandbits(k)</c> for
    /// k = n.bit_length() until the draw is below n.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is not positive.</exception>
    public int RandBelow(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n);
        int bits = 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)n);
        while (true)
        {
            // getrandbits(k) for k ≤ 32 keeps the top k bits of one 32-bit draw.
            uint r = _generator.NextUInt32() >> (32 - bits);
            if (r < (uint)n)
            {
                return (int)r;
            }
        }
    }

    /// <summary><c>random.shuffle(items)</c>: from the last position down, swaps each with one drawn by <see cref="RandBelow"/>.</summary>
    public void Shuffle<T>(IList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = RandBelow(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
