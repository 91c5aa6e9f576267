using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Graph.Runtime;

/// <summary>
/// Philox4x32-10, the counter-based generator of Salmon, Moraes, Dror and Shaw ("Parallel random numbers: as easy as
/// 1, 2, 3", SC 2011; the Random123 library), which JAX, PyTorch (CUDA) and cuRAND use: block b of the stream is a
/// keyed bijection of the 128-bit counter (b, stream), four 32-bit words, and no block depends on another.
/// </summary>
/// <remarks>
/// <para>The key is the 64-bit seed (low word first); the counter's words are the block number's low and high words,
/// then the stream number's. So any stretch of the stream can be computed without the ones before it, by any thread,
/// and a dropout mask split across threads is the same mask whatever the thread count.</para>
/// <para>This class keeps only the next block number (<see cref="Position"/>). A bulk draw of n words uses the next
/// ⌈n / 4⌉ blocks in order, block after block and word after word, and drops the words of a last partial block.
/// Drawing allocates nothing. Not thread-safe (the kernels that split a draw across threads compute each part's
/// blocks from the position, and advance it once).</para>
/// </remarks>
public sealed class Philox4x32
{
    /// <summary>The number of rounds (the "-10").</summary>
    public const int Rounds = 10;

    /// <summary>The multiplier of counter word 0.</summary>
    private const uint Multiplier0 = 0xD2511F53;

    /// <summary>The multiplier of counter word 2.</summary>
    private const uint Multiplier1 = 0xCD9E8D57;

    /// <summary>The key schedule's increment of key word 0 (the golden ratio).</summary>
    private const uint KeyStep0 = 0x9E3779B9;

    /// <summary>The key schedule's increment of key word 1 (√3 − 1).</summary>
    private const uint KeyStep1 = 0xBB67AE85;

    /// <summary>Creates the generator for <paramref name="seed"/> and <paramref name="stream"/>, at block 0.</summary>
    /// <param name="seed">The key: low word first.</param>
    /// <param name="stream">The counter's upper 64 bits, which tell independent streams of one seed apart.</param>
    public Philox4x32(ulong seed, ulong stream = 0)
    {
        Seed = seed;
        Stream = stream;
    }

    /// <summary>The key.</summary>
    public ulong Seed { get; }

    /// <summary>The counter's upper 64 bits.</summary>
    public ulong Stream { get; }

    /// <summary>The next block to draw: the counter's lower 64 bits. Setting it jumps anywhere in the stream.</summary>
    public ulong Position { get; set; }

    /// <summary>
    /// The Philox4x32-10 bijection: the four words of block <paramref name="counter"/> under <paramref name="key"/>,
    /// as Random123's <c>philox4x32(ctr, key)</c> (counter and key words in its order, word 0 first).
    /// </summary>
    /// <param name="counter">Four counter words.</param>
    /// <param name="key">Two key words.</param>
    /// <param name="output">Receives the four output words.</param>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    public static void Block(ReadOnlySpan<uint> counter, ReadOnlySpan<uint> key, Span<uint> output)
    {
        if (counter.Length != 4 || key.Length != 2 || output.Length != 4)
        {
            throw new ArgumentException($"Philox4x32 takes 4 counter words and 2 key words into 4 output words; got {counter.Length}, {key.Length} and {output.Length}.");
        }

        uint x0 = counter[0], x1 = counter[1], x2 = counter[2], x3 = counter[3];
        Rounds10(ref x0, ref x1, ref x2, ref x3, key[0], key[1]);
        output[0] = x0;
        output[1] = x1;
        output[2] = x2;
        output[3] = x3;
    }

    /// <summary>The next word (a whole block is used: its other three words are dropped).</summary>
    public uint NextUInt32()
    {
        Span<uint> word = stackalloc uint[1];
        NextUInt32(word);
        return word[0];
    }

    /// <summary>Fills <paramref name="destination"/> from the next ⌈n / 4⌉ blocks, in order, and moves past them.</summary>
    /// <param name="destination">Receives one word per element.</param>
    public void NextUInt32(Span<uint> destination)
    {
        Generate(Seed, Stream, Position, destination);
        Position += BlocksFor(destination.Length);
    }

    /// <summary>The blocks a draw of <paramref name="words"/> words uses.</summary>
    internal static ulong BlocksFor(long words) => (ulong)((words + 3) / 4);

