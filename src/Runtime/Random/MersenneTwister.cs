using System.Runtime.Intrinsics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Graph.Runtime;

/// <summary>
/// The MT19937 Mersenne Twister of Matsumoto and Nishimura (1998): 624 words of state, 32-bit outputs,
/// period 2^19937 - 1. It is the generator behind numpy's legacy <c>np.random.RandomState</c> (and so the
/// global <c>np.random.*</c> functions) and behind CPython's <c>random</c> module.
/// </summary>
/// <remarks>
/// Seeding, state transition, tempering and the 53-bit double follow the authors' reference algorithm
/// (<c>init_genrand</c>, <c>init_by_array</c>, <c>genrand_int32</c>, <c>genrand_res53</c>), which numpy and
/// CPython both use, so a stream seeded here agrees with theirs bit for bit. Drawing allocates nothing: the
/// state lives in one array owned by the instance. Not thread-safe.
/// <para>The bulk draws (<see cref="NextUInt32(Span{uint})"/>, <see cref="NextDouble(Span{double})"/>) return exactly
/// the words the single draws would, in the same order, and may be mixed with them freely. Both twist the state a
/// vector of words at a time (every word of a lane's chunk depends only on words already final), and the bulk draws
/// temper a vector of words at a time, each at the widest width the machine accelerates (16 words with AVX-512).</para>
/// </remarks>
public sealed class MersenneTwister
{
    /// <summary>Words of state (the reference code's N).</summary>
    internal const int StateLength = 624;

    /// <summary>Distance to the word mixed into each new word (the reference code's M).</summary>
    private const int MiddleOffset = 397;

    /// <summary>The twist matrix's last row, applied when the combined word is odd.</summary>
    private const uint TwistMatrix = 0x9908B0DF;

    /// <summary>The doubles <see cref="NextDouble(Span{double})"/> makes from one chunk of words on the stack.</summary>
    private const int DoublesPerChunk = 256;

    private const uint UpperBit = 0x80000000;
    private const uint LowerBits = 0x7FFFFFFF;

    private readonly uint[] _state = new uint[StateLength];

    /// <summary>The next word of <see cref="_state"/> to temper and return; <see cref="StateLength"/> means the block is used up.</summary>
    private int _next;

    /// <summary>Creates a generator seeded as <c>init_genrand(seed)</c> (numpy's <c>np.random.seed(seed)</c> for an int seed).</summary>
    /// <param name="seed">The 32-bit seed.</param>
    public MersenneTwister(uint seed) => Seed(seed);

    /// <summary>
    /// Creates a generator seeded as <c>init_by_array(key)</c>: what CPython's <c>random.seed(n)</c> does for an int,
    /// with the key being the 32-bit words of |n|, least significant first, and numpy's <c>np.random.seed(array)</c>.
    /// </summary>
    /// <param name="key">The seed words; at least one.</param>
    /// <returns>The seeded generator.</returns>
    public static MersenneTwister FromKey(ReadOnlySpan<uint> key)
    {
        var generator = new MersenneTwister(0);
        generator.SeedByArray(key);
        return generator;
    }

    /// <summary>Re-seeds as <c>init_genrand(seed)</c>: each word is a multiplicative hash of the one before it.</summary>
    /// <param name="seed">The 32-bit seed.</param>
    public void Seed(uint seed)
    {
        _state[0] = seed;
        for (int i = 1; i < StateLength; i++)
        {
            uint previous = _state[i - 1];
            _state[i] = 1812433253u * (previous ^ (previous >> 30)) + (uint)i;
        }

        _next = StateLength;
    }

