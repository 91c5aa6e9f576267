using System.Numerics;
using System.Runtime.CompilerServices;

namespace Graph.Runtime;

/// <summary>Whether the direct kernel skips the zeros of op(A) (<see cref="GemmOptions.Zeros"/>).</summary>
internal enum GemmZeros
{
    /// <summary>Counted before the product (<see cref="GemmCore.ZeroSkippingPays{T}"/>): skipped where op(A) is mostly zeros.</summary>
    Auto,

    /// <summary>Every element of op(A) is multiplied.</summary>
    Dense,

    /// <summary>Each row of C sums over the nonzero elements of its row of op(A) only.</summary>
    Skip,
}

/// <summary>
/// The direct kernel over the nonzero elements of op(A): for a product whose A is mostly zeros, such as a batch of
/// images (blank pixels) times a weight matrix, or its transpose in the weights' gradient.
/// </summary>
/// <remarks>
/// Each row i of C is Σ over the nonzero a = op(A)[i, p] of a·op(B)[p, :], the terms added in the order of p, each as
/// the dense tiles add it (<see cref="IGemmVector{T, TVec}.MultiplyAdd"/>): a zero factor adds a zero, which changes
/// no sum (it could change only the sign of a zero sum, and a zero times an infinite element of B would be NaN), so
/// every column the dense tiles also sum over the depth in order gets their values; in double that is every column.
/// A row of op(A) that is all zeros leaves C as it is when the product is added to C or applied as an SGD step.
/// The skipping is decided once per call, from A alone, before the product is split across threads, so the thread
/// count never changes a result.
/// </remarks>
internal static partial class GemmCore
{
    /// <summary>The shortest depth worth skipping zeros along: below it the list of each row's nonzeros costs about
    /// what the multiply-adds it saves do.</summary>
    private const int SkipZerosMinDepth = 64;

    /// <summary>The fewest multiply-adds (m·n·k) for which op(A)'s zeros are counted.</summary>
    private const long SkipZerosMinWork = 1 << 18;

    /// <summary>Zeros are skipped when at most one element of op(A) in this many is nonzero.</summary>
    private const int SkipZerosSparsity = 3;

    /// <summary>The most vectors of a row of C summed in one pass over the row's nonzeros.</summary>
    private const int SkipZerosStrip = 8;

    /// <summary>The rows of op(A) whose nonzeros are found together (one bit per element).</summary>
    private const int SkipZerosRowBlock = 64;


    /// <summary>
    /// Whether the direct kernel should skip op(A)'s zeros in this product: C at least a vector wide, a depth of at
    /// least <see cref="SkipZerosMinDepth"/>, enough work to pay for counting, and at most one element of op(A) in
    /// <see cref="SkipZerosSparsity"/> nonzero (the count stops once it passes that).
    /// </summary>
    public static unsafe bool ZeroSkippingPays<T>(in GemmProblem<T> problem, int vectorCount)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (problem.N < vectorCount || problem.K < SkipZerosMinDepth || (long)problem.M * problem.N * problem.K < SkipZerosMinWork)
        {
            return false;
        }

