using System.Numerics;
using System.Runtime.InteropServices;

namespace Graph.Runtime;

/// <summary>
/// numpy's legacy global random state, reproduced bit for bit: what <c>np.random.seed(n)</c> followed by
/// <c>np.random.random</c> / <c>rand</c>, <c>np.random.randn</c> and <c>np.random.randint</c> return
/// (a <c>RandomState</c> over MT19937). The book's chapters seed it and draw weights, dropout masks and ids from
/// it, so a sample that makes the same calls in the same order sees the same numbers.
/// </summary>
/// <remarks>
/// Each method names the numpy call it stands for. A numpy call with <c>size=n</c> draws its elements one after
/// another from the same stream, so it equals n scalar calls here, or one call of a span overload.
/// Drawing allocates nothing. Not thread-safe.
/// </remarks>
public sealed class NumpyRandom
{
    /// <summary>The draws made at a time by the bulk methods, in a buffer on the stack.</summary>
    private const int ChunkLength = 256;

    private readonly MersenneTwister _generator;

    /// <summary>Whether <see cref="_cachedGaussian"/> holds the second value of the last polar pair.</summary>
    private bool _hasCachedGaussian;

    private double _cachedGaussian;

    /// <summary>Creates the state that <c>np.random.seed(seed)</c> leaves.</summary>
    /// <param name="seed">The seed, 0 to 2^32 - 1 as numpy requires.</param>
    public NumpyRandom(uint seed) => _generator = new MersenneTwister(seed);

    /// <summary>
    /// A generator seeded as <c>np.random.seed(seed)</c>; numpy accepts seeds from 0 to 2³² - 1, so a negative
    /// seed is an error.
    /// </summary>
    public static NumpyRandom FromSeed(int seed) => seed >= 0
        ? new NumpyRandom((uint)seed)
        : throw new ArgumentOutOfRangeException(nameof(seed), seed, "numpy seeds must be between 0 and 2**32 - 1.");

    /// <summary><c>np.random.seed(seed)</c>: re-seeds the generator and forgets any cached normal value.</summary>
    /// <param name="seed">The seed, 0 to 2^32 - 1 as numpy requires.</param>
    public void Seed(uint seed)
    {
        _generator.Seed(seed);
        _hasCachedGaussian = false;
        _cachedGaussian = 0.0;
    }

    /// <summary>The MT19937 stream every draw takes its words from (the dropout mask splits it across threads).</summary>
    internal MersenneTwister Generator => _generator;

    /// <summary>One raw MT19937 output; <c>np.random.randint(0, 2**32)</c> returns the same value.</summary>
    /// <returns>A uniformly distributed 32-bit word.</returns>
    public uint NextUInt32() => _generator.NextUInt32();

    /// <summary><c>np.random.random()</c> (also <c>random_sample</c>, and each element of <c>rand</c>): uniform on [0, 1), 53 bits.</summary>
    /// <returns>A multiple of 2^-53 in [0, 1).</returns>
    public double RandomSample() => _generator.NextDouble();

    /// <summary><c>np.random.random(n)</c>, or <c>np.random.rand(d0, d1, ...)</c> in row-major order.</summary>
    /// <param name="destination">Receives one draw per element, in order.</param>
    public void RandomSample(Span<double> destination) => _generator.NextDouble(destination);

    /// <summary><c>np.random.random(n).astype(np.float32)</c>: each draw is made in double, then rounded to float.</summary>
    /// <param name="destination">Receives one draw per element, in order.</param>
    public void RandomSample(Span<float> destination)
    {
        Span<double> draws = stackalloc double[ChunkLength];
        while (!destination.IsEmpty)
        {
            int count = Math.Min(ChunkLength, destination.Length);
            _generator.NextDouble(draws[..count]);
            for (int i = 0; i < count; i++)
            {
                destination[i] = (float)draws[i];
            }

            destination = destination[count..];
        }
    }

    /// <summary>
    /// Fills <paramref name="destination"/> with the next raw MT19937 outputs, in order (numpy's <c>randint(0,
    /// 2**32, size=n)</c>, and the words that <see cref="RandInt(long, long)"/> masks).
    /// </summary>
    /// <param name="destination">Receives one output per element.</param>
    public void NextUInt32(Span<uint> destination) => _generator.NextUInt32(destination);