    /// <summary>
    /// Words 4·<paramref name="firstBlock"/> … of the stream (<paramref name="seed"/>, <paramref name="stream"/>) into
    /// <paramref name="destination"/>: whole groups of blocks a vector at a time (one block per 64-bit lane, at the
    /// widest width the hardware accelerates), the rest one block at a time.
    /// </summary>
    internal static unsafe void Generate(ulong seed, ulong stream, ulong firstBlock, Span<uint> destination)
    {
        fixed (uint* target = destination)
        {
            int done = Vector512.IsHardwareAccelerated ? GenerateVectors<Vector512<ulong>, PhiloxLanes512>(seed, stream, firstBlock, target, destination.Length)
                : Vector256.IsHardwareAccelerated ? GenerateVectors<Vector256<ulong>, PhiloxLanes256>(seed, stream, firstBlock, target, destination.Length)
                : 0;
            GenerateBlocks(seed, stream, firstBlock + (ulong)(done / 4), destination[done..]);
        }
    }

    /// <summary>
    /// The whole groups of <c>TLanes.Count</c> blocks of a draw of <paramref name="length"/> words: each word of a block
    /// in the low half of its lane (so that one 64-bit product gives a multiplication's high and low words), and the
    /// block's four words written as two 64-bit lanes, low word first. Returns the words written.
    /// </summary>
    private static unsafe int GenerateVectors<TVec, TLanes>(ulong seed, ulong stream, ulong firstBlock, uint* destination, int length)
        where TVec : struct
        where TLanes : IPhiloxLanes<TVec>
    {
        int lanes = TLanes.Count;
        ulong* pairs = stackalloc ulong[2 * lanes];
        ulong* words = (ulong*)destination;
        int done = 0;
        ulong block = firstBlock;
        for (; done <= length - (4 * lanes); done += 4 * lanes, block += (ulong)lanes)
        {
            TVec blocks = TLanes.Sequence(block);
            TVec x0 = TLanes.LowWords(blocks);
            TVec x1 = TLanes.HighWords(blocks);
            TVec x2 = TLanes.Create((uint)stream);
            TVec x3 = TLanes.Create((uint)(stream >> 32));
            uint key0 = (uint)seed, key1 = (uint)(seed >> 32);
            for (int round = 0; round < Rounds; round++)
            {
                TVec product0 = TLanes.Multiply(x0, Multiplier0);
                TVec product1 = TLanes.Multiply(x2, Multiplier1);
                TVec y0 = TLanes.Xor(TLanes.HighWords(product1), x1, key0);
                TVec y2 = TLanes.Xor(TLanes.HighWords(product0), x3, key1);
                x1 = TLanes.LowWords(product1);
                x3 = TLanes.LowWords(product0);
                x0 = y0;
                x2 = y2;
                key0 += KeyStep0;
                key1 += KeyStep1;
            }

            TLanes.Store(TLanes.Join(x0, x1), pairs);
            TLanes.Store(TLanes.Join(x2, x3), pairs + lanes);
            ulong* target = words + (done / 2);
            for (int lane = 0; lane < lanes; lane++)
            {
                target[2 * lane] = pairs[lane];
                target[(2 * lane) + 1] = pairs[lanes + lane];
            }
        }

        return done;
    }

    /// <summary>Words of the stream one block at a time (the last block possibly cut short).</summary>
    private static void GenerateBlocks(ulong seed, ulong stream, ulong firstBlock, Span<uint> destination)
    {
        uint key0 = (uint)seed, key1 = (uint)(seed >> 32);
        ulong block = firstBlock;
        for (int i = 0; i < destination.Length; i += 4, block++)
        {
            uint x0 = (uint)block, x1 = (uint)(block >> 32), x2 = (uint)stream, x3 = (uint)(stream >> 32);
            Rounds10(ref x0, ref x1, ref x2, ref x3, key0, key1);
            int count = Math.Min(4, destination.Length - i);
            destination[i] = x0;
            if (count > 1)
            {
                destination[i + 1] = x1;
            }

            if (count > 2)
            {
                destination[i + 2] = x2;
            }

            if (count > 3)
            {
                destination[i + 3] = x3;
            }
        }
    }

    /// <summary>Ten rounds on one block; the key is bumped before every round but the first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rounds10(ref uint x0, ref uint x1, ref uint x2, ref uint x3, uint key0, uint key1)
    {
        for (int round = 0; round < Rounds; round++)
        {
            ulong product0 = (ulong)Multiplier0 * x0;
            ulong product1 = (ulong)Multiplier1 * x2;
            uint y0 = (uint)(product1 >> 32) ^ x1 ^ key0;
            uint y2 = (uint)(product0 >> 32) ^ x3 ^ key1;
            x1 = (uint)product1;
            x3 = (uint)product0;
            x0 = y0;
            x2 = y2;
            key0 += KeyStep0;
            key1 += KeyStep1;
        }
    }
}