        // A's stored rows: op(A)'s rows, or (transA) its columns.
        int rows = problem.TransA ? problem.K : problem.M;
        int length = problem.TransA ? problem.M : problem.K;
        long limit = (long)problem.M * problem.K / SkipZerosSparsity;
        long nonZeros = 0;
        for (int r = 0; r < rows; r++)
        {
            T* row = problem.A + (r * problem.Lda);
            for (int p = 0; p < length; p += 64)
            {
                nonZeros += BitOperations.PopCount(FactorMask.NonZero(row + p, Math.Min(64, length - p)));
            }

            if (nonZeros > limit)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The rows and columns of C in <paramref name="range"/>, each row summed over its row of op(A)'s nonzeros only
    /// (found a block of <see cref="SkipZerosRowBlock"/> rows at a time, as one bit per element), in strips of up to
    /// <see cref="SkipZerosStrip"/> vectors of C's row held in registers; the last n mod W columns ride in one more
    /// vector, over the range's last W columns, of which only those columns are stored.
    /// </summary>
    /// <remarks>op(B) must be stored untransposed, and the range at least a vector wide.</remarks>
    private static unsafe void DirectSkippingZeros<T, TVec, TOps>(in GemmProblem<T> problem, GemmRange range)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
    {
        int width = TOps.Count;
        int columns = range.ColumnEnd - range.ColumnStart;
        int whole = columns / width;
        int tail = columns - (whole * width);
        int vectors = whole + (tail == 0 ? 0 : 1);
        int words = (problem.K + 63) / 64;
        ulong* masks = GemmScratch<T>.NonZeroMasks(SkipZerosRowBlock * words);
        nint* offsets = stackalloc nint[SkipZerosStrip];
        TVec rate = TOps.Broadcast(problem.Rate);

        // Row i of op(A) is A's stored row i (its elements one apart), or (transA) A's column i (lda apart).
        nint stride = problem.TransA ? problem.Lda : 1;
        for (int block = range.RowStart; block < range.RowEnd; block += SkipZerosRowBlock)
        {
            int rows = Math.Min(SkipZerosRowBlock, range.RowEnd - block);
            NonZeroMasks(in problem, block, rows, words, masks);
            for (int r = 0; r < rows; r++)
            {
                if (problem.Epilogue != GemmEpilogue.Overwrite && IsZeroRow(masks + (r * words), words))
                {
                    // C + 0 and C − rate·0 are C (but for the sign of a zero C, and a NaN from an infinite rate).
                    continue;
                }

                int i = block + r;
                T* a = problem.TransA ? problem.A + i : problem.A + (i * problem.Lda);
                T* c = problem.C + (i * problem.Ldc) + range.ColumnStart;
                T* b = problem.B + range.ColumnStart;
                for (int first = 0; first < vectors; first += SkipZerosStrip)
                {
                    int strip = Math.Min(SkipZerosStrip, vectors - first);
                    for (int v = 0; v < strip; v++)
                    {
                        // The tail's vector covers the range's last W columns.
                        offsets[v] = first + v < whole ? (first + v) * width : columns - width;
                    }

                    int tailLanes = first + strip > whole ? tail : 0;
                    var work = new SkipStrip<T>(c, b, problem.Ldb, a, stride, masks + (r * words), words, offsets, tailLanes, problem.Epilogue);
                    switch (strip)
                    {
                        case 1: SumStrip<T, TVec, TOps, Vectors1>(in work, rate); break;
                        case 2: SumStrip<T, TVec, TOps, Vectors2>(in work, rate); break;
                        case 3: SumStrip<T, TVec, TOps, Vectors3>(in work, rate); break;
                        case 4: SumStrip<T, TVec, TOps, Vectors4>(in work, rate); break;
                        case 5: SumStrip<T, TVec, TOps, Vectors5>(in work, rate); break;
                        case 6: SumStrip<T, TVec, TOps, Vectors6>(in work, rate); break;
                        case 7: SumStrip<T, TVec, TOps, Vectors7>(in work, rate); break;
                        default: SumStrip<T, TVec, TOps, Vectors8>(in work, rate); break;
                    }
                }
            }
        }
    }

    /// <summary>Whether a row's bits mark no nonzero element.</summary>
    private static unsafe bool IsZeroRow(ulong* mask, int words)
    {
        ulong any = 0;
        for (int w = 0; w < words; w++)
        {
            any |= mask[w];
        }

        return any == 0;
    }

    /// <summary>
    /// Bit p of word p / 64 of row r's <paramref name="words"/> words set where op(A)[first + r, p] is nonzero, for
    /// the <paramref name="rows"/> ≤ 64 rows from <paramref name="first"/> on. NaN counts as nonzero, −0 as zero.
    /// </summary>
    private static unsafe void NonZeroMasks<T>(in GemmProblem<T> problem, int first, int rows, int words, ulong* masks)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int k = problem.K;
        if (!problem.TransA)
        {
            for (int r = 0; r < rows; r++)
            {
                T* row = problem.A + ((first + r) * problem.Lda);
                for (int w = 0; w < words; w++)
                {
                    masks[(r * words) + w] = FactorMask.NonZero(row + (w * 64), Math.Min(64, k - (w * 64)));
                }
            }

            return;
        }

        // A's stored row p holds element p of each of the block's rows: its nonzero lanes' bits go to those rows.
        new Span<ulong>(masks, rows * words).Clear();
        for (int p = 0; p < k; p++)
        {
            ulong lanes = FactorMask.NonZero(problem.A + (p * problem.Lda) + first, rows);
            ulong bit = 1UL << (p & 63);
            ulong* word = masks + (p >> 6);
            while (lanes != 0)
            {
                int r = BitOperations.TrailingZeroCount(lanes);
                lanes &= lanes - 1;
                word[r * words] |= bit;
            }
        }
    }