    /// <summary>
    /// <c>np.random.randint(low, high, size=n)</c> for bounds that fit an int: <see cref="RandInt(long, long)"/> per
    /// element, in order, with its masked rejection. When the number of values is a power of two the mask covers
    /// exactly the range and never rejects (randint(2), the dropout masks' draw, is one word masked to its lowest
    /// bit), so the words are drawn in bulk and masked a vector at a time; otherwise word by word.
    /// </summary>
    /// <param name="destination">Receives one draw per element.</param>
    /// <param name="low">The inclusive lower bound.</param>
    /// <param name="high">The exclusive upper bound; must exceed <paramref name="low"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="high"/> is not greater than <paramref name="low"/>.</exception>
    public void RandInt(Span<int> destination, int low, int high)
    {
        if (high <= low)
        {
            throw new ArgumentOutOfRangeException(nameof(high), high,
                $"randint draws from [low, high), so high must be greater than low; got low = {low}, high = {high}.");
        }

        uint range = (uint)(high - 1 - (long)low);
        if (range == 0)
        {
            destination.Fill(low);
            return;
        }

        uint mask = uint.MaxValue >> BitOperations.LeadingZeroCount(range);
        if (mask == range)
        {
            // No word is ever rejected: bulk words, masked and offset a vector at a time.
            Span<uint> words = MemoryMarshal.Cast<int, uint>(destination);
            _generator.NextUInt32(words);
            int i = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var masks = new Vector<uint>(mask);
                var offset = new Vector<uint>((uint)low);
                for (; i <= words.Length - Vector<uint>.Count; i += Vector<uint>.Count)
                {
                    ((Vector.LoadUnsafe(ref MemoryMarshal.GetReference(words), (nuint)i) & masks) + offset)
                        .StoreUnsafe(ref MemoryMarshal.GetReference(words), (nuint)i);
                }
            }

            for (; i < words.Length; i++)
            {
                words[i] = (words[i] & mask) + (uint)low;
            }

            return;
        }

        for (int i = 0; i < destination.Length; i++)
        {
            uint value;
            do
            {
                value = _generator.NextUInt32() & mask;
            }
            while (value > range);

            destination[i] = (int)(low + value);
        }
    }

    /// <summary>
    /// <c>np.random.randn()</c> (<c>standard_normal</c>), by numpy's legacy polar Box-Muller method: draw a point
    /// uniformly in the unit disc (rejecting the rest of the square and the origin), scale both coordinates by
    /// <c>sqrt(-2 ln r² / r²)</c>, return the second and keep the first for the next call. The kept value survives
    /// other draws (such as <see cref="RandInt(long, long)"/>) until it is used or <see cref="Seed"/> is called.
    /// </summary>
    /// <returns>A standard normal deviate.</returns>
    public double StandardNormal()
    {
        if (_hasCachedGaussian)
        {
            _hasCachedGaussian = false;
            return _cachedGaussian;
        }

        double x1, x2, radiusSquared;
        do
        {
            x1 = 2.0 * _generator.NextDouble() - 1.0;
            x2 = 2.0 * _generator.NextDouble() - 1.0;
            radiusSquared = x1 * x1 + x2 * x2;
        }
        while (radiusSquared >= 1.0 || radiusSquared == 0.0);

        double scale = Math.Sqrt(-2.0 * Math.Log(radiusSquared) / radiusSquared);
        _cachedGaussian = scale * x1;
        _hasCachedGaussian = true;
        return scale * x2;
    }

    /// <summary><c>np.random.randn(n)</c>, or <c>np.random.randn(d0, d1, ...)</c> in row-major order.</summary>
    /// <param name="destination">Receives one deviate per element, in order.</param>
    public void StandardNormal(Span<double> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = StandardNormal();
        }
    }

    /// <summary><c>np.random.randint(high)</c>: an integer uniform on [0, high).</summary>
    /// <param name="high">The exclusive upper bound; must be positive.</param>
    /// <returns>The draw.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="high"/> is not positive.</exception>
    public long RandInt(long high) => RandInt(0, high);

    /// <summary>
    /// <c>np.random.randint(low, high)</c> with numpy's legacy masked rejection: for the largest offset
    /// <c>range = high - low - 1</c>, take the smallest all-ones mask covering it, draw, mask, and draw again while
    /// the result exceeds <c>range</c>. A range that fits in 32 bits uses one 32-bit output per try; a wider one
    /// uses two, the first as the high word. A range of zero returns <paramref name="low"/> without drawing.
    /// </summary>
    /// <param name="low">The inclusive lower bound.</param>
    /// <param name="high">The exclusive upper bound; must exceed <paramref name="low"/>.</param>
    /// <returns>The draw.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="high"/> is not greater than <paramref name="low"/>.</exception>
    public long RandInt(long low, long high)
    {
        if (high <= low)
        {
            throw new ArgumentOutOfRangeException(nameof(high), high,
                $"randint draws from [low, high), so high must be greater than low; got low = {low}, high = {high}.");
        }

        // Wrapping arithmetic gives the exact distance even when high - low overflows a long.
        ulong range = unchecked((ulong)(high - 1) - (ulong)low);
        return unchecked(low + (long)BoundedByMask(range));
    }

    /// <summary>An integer uniform on [0, <paramref name="range"/>], drawn as numpy's legacy <c>randint</c> does.</summary>
    private ulong BoundedByMask(ulong range)
    {
        if (range == 0)
        {
            return 0;
        }

        ulong mask = ulong.MaxValue >> BitOperations.LeadingZeroCount(range);
        if (range <= uint.MaxValue)
        {
            uint value;
            do
            {
                value = _generator.NextUInt32() & (uint)mask;
            }
            while (value > range);

            return value;
        }

        ulong wide;
        do
        {
            wide = NextUInt64() & mask;
        }
        while (wide > range);

        return wide;
    }

    /// <summary>numpy's <c>next_uint64</c> for MT19937: two outputs, the first as the high word.</summary>
    private ulong NextUInt64()
    {
        ulong high = _generator.NextUInt32();
        ulong low = _generator.NextUInt32();
        return (high << 32) | low;
    }
}