    /// <summary>
    /// Re-seeds as <c>init_by_array(key)</c>: start from <c>init_genrand(19650218)</c>, stir every key word into the
    /// state (cycling through the key, at least one full pass over the state), stir once more without the key, and
    /// force the top bit of the first word so the state can never be all zero.
    /// </summary>
    /// <param name="key">The seed words; at least one.</param>
    /// <exception cref="ArgumentException">The key is empty.</exception>
    public void SeedByArray(ReadOnlySpan<uint> key)
    {
        if (key.IsEmpty)
        {
            throw new ArgumentException("init_by_array needs a key of at least one word (use [0] for the seed 0).", nameof(key));
        }

        Seed(19650218u);

        int i = 1;
        int j = 0;
        for (int remaining = Math.Max(StateLength, key.Length); remaining > 0; remaining--)
        {
            uint previous = _state[i - 1];
            _state[i] = (_state[i] ^ ((previous ^ (previous >> 30)) * 1664525u)) + key[j] + (uint)j;
            i = AdvanceWrapping(i);
            j = j + 1 < key.Length ? j + 1 : 0;
        }

        for (int remaining = StateLength - 1; remaining > 0; remaining--)
        {
            uint previous = _state[i - 1];
            _state[i] = (_state[i] ^ ((previous ^ (previous >> 30)) * 1566083941u)) - (uint)i;
            i = AdvanceWrapping(i);
        }

        _state[0] = UpperBit;
        _next = StateLength;
    }

    /// <summary>The next 32-bit output (<c>genrand_int32</c>; numpy's raw <c>next_uint32</c>, Python's <c>getrandbits(32)</c>).</summary>
    /// <returns>A uniformly distributed 32-bit word.</returns>
    public uint NextUInt32()
    {
        if (_next == StateLength)
        {
            Twist(_state);
            _next = 0;
        }

        return Temper(_state[_next++]);
    }

    /// <summary>
    /// Fills <paramref name="destination"/> with the next outputs, in order: the same words as that many calls of
    /// <see cref="NextUInt32()"/>.
    /// </summary>
    /// <param name="destination">Receives one output per element.</param>
    public void NextUInt32(Span<uint> destination) => _next = Draw(_state, _next, destination);

    /// <summary>
    /// Copies the generator's state to <paramref name="state"/> (<see cref="StateLength"/> words), for
    /// <see cref="Skip"/> and <see cref="Draw"/> to go on from on another thread; returns the position of the next output.
    /// </summary>
    internal int SaveState(Span<uint> state)
    {
        _state.CopyTo(state);
        return _next;
    }

    /// <summary>Makes a state saved by <see cref="SaveState"/> (and moved on since) the generator's own.</summary>
    internal void RestoreState(ReadOnlySpan<uint> state, int next)
    {
        state[..StateLength].CopyTo(_state);
        _next = next;
    }

    /// <summary>
    /// Moves a saved state (<paramref name="state"/>, next output at <paramref name="next"/>) on by
    /// <paramref name="words"/> outputs without tempering them, twisting where a block runs out; returns the new
    /// position. A later <see cref="Draw"/> gives the outputs that follow the skipped ones.
    /// </summary>
    internal static int Skip(Span<uint> state, int next, long words)
    {
        while (words > 0)
        {
            if (next == StateLength)
            {
                Twist(state);
                next = 0;
            }

            int count = (int)Math.Min(StateLength - next, words);
            next += count;
            words -= count;
        }

        return next;
    }

    /// <summary>
    /// The next outputs of a saved state (<paramref name="state"/>, next output at <paramref name="next"/>) into
    /// <paramref name="destination"/>, as <see cref="NextUInt32(Span{uint})"/> draws them; returns the new position.
    /// </summary>
    internal static int Draw(Span<uint> state, int next, Span<uint> destination)
    {
        while (!destination.IsEmpty)
        {
            if (next == StateLength)
            {
                Twist(state);
                next = 0;
            }

            int count = Math.Min(StateLength - next, destination.Length);
            Temper(state.Slice(next, count), destination[..count]);
            next += count;
            destination = destination[count..];
        }

        return next;
    }

