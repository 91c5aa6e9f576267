using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Graph.Runtime;

/// <summary>Whether the direct kernel skips the zeros of op(A) (<see cref="GemmOptions.Zeros"/>).</summary>
internal enum GemmZeros
{
    /// <summary>Estimated before the product (<see cref="GemmCore.ZeroSkippingPays{T}"/>): skipped where tiles would skip enough.</summary>
    Auto,

    /// <summary>Every depth step of every tile is computed.</summary>
    Dense,

    /// <summary>Each tile skips the depth steps where every one of its rows of op(A) is zero.</summary>
    Skip,

    /// <summary>
    /// A narrow C over a plain A (<see cref="GemmCore.NarrowRowsShape"/>) a few rows at a time over every column,
    /// skipping the blocks of depth steps where all of them are zero, found as A is read
    /// (<see cref="GemmCore.NarrowRows{T, TVec, TOps}"/>); any other product (or part of one) as <see cref="Skip"/>.
    /// </summary>
    SkipBlocks,
}

/// <summary>
/// The direct kernel's skipping of op(A)'s zeros: for a product whose A is mostly zeros, such as a batch of images
/// (blank pixels) times a weight matrix, or its transpose in the weights' gradient.
/// </summary>
/// <remarks>
/// The bits of each row's nonzero elements are found first; each register tile of the direct kernel then runs over the
/// depth steps where at least one of its rows has a nonzero factor, in runs of consecutive steps, and skips the others
/// (an image's blank border, a pixel that none of the tile's images inks). A skipped step would add a zero to each of
/// the tile's sums, which changes no sum (it could change only the sign of a zero sum, and a zero times an infinite
/// element of B would be NaN), and the steps kept are added in the same order: the kernel gives the dense tiles'
/// results. The skipping is decided once per call, from A alone, before the product is split across threads.
/// </remarks>
internal static partial class GemmCore
{
    /// <summary>The 64 × 64 bit matrices of a transposed A's nonzero bits found from one pass along each stored row:
    /// 16, 1,024 lanes (8 KB of bits on the stack).</summary>
    private const int TransposedMaskBlocks = 16;

    /// <summary>The shortest depth worth skipping zeros along: below it finding them costs about what skipping saves.</summary>
    private const int SkipZerosMinDepth = 64;

    /// <summary>The fewest multiply-adds (m·n·k) for which op(A)'s zeros are looked for.</summary>
    private const long SkipZerosMinWork = 1 << 18;

    /// <summary>The rows of op(A) that the estimate takes together, as a tall tile of the direct kernel does.</summary>
    private const int SkipZerosGroupRows = 8;

    /// <summary>
    /// The most groups of rows (A stored plainly) or stored rows (A transposed) the estimate reads: 8. A transposed A's
    /// stored row is one depth step of every row of op(A) (W01's update, [784×100]ᵀ·[100×100]: one image's 784
    /// pixels); 8 of the batch's 100 images took about 1.0 µs before the product's first part started, where 34 took
    /// 2.9 µs (a scratch program timing the parts on two threads, medians of 3,000 calls).
    /// </summary>
    private const int SkipZerosSamples = 8;

    /// <summary>
    /// The most elements of A the estimate reads where A is stored plainly and each group is a whole depth long: two
    /// groups of 8 images of 784 pixels, about half a microsecond, where reading 12 of them (the whole of a batch of
    /// 100) took 3 µs of a 200 µs training step, before the product could start.
    /// </summary>
    private const int SkipZerosSampleElements = 16 * 1024;

    /// <summary>
    /// Zeros are skipped when at most 3 in 4 of the depth steps of a group of <see cref="SkipZerosGroupRows"/> rows
    /// have a nonzero factor (a tile then skips at least a quarter of its steps).
    /// </summary>
    private const int SkipZerosKeptQuarters = 3;

