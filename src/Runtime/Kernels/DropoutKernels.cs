using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Graph.Runtime;

/// <summary>
/// Dropout masks: each element 0 (dropped) or <c>1 / (1 - rate)</c> (kept), drawn from numpy's stream (as the book
/// draws them) or from a counter-based <see cref="Philox4x32"/> stream.
/// </summary>
public static partial class Kernels
{
    /// <summary>The mask elements filled from one chunk of words on the stack.</summary>
    private const int MaskChunk = 1024;

    /// <summary>The elements of one part of a Philox mask split across threads (a multiple of 4: whole blocks).</summary>
    private const int MaskPartLength = 64 * 1024;

    /// <summary>The shortest numpy-stream mask whose bits are turned into mask values on every thread.</summary>
    private const int SplitMaskLength = 128 * 1024;

    /// <summary>The packed bits of this thread's last split numpy-stream mask (<see cref="DrawLowestBits"/>).</summary>
    [ThreadStatic]
    private static ulong[]? t_maskBits;

    /// <summary>
    /// Fills a dropout mask from numpy's stream: for rate 0.5 one <c>randint(2)</c> per element times 2 (as the book
    /// draws it), otherwise <c>1 / (1 - rate)</c> where <c>random_sample() &lt; 1 - rate</c>, else 0.
    /// </summary>
    /// <remarks>
    /// numpy's <c>randint(2)</c> is one 32-bit word masked to its lowest bit (the range 0…1 never rejects), so the
    /// words are drawn in bulk (<see cref="NumpyRandom.NextUInt32(Span{uint})"/>, twisted and tempered a vector at a
    /// time) and turned into mask values a vector at a time. The stream is sequential, so the words are drawn on one
    /// thread; with more than one thread, 512-bit vectors and a float or double mask of at least
    /// <see cref="SplitMaskLength"/> elements, that thread
    /// keeps only their lowest bits (an eighth of a float mask's bytes) and the threads turn the bits into the mask,
    /// each its own stretch, so that no thread writes the whole mask (on a machine whose cores are far apart, writing
    /// lines that another core's kernels just wrote costs more than drawing the words).
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The rate is not strictly between 0 and 1.</exception>
    public static void DropoutMask<T>(Span<T> mask, double rate, NumpyRandom random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(random);
        T scale = DropoutScale<T>(rate);
        if (rate == 0.5 && mask.Length >= SplitMaskLength && Parallelism.CurrentThreads > 1 && Vector512.IsHardwareAccelerated
            && (typeof(T) == typeof(float) || typeof(T) == typeof(double)))
        {
            BitsToMask(DrawLowestBits(mask.Length, random), mask, scale);
            return;
        }

        if (rate == 0.5)
        {
            Span<uint> words = stackalloc uint[MaskChunk];
            for (int start = 0; start < mask.Length; start += MaskChunk)
            {
                int count = Math.Min(MaskChunk, mask.Length - start);
                random.NextUInt32(words[..count]);
                WordsToMask(words[..count], mask.Slice(start, count), scale, default(LowestBitSet));
            }

            return;
        }

        double keep = 1 - rate;
        Span<double> draws = stackalloc double[MaskChunk];
        for (int start = 0; start < mask.Length; start += MaskChunk)
        {
            int count = Math.Min(MaskChunk, mask.Length - start);
            random.RandomSample(draws[..count]);
            for (int i = 0; i < count; i++)
            {
                mask[start + i] = draws[i] < keep ? scale : T.Zero;
            }
        }
    }

    /// <summary>
    /// Fills a dropout mask from a Philox stream: element i is kept (<c>1 / (1 - rate)</c>) when word i of the draw is
    /// below ⌊(1 − rate)·2³²⌉, else 0. The draw takes the next ⌈n / 4⌉ blocks of <paramref name="random"/>.
    /// </summary>
    /// <remarks>
    /// Every stretch of a Philox stream can be computed on its own, so the mask is split into parts of a fixed length,
    /// each drawn from its own blocks on whichever thread runs it: the mask does not depend on the thread count.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The rate is not strictly between 0 and 1.</exception>
    public static unsafe void DropoutMask<T>(Span<T> mask, double rate, Philox4x32 random)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(random);
        T scale = DropoutScale<T>(rate);
        double threshold = Math.Round((1 - rate) * 4294967296.0);
        fixed (T* target = mask)
        {
            var work = new PhiloxMaskWork<T>
            {
                Mask = target,
                Length = mask.Length,
                Seed = random.Seed,
                Stream = random.Stream,
                FirstBlock = random.Position,
                Keep = new WordBelow(threshold >= 4294967295.0 ? uint.MaxValue : (uint)threshold),
                Scale = scale,
            };
            WorkerPool.Run(ref work, (mask.Length + MaskPartLength - 1) / MaskPartLength);
        }

