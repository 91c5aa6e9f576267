using System.Diagnostics;
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

    /// <summary>The shortest numpy-stream mask drawn in parts across threads.</summary>
    private const int SplitMaskLength = 128 * 1024;

    /// <summary>The mask elements a part of a split numpy-stream mask starts on a multiple of (64 bytes of floats).</summary>
    internal const int SplitMaskAlignment = 16;

    /// <summary>
    /// What skipping a word of the stream (its share of the twist) costs against drawing it into the mask (the twist,
    /// the tempering and the mask value): the bench's <c>threads</c> command skips 1.28M words in 163-172 µs and draws
    /// them into a float mask in 422-457 µs on one thread (an Intel Xeon with AVX-512). Only the split depends on it,
    /// never the mask.
    /// </summary>
    private const double SkipCost = 0.4;

    /// <summary>
    /// <see cref="SkipCost"/> for a mask handed to its loop as it is drawn, whose words each cost the loop's element
    /// too: the chapter 10 CNN's mask with h · mask on two threads took 577-584 µs with the parts cut at 0.4, 508-527 at
    /// 0.2, and no less at 0.15 or 0.1 (a scratch program timing each call of the generated step). Only the split
    /// depends on it, never the mask.
    /// </summary>
    private const double SkipCostWithLoop = 0.2;

    /// <summary>
    /// The words from one part's state to the next in <see cref="t_partStates"/>: the state and 128 bytes, so that no
    /// two parts' states share a cache line (or an adjacent pair). With the states side by side, the line where one
    /// ended and the next began was written by both threads at every twist, and two threads twisting at once each
    /// took about 30% longer than one alone (185 against 141 µs per 1.28M words, in a test program).
    /// </summary>
    private const int PartStateStride = MersenneTwister.StateLength + 32;

    /// <summary>The generator states of this thread's split numpy-stream masks, one per part, <see cref="PartStateStride"/> words apart.</summary>
    [ThreadStatic]
    private static uint[]? t_partStates;

    /// <summary>
    /// Fills a dropout mask from numpy's stream: for rate 0.5 one <c>randint(2)</c> per element times 2 (as the book
    /// draws it), otherwise <c>1 / (1 - rate)</c> where <c>random_sample() &lt; 1 - rate</c>, else 0.
    /// </summary>
    /// <remarks>
    /// numpy's <c>randint(2)</c> is one 32-bit word masked to its lowest bit (the range 0…1 never rejects), so the
    /// words are drawn in bulk (<see cref="NumpyRandom.NextUInt32(Span{uint})"/>, twisted and tempered a vector at a
    /// time) and turned into mask values a vector at a time. Element i takes word i of the stream, so with more than
    /// one thread a mask of at least <see cref="SplitMaskLength"/> elements is cut into one stretch per thread: each
    /// thread copies the generator's state, moves it on to its stretch's first word by twisting alone (the tempering
    /// and the mask values, most of the work, are left to the thread whose stretch they are), and draws its own
    /// stretch; the generator then takes the last stretch's state. The words are the ones a single thread draws, and
    /// apart from its 2.5 KB copy of the state no thread reads what another wrote.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The rate is not strictly between 0 and 1.</exception>
    public static void DropoutMask<T>(Span<T> mask, double rate, NumpyRandom random)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        NumpyMask(mask, rate, random, bits: false, default);

    /// <summary>
    /// The mask <see cref="DropoutMask{T}(Span{T}, double, NumpyRandom)"/> draws, the same words of the stream, kept
    /// as one bit per element in the memory of <paramref name="mask"/>: element i is kept where bit i % 8 of byte i / 8
    /// is set. Of the mask's <c>n · sizeof(T)</c> bytes it writes the first ⌈n / 8⌉; <see cref="Simd.MaskBits{T}"/>
    /// and <see cref="Simd.MaskBit{T}"/> read the elements back as <c>1 / (1 - rate)</c> or 0. A loop that reads the
    /// mask then moves a 32nd (float) or 64th (double) of the bytes it moves for the values.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The rate is not strictly between 0 and 1.</exception>
    public static void DropoutMaskBits<T>(Span<T> mask, double rate, NumpyRandom random)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        NumpyMask(mask, rate, random, bits: true, default);

    /// <summary>
    /// The mask <see cref="DropoutMask{T}(Span{T}, double, NumpyRandom)"/> draws, kept as a training body keeps it: as
    /// bits (<see cref="DropoutMaskBits{T}(Span{T}, double, NumpyRandom)"/>) for double, as the values for every other
    /// type. <see cref="Simd.PackedMask{T}"/> and <see cref="Simd.PackedMaskElement{T}"/> read either back.
    /// </summary>
    /// <remarks>
    /// Whether bits pay is the bytes a loop saves against the work of turning bits into lanes. A double mask as values
    /// is 8 bytes an element, and the chapter 10 CNN's step ran 8-11% faster with bits (1.28M elements: 10 MB of
    /// mask written once and read twice); a float mask is 4 bytes an element, and the same step in float ran 1-4% slower
    /// with bits, the expansion costing more than the bytes. docs/performance.md gives both runs.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The rate is not strictly between 0 and 1.</exception>
    public static void DropoutMaskPacked<T>(Span<T> mask, double rate, NumpyRandom random)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        NumpyMask(mask, rate, random, bits: PacksMasks<T>(), default);

    /// <summary>
    /// The mask <see cref="DropoutMask{T}(Span{T}, double, Philox4x32)"/> draws, kept as a training body keeps it (see
    /// <see cref="DropoutMaskPacked{T}(Span{T}, double, NumpyRandom)"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The rate is not strictly between 0 and 1.</exception>
    public static void DropoutMaskPacked<T>(Span<T> mask, double rate, Philox4x32 random)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        PhiloxMask(mask, rate, random, bits: PacksMasks<T>(), default);

    /// <summary>Whether a training body keeps the dropout masks of <typeparamref name="T"/> as bits (double) rather than as values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool PacksMasks<T>() => typeof(T) == typeof(double);

    /// <summary>
    /// A numpy-stream mask, as values or, with <paramref name="bits"/>, as bits in the mask's memory, each of the
    /// loop's items handed to <paramref name="handOff"/>'s loop once its elements are drawn.
    /// </summary>
    private static unsafe void NumpyMask<T>(Span<T> mask, double rate, NumpyRandom random, bool bits, MaskHandOff handOff)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(random);
        T scale = DropoutScale<T>(rate);
        if (rate == 0.5)
        {
            LowestBitMask(mask, scale, random.Generator, mask.Length >= SplitMaskLength ? Parallelism.CurrentThreads : 1, bits, handOff);
            return;
        }

        double keep = 1 - rate;
        Span<double> draws = stackalloc double[MaskChunk];
        int item = 0;
        fixed (T* target = mask)
        {
            for (int start = 0; start < mask.Length; start += MaskChunk)
            {
                int count = Math.Min(MaskChunk, mask.Length - start);
                random.RandomSample(draws[..count]);
                if (bits)
                {
                    DrawsToBits(draws[..count], keep, (byte*)target, start);
                }
                else
                {
                    for (int i = 0; i < count; i++)
                    {
                        mask[start + i] = draws[i] < keep ? scale : T.Zero;
                    }
                }

                item = handOff.RunDrawn(item, start + count, mask.Length);
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
    public static void DropoutMask<T>(Span<T> mask, double rate, Philox4x32 random)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        PhiloxMask(mask, rate, random, bits: false, default);

    /// <summary>
    /// The mask <see cref="DropoutMask{T}(Span{T}, double, Philox4x32)"/> draws, the same blocks, kept as one bit per
    /// element in the memory of <paramref name="mask"/> (see <see cref="DropoutMaskBits{T}(Span{T}, double, NumpyRandom)"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The rate is not strictly between 0 and 1.</exception>
    public static void DropoutMaskBits<T>(Span<T> mask, double rate, Philox4x32 random)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        PhiloxMask(mask, rate, random, bits: true, default);

    /// <summary>
    /// A Philox mask, as values or, with <paramref name="bits"/>, as bits in the mask's memory, each of the loop's
    /// items handed to <paramref name="handOff"/>'s loop once its elements are drawn.
    /// </summary>
    private static unsafe void PhiloxMask<T>(Span<T> mask, double rate, Philox4x32 random, bool bits, MaskHandOff handOff)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(random);
        T scale = DropoutScale<T>(rate);
        double threshold = Math.Round((1 - rate) * 4294967296.0);
        int partLength = handOff.Aligned(MaskPartLength);
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
                Bits = bits,
                PartLength = partLength,
                HandOff = handOff,
            };
            WorkerPool.Run(ref work, (mask.Length + partLength - 1) / partLength);
        }

        random.Position += Philox4x32.BlocksFor(mask.Length);
    }

    /// <summary>
    /// A <c>randint(2)</c> mask of <paramref name="generator"/>'s next words in <paramref name="parts"/> stretches,
    /// one per thread (see <see cref="DropoutMask{T}(Span{T}, double, NumpyRandom)"/>; one stretch drawn on the calling
    /// thread for a short mask or one thread); the generator goes on after the last word.
    /// </summary>
    private static unsafe void LowestBitMask<T>(Span<T> mask, T scale, MersenneTwister generator, int parts, bool bits, MaskHandOff handOff)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int words = MersenneTwister.StateLength;
        if (t_partStates is null || t_partStates.Length < parts * PartStateStride)
        {
            t_partStates = new uint[parts * PartStateStride];
        }

        Span<uint> states = t_partStates.AsSpan(0, parts * PartStateStride);
        int next = generator.SaveState(states[..words]);
        for (int part = 1; part < parts; part++)
        {
            states[..words].CopyTo(states.Slice(part * PartStateStride, words));
        }

        int last = next;
        fixed (uint* state = states)
        fixed (T* target = mask)
        {
            var work = new LowestBitMaskWork<T>
            {
                States = state, Next = next, Mask = target, Length = mask.Length, Parts = parts, Scale = scale, Bits = bits, LastNext = &last,
                Alignment = handOff.Aligned(SplitMaskAlignment), HandOff = handOff, SkipShare = handOff.Chunk == 0 ? SkipCost : SkipCostWithLoop,
            };
            WorkerPool.Run(ref work, parts);
        }

        generator.RestoreState(states.Slice((parts - 1) * PartStateStride, words), last);
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

    /// <summary>
    /// The mask elements <paramref name="first"/> … of <paramref name="words"/>: values from <paramref name="mask"/>'s
    /// element <paramref name="first"/> on, or with <paramref name="bits"/> their bits (<paramref name="first"/> a
    /// multiple of 8, so that no two chunks, or threads, write one byte).
    /// </summary>
    private static unsafe void WriteMask<T, TKeep>(ReadOnlySpan<uint> words, T* mask, int first, T scale, TKeep keep, bool bits)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TKeep : struct, IKeepRule
    {
        if (bits)
        {
            WordsToBits(words, (byte*)mask, first, keep);
        }
        else
        {
            WordsToMask(words, new Span<T>(mask + first, words.Length), scale, keep);
        }
    }

    /// <summary>
    /// Bit <paramref name="first"/> + i of <paramref name="bits"/> set where <c>keep(words[i])</c>, cleared elsewhere,
    /// eight words to a byte (<paramref name="first"/> a multiple of 8).
    /// </summary>
    private static unsafe void WordsToBits<TKeep>(ReadOnlySpan<uint> words, byte* bits, int first, TKeep keep)
        where TKeep : struct, IKeepRule
    {
        Debug.Assert(first % 8 == 0, "A chunk of mask bits starts on a byte.");
        byte* target = bits + (first / 8);
        int i = 0;
        if (Vector256.IsHardwareAccelerated && Vector<uint>.Count == Vector256<uint>.Count)
        {
            ref uint word = ref MemoryMarshal.GetReference(words);
            for (; i <= words.Length - 8; i += 8)
            {
                target[i / 8] = (byte)keep.Keep(Vector.LoadUnsafe(ref word, (nuint)i)).AsVector256().ExtractMostSignificantBits();
            }
        }

        for (; i < words.Length; i += 8)
        {
            int value = 0;
            for (int lane = 0; lane < 8 && i + lane < words.Length; lane++)
            {
                value |= keep.Keep(words[i + lane]) ? 1 << lane : 0;
            }

            target[i / 8] = (byte)value;
        }
    }

    /// <summary>Bit <paramref name="first"/> + i of <paramref name="bits"/> set where <c>draws[i] &lt; keep</c>, cleared elsewhere (<paramref name="first"/> a multiple of 8).</summary>
    private static unsafe void DrawsToBits(ReadOnlySpan<double> draws, double keep, byte* bits, int first)
    {
        Debug.Assert(first % 8 == 0, "A chunk of mask bits starts on a byte.");
        byte* target = bits + (first / 8);
        for (int i = 0; i < draws.Length; i += 8)
        {
            int value = 0;
            for (int lane = 0; lane < 8 && i + lane < draws.Length; lane++)
            {
                value |= draws[i + lane] < keep ? 1 << lane : 0;
            }

            target[i / 8] = (byte)value;
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
    /// One stretch of a split <c>randint(2)</c> mask: its own copy of the generator's state, moved on to the stretch's
    /// first word, draws the stretch's words a chunk at a time.
    /// </summary>
    private unsafe struct LowestBitMaskWork<T> : IParallelWork
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        /// <summary>One state per part, each a copy of the generator's, <see cref="PartStateStride"/> words apart.</summary>
        public uint* States;

        /// <summary>The position of the generator's next output in those states.</summary>
        public int Next;

        public T* Mask;
        public int Length;
        public int Parts;
        public T Scale;

        /// <summary>Whether the mask is kept as bits in its memory rather than as values.</summary>
        public bool Bits;

        /// <summary>Receives the position the last part's state ends at.</summary>
        public int* LastNext;

        /// <summary>The multiple of elements every part but the first starts on: <see cref="SplitMaskAlignment"/>, or the loop's items.</summary>
        public int Alignment;

        /// <summary>The loop the part's elements are handed to once drawn, if any.</summary>
        public MaskHandOff HandOff;

        /// <summary>What skipping a word costs against drawing it (<see cref="SkipCost"/>, or <see cref="SkipCostWithLoop"/>).</summary>
        public double SkipShare;

        /// <inheritdoc/>
        public readonly void Run(int part)
        {
            int start = Start(part);
            int end = part == Parts - 1 ? Length : Start(part + 1);
            var state = new Span<uint>(States + ((long)part * PartStateStride), MersenneTwister.StateLength);
            int next = MersenneTwister.Skip(state, Next, start);
            Span<uint> words = stackalloc uint[MaskChunk];
            int item = HandOff.FirstItem(start);
            for (int first = start; first < end; first += MaskChunk)
            {
                int count = Math.Min(MaskChunk, end - first);
                next = MersenneTwister.Draw(state, next, words[..count]);
                WriteMask(words[..count], Mask, first, Scale, default(LowestBitSet), Bits);
                item = HandOff.RunDrawn(item, first + count, Length);
            }

            if (part == Parts - 1)
            {
                *LastNext = next;
            }
        }

        /// <summary>
        /// The first element of part <paramref name="part"/>, on a multiple of <see cref="Alignment"/>. A
        /// part's time is its skip (<see cref="SkipShare"/> of a drawn word's per word) plus its own words, so the parts
        /// shrink as their skips grow: with u words for part 0 and r the skip's share, part p starts at
        /// u·(1 − (1 − r)^p) / r, which reaches the mask's end at p = <see cref="Parts"/>.
        /// </summary>
        private readonly int Start(int part)
        {
            double reached = (1 - Math.Pow(1 - SkipShare, part)) / (1 - Math.Pow(1 - SkipShare, Parts));
            return (int)((Length / Alignment) * reached) * Alignment;
        }
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

        /// <summary>Whether the mask is kept as bits in its memory rather than as values.</summary>
        public bool Bits;

        /// <summary>The elements of a part: <see cref="MaskPartLength"/>, or the next multiple of the loop's items.</summary>
        public int PartLength;

        /// <summary>The loop the part's elements are handed to once drawn, if any.</summary>
        public MaskHandOff HandOff;

        /// <inheritdoc/>
        public readonly void Run(int part)
        {
            Span<uint> words = stackalloc uint[MaskChunk];
            int end = (int)Math.Min(Length, (part + 1L) * PartLength);
            int item = HandOff.FirstItem(part * PartLength);
            for (int start = part * PartLength; start < end; start += MaskChunk)
            {
                int count = Math.Min(MaskChunk, end - start);
                Philox4x32.Generate(Seed, Stream, FirstBlock + (ulong)(start / 4), words[..count]);
                WriteMask(words[..count], Mask, start, Scale, Keep, Bits);
                item = HandOff.RunDrawn(item, start + count, Length);
            }
        }
    }
}