    /// <summary>
    /// Whether the direct kernel should skip op(A)'s zeros in this product: C at least a vector wide (and, A stored
    /// transposed, a vector of rows, whose nonzeros are found a vector at a time) and not computed whole as its
    /// transpose (<see cref="WholeTransposed{T}"/>, which reads A along its rows and skips nothing), a depth of at least
    /// <see cref="SkipZerosMinDepth"/>, enough work to pay for finding them, and, in a sample of A spread evenly, at
    /// most <see cref="SkipZerosKeptQuarters"/> quarters of the (group of <see cref="SkipZerosGroupRows"/> rows,
    /// depth step) pairs with a nonzero factor: what a tile would keep. Zeros spread evenly (each element nonzero
    /// with probability 0.3) leave a group of 8 rows almost no step to skip; an image's blank border leaves many.
    /// </summary>
    public static unsafe bool ZeroSkippingPays<T>(in GemmProblem<T> problem, int vectorCount)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = problem.M, k = problem.K;
        if (problem.N < vectorCount || (problem.TransA && m < vectorCount) || m < SkipZerosGroupRows
            || WholeTransposed<T>(problem.Options.Tail, problem.TransA, problem.N, vectorCount)
            || k < SkipZerosMinDepth || (long)m * problem.N * k < SkipZerosMinWork)
        {
            return false;
        }

        // The choice changes no result, only the time, so a sample decides it: groups of consecutive rows of op(A)
        // (A's stored rows), or (transA) depth steps (A's stored rows), each over groups of 8 lanes.
        long kept = 0, pairs = 0;
        if (!problem.TransA)
        {
            int groups = m / SkipZerosGroupRows;
            int samples = Math.Clamp(SkipZerosSampleElements / (SkipZerosGroupRows * k), 1, SkipZerosSamples);
            int every = Math.Max(1, groups / samples);
            for (int g = 0; g < groups; g += every)
            {
                T* first = problem.A + (g * SkipZerosGroupRows * problem.Lda);
                for (int p = 0; p < k; p += 64)
                {
                    ulong any = 0;
                    for (int r = 0; r < SkipZerosGroupRows; r++)
                    {
                        any |= FactorMask.NonZero(first + (r * problem.Lda) + p, Math.Min(64, k - p));
                    }

                    kept += BitOperations.PopCount(any);
                }

                pairs += k;
            }
        }
        else
        {
            // Spread evenly over the depth (not every k / samples-th step, which a period of the data could alias).
            int samples = Math.Min(SkipZerosSamples, k);
            for (int s = 0; s < samples; s++)
            {
                T* step = problem.A + ((long)s * k / samples * problem.Lda);
                for (int i = 0; i < m; i += 64)
                {
                    // Bit 8g set when any of lanes 8g … 8g + 7 is nonzero.
                    ulong lanes = FactorMask.NonZero(step + i, Math.Min(64, m - i));
                    lanes |= lanes >> 1;
                    lanes |= lanes >> 2;
                    lanes |= lanes >> 4;
                    kept += BitOperations.PopCount(lanes & 0x0101010101010101UL);
                }

                pairs += (m + SkipZerosGroupRows - 1) / SkipZerosGroupRows;
            }
        }