    /// <summary>
    /// A double uniform on [0, 1) with 53 random bits (<c>genrand_res53</c>): the top 27 bits of one output and the
    /// top 26 of the next, <c>(a * 2^26 + b) / 2^53</c>. This is numpy's <c>random_sample</c> and Python's <c>random.random()</c>.
    /// </summary>
    /// <returns>A multiple of 2^-53 in [0, 1).</returns>
    public double NextDouble()
    {
        uint high27 = NextUInt32() >> 5;
        uint low26 = NextUInt32() >> 6;
        return ToDouble(high27, low26);
    }

    /// <summary>
    /// Fills <paramref name="destination"/> with the next doubles, in order: the same values as that many calls of
    /// <see cref="NextDouble()"/> (two outputs each).
    /// </summary>
    /// <param name="destination">Receives one draw per element.</param>
    public void NextDouble(Span<double> destination)
    {
        Span<uint> words = stackalloc uint[2 * DoublesPerChunk];
        while (!destination.IsEmpty)
        {
            int count = Math.Min(DoublesPerChunk, destination.Length);
            NextUInt32(words[..(2 * count)]);
            for (int i = 0; i < count; i++)
            {
                destination[i] = ToDouble(words[2 * i] >> 5, words[(2 * i) + 1] >> 6);
            }

            destination = destination[count..];
        }
    }

    /// <summary><c>(a * 2^26 + b) / 2^53</c>: exact, as every intermediate fits in 53 bits.</summary>
    private static double ToDouble(uint high27, uint low26) => (high27 * 67108864.0 + low26) / 9007199254740992.0;

    /// <summary>The reference code's tempering of one state word into an output.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Temper(uint y)
    {
        y ^= y >> 11;
        y ^= (y << 7) & 0x9D2C5680u;
        y ^= (y << 15) & 0xEFC60000u;
        return y ^ (y >> 18);
    }

    /// <summary><see cref="Temper(uint)"/> applied to every word, a vector of words at a time (the widest width the
    /// machine accelerates, then narrower ones and single words for what is left).</summary>
    private static void Temper(ReadOnlySpan<uint> words, Span<uint> outputs)
    {
        int i = TemperVectors<WordLanes512, Vector512<uint>>(words, outputs, 0);
        i = TemperVectors<WordLanes256, Vector256<uint>>(words, outputs, i);
        i = TemperVectors<WordLanes128, Vector128<uint>>(words, outputs, i);
        for (; i < words.Length; i++)
        {
            outputs[i] = Temper(words[i]);
        }
    }

    /// <summary>Tempers words <paramref name="from"/> on, <typeparamref name="TLanes"/>' vector at a time while a whole
    /// vector is left (none where that width is not accelerated); returns where it stopped.</summary>
    internal static int TemperVectors<TLanes, TVec>(ReadOnlySpan<uint> words, Span<uint> outputs, int from)
        where TLanes : IWordLanes<TVec>
        where TVec : struct
    {
        int i = from;
        if (!TLanes.IsAccelerated)
        {
            return i;
        }

        TVec b = TLanes.Splat(0x9D2C5680u);
        TVec c = TLanes.Splat(0xEFC60000u);
        ref uint source = ref MemoryMarshal.GetReference(words);
        ref uint target = ref MemoryMarshal.GetReference(outputs);
        for (; i <= words.Length - TLanes.Count; i += TLanes.Count)
        {
            TVec y = TLanes.Load(ref source, i);
            y = TLanes.Xor(y, TLanes.ShiftRight(y, 11));
            y = TLanes.Xor(y, TLanes.And(TLanes.ShiftLeft(y, 7), b));
            y = TLanes.Xor(y, TLanes.And(TLanes.ShiftLeft(y, 15), c));
            TLanes.Store(TLanes.Xor(y, TLanes.ShiftRight(y, 18)), ref target, i);
        }

        return i;
    }