    /// <summary>
    /// One strip of a row of C: <typeparamref name="TWidth"/> accumulators, started from C (accumulating) or zero, each
    /// summing value·B[position, offset …] over the row's nonzeros, then written with the epilogue; a last accumulator
    /// with tail lanes stores only those.
    /// </summary>
    private static unsafe void SumStrip<T, TVec, TOps, TWidth>(in SkipStrip<T> strip, TVec rate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
        where TWidth : IStripWidth
    {
        T* c = strip.C;
        nint* o = strip.Offsets;
        bool accumulate = strip.Epilogue == GemmEpilogue.Accumulate;
        TVec s0 = Start<T, TVec, TOps>(c + o[0], accumulate);
        TVec s1 = TWidth.Vectors > 1 ? Start<T, TVec, TOps>(c + o[1], accumulate) : default;
        TVec s2 = TWidth.Vectors > 2 ? Start<T, TVec, TOps>(c + o[2], accumulate) : default;
        TVec s3 = TWidth.Vectors > 3 ? Start<T, TVec, TOps>(c + o[3], accumulate) : default;
        TVec s4 = TWidth.Vectors > 4 ? Start<T, TVec, TOps>(c + o[4], accumulate) : default;
        TVec s5 = TWidth.Vectors > 5 ? Start<T, TVec, TOps>(c + o[5], accumulate) : default;
        TVec s6 = TWidth.Vectors > 6 ? Start<T, TVec, TOps>(c + o[6], accumulate) : default;
        TVec s7 = TWidth.Vectors > 7 ? Start<T, TVec, TOps>(c + o[7], accumulate) : default;
        nint o0 = o[0], o1 = o[TWidth.Vectors > 1 ? 1 : 0], o2 = o[TWidth.Vectors > 2 ? 2 : 0], o3 = o[TWidth.Vectors > 3 ? 3 : 0];
        nint o4 = o[TWidth.Vectors > 4 ? 4 : 0], o5 = o[TWidth.Vectors > 5 ? 5 : 0], o6 = o[TWidth.Vectors > 6 ? 6 : 0], o7 = o[TWidth.Vectors > 7 ? 7 : 0];

        // The loop reads only locals, and no call follows it, so that the accumulators stay in registers.
        T* rows = strip.B;
        nint ldb = strip.Ldb;
        T* values = strip.A;
        nint stride = strip.Stride;
        ulong* masks = strip.Masks;
        for (int w = 0; w < strip.Words; w++)
        {
            ulong bits = masks[w];
            while (bits != 0)
            {
                nint p = (w * 64) + BitOperations.TrailingZeroCount(bits);
                bits &= bits - 1;
                T* b = rows + (p * ldb);
                TVec a = TOps.Broadcast(values[p * stride]);
                s0 = TOps.MultiplyAdd(s0, a, TOps.Load(b + o0));
                if (TWidth.Vectors > 1)
                {
                    s1 = TOps.MultiplyAdd(s1, a, TOps.Load(b + o1));
                }

                if (TWidth.Vectors > 2)
                {
                    s2 = TOps.MultiplyAdd(s2, a, TOps.Load(b + o2));
                }

                if (TWidth.Vectors > 3)
                {
                    s3 = TOps.MultiplyAdd(s3, a, TOps.Load(b + o3));
                }

                if (TWidth.Vectors > 4)
                {
                    s4 = TOps.MultiplyAdd(s4, a, TOps.Load(b + o4));
                }

                if (TWidth.Vectors > 5)
                {
                    s5 = TOps.MultiplyAdd(s5, a, TOps.Load(b + o5));
                }

                if (TWidth.Vectors > 6)
                {
                    s6 = TOps.MultiplyAdd(s6, a, TOps.Load(b + o6));
                }

                if (TWidth.Vectors > 7)
                {
                    s7 = TOps.MultiplyAdd(s7, a, TOps.Load(b + o7));
                }
            }
        }

        int width = TOps.Count;
        T* sums = stackalloc T[SkipZerosStrip * width];
        TOps.Store(sums, s0);
        if (TWidth.Vectors > 1)
        {
            TOps.Store(sums + width, s1);
        }

        if (TWidth.Vectors > 2)
        {
            TOps.Store(sums + (2 * width), s2);
        }

        if (TWidth.Vectors > 3)
        {
            TOps.Store(sums + (3 * width), s3);
        }

        if (TWidth.Vectors > 4)
        {
            TOps.Store(sums + (4 * width), s4);
        }

        if (TWidth.Vectors > 5)
        {
            TOps.Store(sums + (5 * width), s5);
        }

        if (TWidth.Vectors > 6)
        {
            TOps.Store(sums + (6 * width), s6);
        }

        if (TWidth.Vectors > 7)
        {
            TOps.Store(sums + (7 * width), s7);
        }

        for (int v = 0; v < TWidth.Vectors; v++)
        {
            FinishStrip<T, TVec, TOps>(in strip, v, v == TWidth.Vectors - 1 ? strip.TailLanes : 0, sums + (v * width), rate);
        }
    }

    /// <summary>Writes the sum of accumulator <paramref name="v"/> of a strip (at <paramref name="sum"/>, which it
    /// may overwrite): whole, or (<paramref name="tailLanes"/> &gt; 0, the tail's vector) its last lanes only.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void FinishStrip<T, TVec, TOps>(in SkipStrip<T> strip, int v, int tailLanes, T* sum, TVec rate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
    {
        T* c = strip.C + strip.Offsets[v];
        if (tailLanes == 0)
        {
            Finish<T, TVec, TOps>(TOps.Load(sum), c, strip.Epilogue, rate);
            return;
        }

        // The tail's vector overlaps columns already written: only its last lanes, whose C is still the original, are stored.
        TOps.Store(sum, strip.Epilogue == GemmEpilogue.SgdStep ? TOps.SgdStep(TOps.Load(c), rate, TOps.Load(sum)) : TOps.Load(sum));
        int skipped = TOps.Count - tailLanes;
        for (int lane = skipped; lane < TOps.Count; lane++)
        {
            c[lane] = sum[lane];
        }
    }
}

/// <summary>One strip of a row of C for <see cref="GemmCore"/>'s zero-skipping kernel: where C's row and B's rows
/// start (at the range's first column), the row of op(A) (element p at <c>A[p·Stride]</c>) and the bits of its
/// nonzero elements, the accumulators' column offsets, and how many lanes of the last accumulator are the row's last
/// columns (0: none, it is a whole vector).</summary>
internal readonly unsafe struct SkipStrip<T>(T* c, T* b, nint ldb, T* a, nint stride, ulong* masks, int words, nint* offsets, int tailLanes, GemmEpilogue epilogue)
    where T : unmanaged
{
    public readonly T* C = c;

    public readonly T* B = b;

    public readonly nint Ldb = ldb;

    public readonly T* A = a;

    public readonly nint Stride = stride;

    public readonly ulong* Masks = masks;

    public readonly int Words = words;

    public readonly nint* Offsets = offsets;

    public readonly int TailLanes = tailLanes;

    public readonly GemmEpilogue Epilogue = epilogue;
}

/// <summary>The number of accumulators of a strip of the zero-skipping kernel, a constant the JIT compiles each
/// strip for.</summary>
internal interface IStripWidth
{
    static abstract int Vectors { get; }
}

internal readonly struct Vectors1 : IStripWidth
{
    public static int Vectors => 1;
}

internal readonly struct Vectors2 : IStripWidth
{
    public static int Vectors => 2;
}

internal readonly struct Vectors3 : IStripWidth
{
    public static int Vectors => 3;
}

internal readonly struct Vectors4 : IStripWidth
{
    public static int Vectors => 4;
}

internal readonly struct Vectors5 : IStripWidth
{
    public static int Vectors => 5;
}

internal readonly struct Vectors6 : IStripWidth
{
    public static int Vectors => 6;
}

internal readonly struct Vectors7 : IStripWidth
{
    public static int Vectors => 7;
}

internal readonly struct Vectors8 : IStripWidth
{
    public static int Vectors => 8;
}