        return kept * 4 <= pairs * SkipZerosKeptQuarters;
    }

    /// <summary>
    /// The bits of the nonzero elements of the rows of op(A) in <paramref name="range"/>: row r's (counted from the
    /// range's first) are the (K + 63) / 64 words from <c>r · words</c> on, bit p of word p / 64 set where
    /// op(A)[RowStart + r, p] is nonzero. NaN counts as nonzero, −0 as zero. In a per-thread buffer.
    /// </summary>
    private static unsafe ulong* NonZeroMasks<T>(in GemmProblem<T> problem, GemmRange range)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int k = problem.K;
        int words = (k + 63) / 64;
        int rows = range.RowEnd - range.RowStart;
        ulong* masks = GemmScratch<T>.NonZeroMasks(rows * words);
        if (!problem.TransA)
        {
            for (int r = 0; r < rows; r++)
            {
                T* row = problem.A + ((range.RowStart + r) * problem.Lda);
                for (int w = 0; w < words; w++)
                {
                    masks[(r * words) + w] = FactorMask.NonZero(row + (w * 64), Math.Min(64, k - (w * 64)));
                }
            }

            return masks;
        }

        // A's stored row p holds element p of each row: the bits of 64 stored rows' nonzero lanes, 64 lanes at a time,
        // as a 64×64 bit matrix, transposed, are those rows' bits of those 64 steps. Each stored row is read along its
        // length, across a band of up to TransposedMaskBlocks such matrices, rather than 64 lanes of it at a time.
        ulong* squares = stackalloc ulong[TransposedMaskBlocks * 64];
        for (int band = 0; band < rows; band += TransposedMaskBlocks * 64)
        {
            int bandRows = Math.Min(TransposedMaskBlocks * 64, rows - band);
            int blocks = (bandRows + 63) / 64;
            for (int w = 0; w < words; w++)
            {
                int steps = Math.Min(64, k - (w * 64));
                for (int q = 0; q < 64; q++)
                {
                    T* stored = q < steps ? problem.A + ((long)((w * 64) + q) * problem.Lda) + range.RowStart + band : null;
                    for (int b = 0; b < blocks; b++)
                    {
                        squares[(b * 64) + q] = stored is null ? 0 : FactorMask.NonZero(stored + (b * 64), Math.Min(64, bandRows - (b * 64)));
                    }
                }

                for (int b = 0; b < blocks; b++)
                {
                    ulong* square = squares + (b * 64);
                    TransposeBits(square);
                    int lanes = Math.Min(64, bandRows - (b * 64));
                    for (int r = 0; r < lanes; r++)
                    {
                        masks[((band + (b * 64) + r) * words) + w] = square[r];
                    }
                }
            }
        }

        return masks;
    }

    /// <summary>
    /// Transposes a 64×64 bit matrix in place: bit j of word i goes to bit i of word j. Each of six rounds swaps, in
    /// every 2h × 2h block on the diagonal's blocks, the h × h block above the diagonal with the one below it (h = 32,
    /// 16, …, 1), for all the blocks at once with masks and shifts: eight words at a time where AVX-512 is accelerated.
    /// </summary>
    internal static unsafe void TransposeBits(ulong* square)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            TransposeBits512(square);
        }
        else
        {
            TransposeBitsScalar(square);
        }
    }

    /// <summary><see cref="TransposeBits"/> a word at a time.</summary>
    internal static unsafe void TransposeBitsScalar(ulong* square)
    {
        ulong low = 0x00000000FFFFFFFFUL;
        for (int h = 32; h != 0; h >>= 1, low ^= low << h)
        {
            for (int i = 0; i < 64; i = ((i | h) + 1) & ~h)
            {
                ulong swap = ((square[i] >> h) ^ square[i | h]) & low;
                square[i | h] ^= swap;
                square[i] ^= swap << h;
            }
        }
    }

    /// <summary>
    /// <see cref="TransposeBits"/> on eight vectors of eight words: in the rounds h = 32, 16 and 8 the words i and
    /// i + h lie in different vectors, swapped a pair of vectors at a time; in the rounds h = 4, 2 and 1 in the same
    /// vector, where each lane reads its partner (lane i ^ h) through a permutation and keeps the half of the swap that
    /// is its own.
    /// </summary>
    internal static unsafe void TransposeBits512(ulong* square)
    {
        Vector512<ulong> v0 = Vector512.Load(square), v1 = Vector512.Load(square + 8);
        Vector512<ulong> v2 = Vector512.Load(square + 16), v3 = Vector512.Load(square + 24);
        Vector512<ulong> v4 = Vector512.Load(square + 32), v5 = Vector512.Load(square + 40);
        Vector512<ulong> v6 = Vector512.Load(square + 48), v7 = Vector512.Load(square + 56);

        SwapBlocks(ref v0, ref v4, 32, 0x00000000FFFFFFFFUL);
        SwapBlocks(ref v1, ref v5, 32, 0x00000000FFFFFFFFUL);
        SwapBlocks(ref v2, ref v6, 32, 0x00000000FFFFFFFFUL);
        SwapBlocks(ref v3, ref v7, 32, 0x00000000FFFFFFFFUL);
        SwapBlocks(ref v0, ref v2, 16, 0x0000FFFF0000FFFFUL);
        SwapBlocks(ref v1, ref v3, 16, 0x0000FFFF0000FFFFUL);
        SwapBlocks(ref v4, ref v6, 16, 0x0000FFFF0000FFFFUL);
        SwapBlocks(ref v5, ref v7, 16, 0x0000FFFF0000FFFFUL);
        SwapBlocks(ref v0, ref v1, 8, 0x00FF00FF00FF00FFUL);
        SwapBlocks(ref v2, ref v3, 8, 0x00FF00FF00FF00FFUL);
        SwapBlocks(ref v4, ref v5, 8, 0x00FF00FF00FF00FFUL);
        SwapBlocks(ref v6, ref v7, 8, 0x00FF00FF00FF00FFUL);

        Vector512.Store(SwapWithinVector(SwapWithinVector(SwapWithinVector(v0, 4), 2), 1), square);
        Vector512.Store(SwapWithinVector(SwapWithinVector(SwapWithinVector(v1, 4), 2), 1), square + 8);
        Vector512.Store(SwapWithinVector(SwapWithinVector(SwapWithinVector(v2, 4), 2), 1), square + 16);
        Vector512.Store(SwapWithinVector(SwapWithinVector(SwapWithinVector(v3, 4), 2), 1), square + 24);
        Vector512.Store(SwapWithinVector(SwapWithinVector(SwapWithinVector(v4, 4), 2), 1), square + 32);
        Vector512.Store(SwapWithinVector(SwapWithinVector(SwapWithinVector(v5, 4), 2), 1), square + 40);
        Vector512.Store(SwapWithinVector(SwapWithinVector(SwapWithinVector(v6, 4), 2), 1), square + 48);
        Vector512.Store(SwapWithinVector(SwapWithinVector(SwapWithinVector(v7, 4), 2), 1), square + 56);
    }

    /// <summary>One swap of a round whose words i (in <paramref name="first"/>) and i + h (in <paramref name="second"/>)
    /// lie in two vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SwapBlocks(ref Vector512<ulong> first, ref Vector512<ulong> second, int h, ulong low)
    {
        Vector512<ulong> swap = (Vector512.ShiftRightLogical(first, h) ^ second) & Vector512.Create(low);
        second ^= swap;
        first ^= Vector512.ShiftLeft(swap, h);
    }

    /// <summary>
    /// The round h (4, 2 or 1) on the words of one vector: lane i with i &amp; h clear is the scalar round's word i
    /// (it gets its partner's low bits shifted up), lane i with it set the word i | h (it gets its partner's high bits
    /// shifted down).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> SwapWithinVector(Vector512<ulong> words, int h)
    {
        Vector512<ulong> partner = Vector512.Shuffle(words, Vector512.Create(0UL, 1, 2, 3, 4, 5, 6, 7) ^ Vector512.Create((ulong)h));
        Vector512<ulong> low = Vector512.Create(h == 4 ? 0x0F0F0F0F0F0F0F0FUL : h == 2 ? 0x3333333333333333UL : 0x5555555555555555UL);
        Vector512<ulong> lowerLanes = Vector512.Equals(Vector512.Create(0UL, 1, 2, 3, 4, 5, 6, 7) & Vector512.Create((ulong)h), Vector512<ulong>.Zero);
        Vector512<ulong> asLower = words ^ Vector512.ShiftLeft((Vector512.ShiftRightLogical(words, h) ^ partner) & low, h);
        Vector512<ulong> asUpper = words ^ ((Vector512.ShiftRightLogical(partner, h) ^ words) & low);
        return Vector512.ConditionalSelect(lowerLanes, asLower, asUpper);
    }

    /// <summary>
    /// The depth steps where any of <paramref name="rows"/> rows from row <paramref name="first"/> of
    /// <paramref name="masks"/> has a nonzero element: their bits ORed, in a per-thread buffer.
    /// </summary>
    private static unsafe ulong* NonZeroColumns<T>(ulong* masks, int first, int rows, int k)
        where T : unmanaged
    {
        int words = (k + 63) / 64;
        ulong* steps = GemmScratch<T>.NonZeroSteps(words);
        ulong* row = masks + (first * words);
        for (int w = 0; w < words; w++)
        {
            ulong any = 0;
            for (int r = 0; r < rows; r++)
            {
                any |= row[(r * words) + w];
            }

            steps[w] = any;
        }

        return steps;
    }

    /// <summary>
    /// The next run of depth steps at or after <paramref name="next"/> (below <paramref name="depth"/>): every step up
    /// to the depth when <paramref name="steps"/> is null, else the next consecutive steps whose bits are set. Returns
    /// false when there is none; otherwise the run is [<paramref name="from"/>, <paramref name="next"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe bool NextRun(ulong* steps, int depth, ref int next, out int from)
    {
        from = next;
        if (next >= depth)
        {
            return false;
        }

        if (steps is null)
        {
            next = depth;
            return true;
        }

        int words = (depth + 63) >> 6;
        int w = next >> 6;
        ulong word = steps[w] & (ulong.MaxValue << (next & 63));
        while (word == 0)
        {
            if (++w == words)
            {
                next = depth;
                return false;
            }

            word = steps[w];
        }

        from = (w << 6) + BitOperations.TrailingZeroCount(word);
        ulong clear = ~steps[w] & (ulong.MaxValue << (from & 63));
        while (clear == 0)
        {
            if (++w == words)
            {
                next = depth;
                return true;
            }

            clear = ~steps[w];
        }

        next = Math.Min(depth, (w << 6) + BitOperations.TrailingZeroCount(clear));
        return true;
    }
}