    /// <summary>
    /// Replaces all 624 words at once. Each new word joins the top bit of word k with the low 31 bits of word k + 1,
    /// shifts it right one, applies the twist matrix when it was odd, and mixes in word k + 397. Words past the end
    /// wrap to the front and are then already the new ones, exactly as in the reference code.
    /// </summary>
    /// <remarks>
    /// Three ranges instead of indices taken modulo the length, as in the reference code: the partner word k + 397
    /// first lies ahead (old words), then wraps to k - 227 (words this twist has already replaced); the last word
    /// joins with word 0. Within a range a chunk of consecutive words reads only old words k + 1 … (read before
    /// the chunk is stored) and partners that are either all old or all final (227 is more than a vector), so a
    /// vector of words is computed at once, with the ragged ends of the ranges word by word.
    /// </remarks>
    private static void Twist(Span<uint> state)
    {
        int k = TwistRange(state, 0, StateLength - MiddleOffset, MiddleOffset);
        TwistRange(state, k, StateLength - 1, MiddleOffset - StateLength);
        state[StateLength - 1] = state[MiddleOffset - 1] ^ Twisted(state[StateLength - 1], state[0]);
    }

    /// <summary>Twists words <paramref name="from"/> … <paramref name="to"/> − 1, each with its partner at
    /// <paramref name="partnerOffset"/> from it, a vector at a time (the widest width the machine accelerates, then
    /// narrower ones and single words for what is left); returns <paramref name="to"/>.</summary>
    private static int TwistRange(Span<uint> state, int from, int to, int partnerOffset)
    {
        int k = TwistVectors<WordLanes512, Vector512<uint>>(state, from, to, partnerOffset);
        k = TwistVectors<WordLanes256, Vector256<uint>>(state, k, to, partnerOffset);
        k = TwistVectors<WordLanes128, Vector128<uint>>(state, k, to, partnerOffset);
        for (; k < to; k++)
        {
            state[k] = state[k + partnerOffset] ^ Twisted(state[k], state[k + 1]);
        }

        return to;
    }

    /// <summary>Twists words <paramref name="from"/> on as <see cref="TwistRange"/> does, <typeparamref name="TLanes"/>'
    /// vector at a time while a whole vector is left before <paramref name="to"/> (none where that width is not
    /// accelerated); returns where it stopped.</summary>
    internal static int TwistVectors<TLanes, TVec>(Span<uint> state, int from, int to, int partnerOffset)
        where TLanes : IWordLanes<TVec>
        where TVec : struct
    {
        int k = from;
        if (!TLanes.IsAccelerated)
        {
            return k;
        }

        TVec upper = TLanes.Splat(UpperBit);
        TVec lower = TLanes.Splat(LowerBits);
        TVec matrix = TLanes.Splat(TwistMatrix);
        TVec one = TLanes.Splat(1);
        ref uint words = ref MemoryMarshal.GetReference(state);
        for (; k <= to - TLanes.Count; k += TLanes.Count)
        {
            TVec joined = TLanes.Or(TLanes.And(TLanes.Load(ref words, k), upper), TLanes.And(TLanes.Load(ref words, k + 1), lower));
            TVec twisted = TLanes.Xor(TLanes.ShiftRight(joined, 1), TLanes.And(TLanes.Negate(TLanes.And(joined, one)), matrix));
            TLanes.Store(TLanes.Xor(TLanes.Load(ref words, k + partnerOffset), twisted), ref words, k);
        }

        return k;
    }

    /// <summary>
    /// The top bit of <paramref name="word"/> joined with the low 31 bits of <paramref name="next"/>, shifted right one,
    /// with the twist matrix applied when it was odd: by masking rather than branching, since that bit is random and a
    /// branch on it would be mispredicted half the time.
    /// </summary>
    private static uint Twisted(uint word, uint next)
    {
        uint joined = (word & UpperBit) | (next & LowerBits);
        return (joined >> 1) ^ ((0u - (joined & 1)) & TwistMatrix);
    }

    /// <summary>Steps the index used by <see cref="SeedByArray"/>; past the end, copy the last word to the front and restart at 1.</summary>
    private int AdvanceWrapping(int i)
    {
        if (i + 1 < StateLength)
        {
            return i + 1;
        }

        _state[0] = _state[StateLength - 1];
        return 1;
    }
}