        random.Position += Philox4x32.BlocksFor(mask.Length);
    }

    /// <summary>
    /// The lowest bits of the next <paramref name="count"/> words of <paramref name="random"/>, word i in bit i mod 64
    /// of element i / 64 (a per-thread buffer, valid until this thread's next call).
    /// </summary>
    private static ReadOnlySpan<ulong> DrawLowestBits(int count, NumpyRandom random)
    {
        int length = (count + 63) / 64;
        if (t_maskBits is null || t_maskBits.Length < length)
        {
            t_maskBits = new ulong[length];
        }

        Span<ulong> bits = t_maskBits.AsSpan(0, length);
        Span<uint> words = stackalloc uint[MaskChunk];
        for (int start = 0; start < count; start += MaskChunk)
        {
            int drawn = Math.Min(MaskChunk, count - start);
            random.NextUInt32(words[..drawn]);
            PackLowestBits(words[..drawn], bits.Slice(start / 64));
        }

        return bits;
    }

    /// <summary>
    /// The lowest bit of each of <paramref name="words"/> (at most <see cref="MaskChunk"/>, a multiple of 64 but for
    /// the last chunk) into <paramref name="bits"/>, 64 to an element, the first word in the lowest bit.
    /// </summary>
    private static void PackLowestBits(ReadOnlySpan<uint> words, Span<ulong> bits)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref uint word = ref MemoryMarshal.GetReference(words);
            for (; i <= words.Length - 64; i += 64)
            {
                ulong packed = 0;
                for (int group = 0; group < 64; group += Vector256<uint>.Count)
                {
                    // The lowest bit moved to the sign, whose bits the extraction gathers, lane 0 lowest.
                    Vector256<uint> lanes = Vector256.ShiftLeft(Vector256.LoadUnsafe(ref word, (nuint)(i + group)), 31);
                    packed |= (ulong)Vector256.ExtractMostSignificantBits(lanes) << group;
                }

                bits[i / 64] = packed;
            }
        }

        for (; i < words.Length; i += 64)
        {
            ulong packed = 0;
            int end = Math.Min(words.Length, i + 64);
            for (int j = i; j < end; j++)
            {
                packed |= (ulong)(words[j] & 1) << (j - i);
            }

            bits[i / 64] = packed;
        }
    }

    /// <summary><c>mask[i] = bit i ? scale : 0</c>, split across threads by whole elements of <paramref name="bits"/>.</summary>
    private static unsafe void BitsToMask<T>(ReadOnlySpan<ulong> bits, Span<T> mask, T scale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (ulong* source = bits)
        fixed (T* target = mask)
        {
            var work = new BitsToMaskWork<T> { Bits = source, Mask = target, Length = mask.Length, Scale = scale };
            ParallelRange.Run(ref work, bits.Length, 64);
        }
    }

    /// <summary>The value of a kept element, after checking the rate.</summary>
    private static T DropoutScale<T>(double rate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!(rate > 0 && rate < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "The dropout rate must be between 0 and 1 (exclusive).");
        }

        return T.CreateTruncating(1 / (1 - rate));
    }

    /// <summary>
    /// <c>mask[i] = keep(words[i]) ? scale : 0</c>, a vector at a time for float and double (the keep lanes, all ones
    /// or all zeros, select the scale's bits), one element at a time otherwise.
    /// </summary>
    private static void WordsToMask<T, TKeep>(ReadOnlySpan<uint> words, Span<T> mask, T scale, TKeep keep)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKeep : struct, IKeepRule
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && (typeof(T) == typeof(float) || typeof(T) == typeof(double)))
        {
            ref uint word = ref MemoryMarshal.GetReference(words);
            ref T target = ref MemoryMarshal.GetReference(mask);
            var scales = new Vector<T>(scale);
            for (; i <= words.Length - Vector<uint>.Count; i += Vector<uint>.Count)
            {
                Vector<int> kept = Vector.AsVectorInt32(keep.Keep(Vector.LoadUnsafe(ref word, (nuint)i)));
                if (typeof(T) == typeof(float))
                {
                    (kept.As<int, T>() & scales).StoreUnsafe(ref target, (nuint)i);
                }
                else
                {
                    // Sign extension widens each all-ones lane to all ones.
                    Vector.Widen(kept, out Vector<long> low, out Vector<long> high);
                    (low.As<long, T>() & scales).StoreUnsafe(ref target, (nuint)i);
                    (high.As<long, T>() & scales).StoreUnsafe(ref target, (nuint)(i + Vector<long>.Count));
                }
            }
        }

        for (; i < words.Length; i++)
        {
            mask[i] = keep.Keep(words[i]) ? scale : T.Zero;
        }
    }

    /// <summary>Which words keep their mask element.</summary>
    private interface IKeepRule
    {
        /// <summary>Whether <paramref name="word"/> keeps its element.</summary>
        bool Keep(uint word);

        /// <summary>All ones in the lanes whose word keeps its element, zeros elsewhere.</summary>
        Vector<uint> Keep(Vector<uint> words);
    }

    /// <summary>numpy's <c>randint(2) == 1</c>: the word's lowest bit.</summary>
    private readonly struct LowestBitSet : IKeepRule
    {
        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Keep(uint word) => (word & 1) != 0;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector<uint> Keep(Vector<uint> words) => Vector.Equals(words & Vector<uint>.One, Vector<uint>.One);
    }

    /// <summary>A uniform word below a threshold: probability threshold / 2³².</summary>
    private readonly struct WordBelow(uint threshold) : IKeepRule
    {
        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Keep(uint word) => word < threshold;

        /// <inheritdoc/>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public Vector<uint> Keep(Vector<uint> words) => Vector.LessThan(words, new Vector<uint>(threshold));
    }

    /// <summary>
    /// The mask elements of a stretch of packed bits, 64 to a bit element, a 512-bit vector at a time (the last
    /// elements past a whole 64 one at a time).
    /// </summary>
    private unsafe struct BitsToMaskWork<T> : IRangeWork
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public ulong* Bits;
        public T* Mask;
        public int Length;
        public T Scale;

        /// <inheritdoc/>
        public readonly void Run(int start, int end)
        {
            int first = start * 64;
            int last = Math.Min(Length, end * 64);
            int i = first;

            // Lane j of a vector holds 1 << j: a lane is kept when its bit of the vector's stretch is set.
            int lanes = Vector512<T>.Count;
            var scales = Vector512.Create(Scale);
            for (; i <= last - 64; i += 64)
            {
                ulong word = Bits[i / 64];
                for (int lane = 0; lane < 64; lane += lanes)
                {
                    ulong stretch = word >> lane;
                    Vector512<T> kept = typeof(T) == typeof(float)
                        ? Vector512.Equals(Vector512.Create((int)stretch) & LaneBits.Int32, LaneBits.Int32).As<int, T>()
                        : Vector512.Equals(Vector512.Create((long)stretch) & LaneBits.Int64, LaneBits.Int64).As<long, T>();
                    (kept & scales).Store(Mask + i + lane);
                }
            }

            for (; i < last; i++)
            {
                Mask[i] = ((Bits[i / 64] >> (i % 64)) & 1) != 0 ? Scale : T.Zero;
            }
        }
    }

    /// <summary>Vectors whose lane j holds 1 &lt;&lt; j.</summary>
    private static class LaneBits
    {
        public static readonly Vector512<int> Int32 = Vector512.Create(1, 1 << 1, 1 << 2, 1 << 3, 1 << 4, 1 << 5, 1 << 6, 1 << 7, 1 << 8, 1 << 9, 1 << 10, 1 << 11, 1 << 12, 1 << 13, 1 << 14, 1 << 15);

        public static readonly Vector512<long> Int64 = Vector512.Create(1L, 1L << 1, 1L << 2, 1L << 3, 1L << 4, 1L << 5, 1L << 6, 1L << 7);
    }

    /// <summary>One part of a Philox mask: its elements' words from their own blocks, a chunk at a time.</summary>
    private unsafe struct PhiloxMaskWork<T> : IParallelWork
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T* Mask;
        public int Length;
        public ulong Seed;
        public ulong Stream;
        public ulong FirstBlock;
        public WordBelow Keep;
        public T Scale;

        /// <inheritdoc/>
        public readonly void Run(int part)
        {
            Span<uint> words = stackalloc uint[MaskChunk];
            int end = Math.Min(Length, (part + 1) * MaskPartLength);
            for (int start = part * MaskPartLength; start < end; start += MaskChunk)
            {
                int count = Math.Min(MaskChunk, end - start);
                Philox4x32.Generate(Seed, Stream, FirstBlock + (ulong)(start / 4), words[..count]);
                WordsToMask(words[..count], new Span<T>(Mask + start, count), Scale, Keep);
            }
        }
    }
}
