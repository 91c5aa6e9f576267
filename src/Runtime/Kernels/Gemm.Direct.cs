using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Graph.Runtime;

/// <summary>
/// The direct GEMM kernel (<see cref="GemmKernel.Direct"/>): register-blocked tiles of C computed from A and B where
/// they lie, without packing. The depth-split kernel built on it is in <c>Gemm.SplitDepth.cs</c>, how a tile reads
/// op(A) in <c>GemmOperandA.cs</c>, and the tiles' shapes in <c>GemmTiles.cs</c>.
/// </summary>
/// <remarks>
/// <para>C is covered by strips of columns, as wide as the tile plan allows (<see cref="GemmDirectTiles"/>: three
/// vectors at 512 bits, two otherwise; W = the vector width) while they fit, then narrower ones down to one vector,
/// then the last n mod W columns; each strip by tiles of rows (up to 8 high three or two vectors wide, 24 or 16
/// accumulators, or 6 high two vectors wide in the 256-bit plan; 12 high one vector wide). The tiles of a strip run
/// one after the other, so the strip of B read from memory by the first is read from the cache by the rest; the first
/// asks for row p + <see cref="PrefetchRows"/> of the strip at step p (<see cref="GemmPrefetch"/>), since its rows,
/// one leading dimension apart, are a pattern the hardware's prefetchers do not follow far enough ahead. A tile
/// keeps its accumulators in registers for the whole depth: each step p loads the strip's vectors of row p of B and
/// broadcasts the tile's column p of op(A), read in place from A's rows or (transposed) its columns. The epilogue
/// stores the tile, adds it to C's (the sum started from C), or applies the SGD step to C straight from the
/// registers.</para>
/// <para>A C narrower than two vectors whose A is stored transposed is computed whole as its transpose
/// (<see cref="WholeTransposed{T}"/>), as the last columns of a wider one are. The last n mod W columns
/// (<see cref="GemmDirectTail"/>, chosen by <see cref="ChooseTail{T}"/>): when A is
/// stored transposed, as their transpose, a direct product of that many rows along whole vectors of C's rows
/// (<see cref="TransposedTail{T, TVec, TOps}"/>); in single precision with A stored plainly and a long depth, as dot
/// products along the depth (<see cref="DotTail{T, TVec, TOps}"/>); otherwise one vector per row of C: when n ≥ W, a
/// vector ending at column n − 1 (it recomputes some columns of the strip before, identically) whose new lanes alone
/// are written back; when n &lt; W, a vector from column 0 that reads past row p's end into row p + 1 while that stays
/// inside B, and a zero-padded copy of the last rows after that. Those tiles are computed into a small tile on the
/// stack first.</para>
/// <para>Numerics: each element of C is one accumulator lane, summed over p in order with
/// <see cref="IGemmVector{T, TVec}.MultiplyAdd"/>: the sequential sum for double, whatever the tile or the split. The
/// one exception is the dot products of a single-precision product's last columns, whose sums run in another order
/// (single precision is computed for speed); which columns take them depends on the shape alone, so the thread count
/// never changes a result.</para>
/// </remarks>
internal static partial class GemmCore
{
    /// <summary>The most rows of a tile two or three vectors wide in <see cref="GemmDirectTiles.Rows8Vectors3"/>.</summary>
    private const int TallTileRows = 8;

    /// <summary>The rows of a tile two vectors wide in <see cref="GemmDirectTiles.Rows6Vectors2"/>.</summary>
    private const int WideTileRows = 6;

    /// <summary>The rows of a tile one vector wide (either plan), and of the tiles that compute the last columns.</summary>
    private const int NarrowTileRows = 12;

    /// <summary>
    /// How many rows ahead of its step a strip's first tile prefetches B: chapter 14's LSTM step (whose [16×512]·[512×512]
    /// products read their weights from the shared cache) took 61 ms without, 59.2 ms at 8 rows, 57.5-57.8 ms at 12 to
    /// 20, 58.7 ms at 24 (docs/performance.md). A B already in the cache loses about 3% to the prefetches, which is why
    /// the later tiles of a strip, reading it from the cache, do not prefetch.
    /// </summary>
    internal const int PrefetchRows = 16;

    /// <summary>
    /// The least depth that <see cref="ChooseKernel{T}"/> splits in two halves, how many times C's rows the depth must
    /// be, and how many times its rows C's columns may be: a product such as a batch times a weight matrix
    /// (<c>x·W01</c>, [100×784]·[784×100]), whose B is larger than C and whose C threads would split by rows. See
    /// <see cref="SplitDepthChunkStart"/>.
    /// </summary>
    private const int HalvesMinDepth = 256;

    /// <inheritdoc cref="HalvesMinDepth"/>
    private const int HalvesDepthPerRow = 4;

    /// <inheritdoc cref="HalvesMinDepth"/>
    private const int HalvesWidthPerRow = 2;

    /// <summary>
    /// The depth from which <see cref="ChooseTail{T}"/> computes last columns wider than half a vector as dot products:
    /// each group of four re-reads A's rows, which a long depth pays for ([128×10000]·[10000×10]: 373-390 µs against
    /// 476-479 one vector per row; [100×100]·[100×10]: 11.6 against 4.9 µs).
    /// </summary>
    private const int DotTailLongDepth = 1024;

    /// <summary>
    /// The depth of a block of <see cref="DotTail{T, TVec, TOps}"/>: every group of columns runs over a block of its
    /// four rows before the next block, so that the rows are read from memory once rather than once per group. The
    /// rows' block (4 × 512 floats, 8 KB) and the columns' (the CNN's 10: 20 KB) stay in the first-level cache
    /// together: [128×10000]·[10000×10] took 305-342 µs so, against 361-398 in one pass, and 375-385 in blocks of
    /// 2,048 or more (a scratch program, the builds in turn).
    /// </summary>
    private const int DotTailBlock = 512;

    /// <summary>The largest C (elements) that <see cref="ChooseKernel{T}"/> splits along the depth.</summary>
    private const int SplitDepthMaxOutput = 1024;

    /// <summary>The smallest m, n and k for which <see cref="ChooseKernel{T}"/> packs: below it the operands fit the
    /// caches unpacked, and packing costs more than it saves.</summary>
    private const int PackedMinSize = 384;

    /// <summary>Runs the direct kernel on the rows and columns of C in <paramref name="range"/>.</summary>
    /// <remarks>op(B) must be stored untransposed (<see cref="RunAt{T, TVec, TOps}"/> copies a transposed B first).</remarks>
    public static unsafe void Direct<T, TVec, TOps>(in GemmProblem<T> problem, GemmRange range)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
    {
        if (problem.Options.Zeros == GemmZeros.SkipBlocks && TakesNarrowRows(in problem, range, TOps.Count))
        {
            NarrowRows<T, TVec, TOps>(in problem, range);
            return;
        }

        // Where op(A) is mostly zeros, the bits of each row's nonzero elements, from which each tile skips the depth
        // steps where all its rows' factors are zero.
        ulong* masks = problem.Options.Zeros is GemmZeros.Skip or GemmZeros.SkipBlocks ? NonZeroMasks(in problem, range) : null;
        if (masks is not null && TakesWideRows(in problem, range, TOps.Count))
        {
            WideRows<T, TVec, TOps>(in problem, range, masks);
            return;
        }

        if (problem.TransA)
        {
            DirectStrips<T, TVec, TOps, TransposedA>(in problem, range, chooseTail: true, masks);
        }
        else
        {
            DirectStrips<T, TVec, TOps, PlainA>(in problem, range, chooseTail: true, masks);
        }
    }

    /// <summary>The strips of <see cref="Direct{T, TVec, TOps}"/>, for one storage of A; the last n mod W columns as
    /// <see cref="ChooseTail{T}"/> says when <paramref name="chooseTail"/>, else one vector per row (the transposed
    /// product of <see cref="TransposedTail{T, TVec, TOps}"/> computes its own last columns so).</summary>
    /// <param name="masks">Each row's bits of its nonzero elements of op(A) (<see cref="NonZeroMasks{T}"/>), or null.</param>
    private static unsafe void DirectStrips<T, TVec, TOps, TA>(in GemmProblem<T> problem, GemmRange range, bool chooseTail, ulong* masks)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
        where TA : IGemmOperandA
    {
        int width = TOps.Count;
        if (chooseTail && WholeTransposed<T>(problem.Options.Tail, problem.TransA, problem.N, width) && range.ColumnStart == 0
            && range.ColumnEnd == problem.N && range.RowEnd - range.RowStart >= width)
        {
            TransposedTail<T, TVec, TOps>(in problem, range, 0);
            return;
        }

        bool tall = ResolveTiles<T>(problem.Options.Tiles, width) == GemmDirectTiles.Rows8Vectors3;
        int widest = tall ? 3 : 2;
        int j = range.ColumnStart;
        for (; j + (widest * width) <= range.ColumnEnd; j += widest * width)
        {
            FullStrip<T, TVec, TOps, TA>(in problem, range, j, widest, tall, masks);
        }

        for (int vectors = widest - 1; vectors >= 1; vectors--)
        {
            if (j + (vectors * width) <= range.ColumnEnd)
            {
                FullStrip<T, TVec, TOps, TA>(in problem, range, j, vectors, tall, masks);
                j += vectors * width;
            }
        }

        if (j < range.ColumnEnd)
        {
            switch (chooseTail ? ChooseTail<T>(problem.Options.Tail, problem.TransA, problem.M, range.ColumnEnd - j, problem.K, width) : GemmDirectTail.PerRow)
            {
                case GemmDirectTail.Transposed when range.RowEnd - range.RowStart >= width:
                    TransposedTail<T, TVec, TOps>(in problem, range, j);
                    break;
                case GemmDirectTail.DotProducts:
                    DotTail<T, TVec, TOps>(in problem, range, j);
                    break;
                default:
                    PartialStrip<T, TVec, TOps, TA>(in problem, range, j, masks);
                    break;
            }
        }
    }

    /// <summary>
    /// Whether a C of <paramref name="n"/> columns is computed whole as its transpose
    /// (<see cref="TransposedTail{T, TVec, TOps}"/>), not by strips with the last columns so: where A is stored
    /// transposed and C is narrower than two vectors, so that a strip would be one vector wide and its tiles would read
    /// op(A)'s elements down k rows of A far apart, where the transpose reads A's rows along their length (the double
    /// CNN's W12 update, [10000×128]ᵀ·[128×10]: one strip of 8 columns and 2 transposed). Same bits either way.
    /// </summary>
    internal static bool WholeTransposed<T>(GemmDirectTail requested, bool transA, int n, int width) =>
        transA && requested is (GemmDirectTail.Auto or GemmDirectTail.Transposed) && n < 2 * width;

    /// <summary>
    /// How the last <paramref name="columns"/> columns (fewer than a vector of <paramref name="width"/>) are computed:
    /// the option's strategy where it applies, else (<see cref="GemmDirectTail.Auto"/>) by the shape: as their
    /// transpose when A is stored transposed (on at least a vector of rows; the same bits), as dot products along the
    /// depth in single precision when they are at most half a vector, over a depth of at least four vectors and for
    /// at least four vectors of rows (fewer rows do not pay for copying the columns), or at most five eighths of a
    /// vector over a depth of at least <see cref="DotTailLongDepth"/> (the CNN's ten columns over 10,000: one vector
    /// per row uses 10 lanes of 16 at every step, the dot products 10 of 12), one vector per row otherwise.
    /// The choice depends on the product's shape alone (<paramref name="m"/> is all of C's rows), never on the rows a
    /// thread's part covers, so a thread count never changes a result.
    /// </summary>
    internal static GemmDirectTail ChooseTail<T>(GemmDirectTail requested, bool transA, int m, int columns, int k, int width)
    {
        bool dots = GemmNumerics.IsRelaxed<T>() && !transA && width > 1 && k >= 4 * width;
        return requested switch
        {
            GemmDirectTail.Transposed => transA ? GemmDirectTail.Transposed : GemmDirectTail.PerRow,
            GemmDirectTail.DotProducts => dots ? GemmDirectTail.DotProducts : GemmDirectTail.PerRow,
            GemmDirectTail.PerRow => GemmDirectTail.PerRow,
            _ => transA ? GemmDirectTail.Transposed
                : dots && m >= 4 * width && (2 * columns <= width || (8 * columns <= 5 * width && k >= DotTailLongDepth)) ? GemmDirectTail.DotProducts
                : GemmDirectTail.PerRow,
        };
    }

    /// <summary>
    /// The last columns j … of a single-precision product whose A is stored plainly, each element a dot product of a
    /// row of A and a column of op(B) along the depth: the columns are copied into a per-thread buffer as rows of k,
    /// then tiles of 4 rows × 4 columns keep 16 vector accumulators over whole vectors of the depth (a vector of A's
    /// row and one of the column each step), add up each accumulator's lanes, the last k mod W steps one by one, and
    /// apply the epilogue element by element. On 100×100×784 this computes the 4 last columns with every lane of each
    /// multiply-add useful, where one vector per row uses 4 lanes of 16; the sums are in another order than the
    /// tiles', which single precision allows (<see cref="GemmNumerics.IsRelaxed{T}"/>).
    /// </summary>
    private static unsafe void DotTail<T, TVec, TOps>(in GemmProblem<T> problem, GemmRange range, int j)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
    {
        int width = TOps.Count;
        int columns = range.ColumnEnd - j;
        int k = problem.K;
        int vectorDepth = k - (k % width);
        T* columnsOfB = GemmScratch<T>.TransposedTail(columns * k);
        Kernels.TransposeBlocks(problem.B + j, problem.Ldb, columnsOfB, k, k, columns);

        int group = DotTileColumns(columns);
        int groups = (columns + group - 1) / group;

        // Each group's 4 × group accumulators, kept between blocks of the depth (zero before the first).
        int stateLength = groups * 4 * group * width;
        T* state = stackalloc T[stateLength];
        T* sums = stackalloc T[4 * 5];
        for (int i = range.RowStart; i < range.RowEnd; i += 4)
        {
            int rows = Math.Min(4, range.RowEnd - i);

            // A tile shorter than its shape repeats its last row; those sums are not written.
            T* a0 = problem.A + (i * problem.Lda);
            T* a1 = problem.A + (Math.Min(i + 1, range.RowEnd - 1) * problem.Lda);
            T* a2 = problem.A + (Math.Min(i + 2, range.RowEnd - 1) * problem.Lda);
            T* a3 = problem.A + (Math.Min(i + 3, range.RowEnd - 1) * problem.Lda);
            new Span<T>(state, stateLength).Clear();

            // A block of the depth at a time, every group of columns over it, so that the rows' block is read from
            // memory by the first group and from the cache by the others.
            for (int start = 0; start < vectorDepth; start += DotTailBlock)
            {
                int depth = Math.Min(DotTailBlock, vectorDepth - start);
                for (int first = 0, g = 0; first < columns; first += group, g++)
                {
                    // A tile narrower than its shape repeats its last column; those sums are not written.
                    T* b0 = columnsOfB + (first * k) + start;
                    T* b1 = columnsOfB + (Math.Min(first + 1, columns - 1) * k) + start;
                    T* b2 = columnsOfB + (Math.Min(first + 2, columns - 1) * k) + start;
                    T* b3 = columnsOfB + (Math.Min(first + 3, columns - 1) * k) + start;
                    T* tileState = state + (g * 4 * group * width);
                    if (group == 5)
                    {
                        T* b4 = columnsOfB + (Math.Min(first + 4, columns - 1) * k) + start;
                        DotTile5<T, TVec, TOps>(a0 + start, a1 + start, a2 + start, a3 + start, b0, b1, b2, b3, b4, depth, tileState);
                    }
                    else
                    {
                        DotTile<T, TVec, TOps>(a0 + start, a1 + start, a2 + start, a3 + start, b0, b1, b2, b3, depth, tileState);
                    }
                }
            }

            for (int first = 0, g = 0; first < columns; first += group, g++)
            {
                int tileColumns = Math.Min(group, columns - first);
                T* tileState = state + (g * 4 * group * width);
                for (int accumulator = 0; accumulator < 4 * group; accumulator++)
                {
                    sums[accumulator] = TOps.Sum(TOps.Load(tileState + (accumulator * width)));
                }

                for (int r = 0; r < rows; r++)
                {
                    T* a = problem.A + ((i + r) * problem.Lda);
                    T* c = problem.C + ((i + r) * problem.Ldc) + j + first;
                    for (int column = 0; column < tileColumns; column++)
                    {
                        T* b = columnsOfB + ((first + column) * k);
                        T sum = sums[(r * group) + column];
                        for (int p = vectorDepth; p < k; p++)
                        {
                            sum = T.FusedMultiplyAdd(a[p], b[p], sum);
                        }

                        c[column] = problem.Epilogue switch
                        {
                            GemmEpilogue.Accumulate => c[column] + sum,
                            GemmEpilogue.SgdStep => SgdStepElement(c[column], problem.Rate, sum),
                            _ => sum,
                        };
                    }
                }
            }
        }
    }

    /// <summary>
    /// The columns of one tile of <see cref="DotTail{T, TVec, TOps}"/>: 5 where tiles of 5 leave fewer repeated columns
    /// than tiles of 4 (the CNN's 10 columns: two tiles of 5, where tiles of 4 computed 12 for 10), else 4. A tile's
    /// columns change which accumulators run side by side, never an element's sum.
    /// </summary>
    internal static int DotTileColumns(int columns) =>
        ((columns + 4) / 5 * 5) - columns < ((columns + 3) / 4 * 4) - columns ? 5 : 4;

    /// <summary>The 16 dot products of 4 rows of A and 4 columns of B over their first <paramref name="depth"/> elements
    /// (a multiple of the vector width), each accumulator started from and stored back to <paramref name="state"/> (its
    /// vectors row by row), so that a depth in blocks adds each lane's products in the same order as one pass.</summary>
    private static unsafe void DotTile<T, TVec, TOps>(T* a0, T* a1, T* a2, T* a3, T* b0, T* b1, T* b2, T* b3, int depth, T* state)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
    {
        int width = TOps.Count;
        TVec s00 = TOps.Load(state + (0 * width)), s01 = TOps.Load(state + (1 * width)), s02 = TOps.Load(state + (2 * width)), s03 = TOps.Load(state + (3 * width));
        TVec s10 = TOps.Load(state + (4 * width)), s11 = TOps.Load(state + (5 * width)), s12 = TOps.Load(state + (6 * width)), s13 = TOps.Load(state + (7 * width));
        TVec s20 = TOps.Load(state + (8 * width)), s21 = TOps.Load(state + (9 * width)), s22 = TOps.Load(state + (10 * width)), s23 = TOps.Load(state + (11 * width));
        TVec s30 = TOps.Load(state + (12 * width)), s31 = TOps.Load(state + (13 * width)), s32 = TOps.Load(state + (14 * width)), s33 = TOps.Load(state + (15 * width));
        for (int p = 0; p < depth; p += width)
        {
            TVec y0 = TOps.Load(b0 + p), y1 = TOps.Load(b1 + p), y2 = TOps.Load(b2 + p), y3 = TOps.Load(b3 + p);
            TVec x = TOps.Load(a0 + p);
            s00 = TOps.MultiplyAdd(s00, x, y0);
            s01 = TOps.MultiplyAdd(s01, x, y1);
            s02 = TOps.MultiplyAdd(s02, x, y2);
            s03 = TOps.MultiplyAdd(s03, x, y3);
            x = TOps.Load(a1 + p);
            s10 = TOps.MultiplyAdd(s10, x, y0);
            s11 = TOps.MultiplyAdd(s11, x, y1);
            s12 = TOps.MultiplyAdd(s12, x, y2);
            s13 = TOps.MultiplyAdd(s13, x, y3);
            x = TOps.Load(a2 + p);
            s20 = TOps.MultiplyAdd(s20, x, y0);
            s21 = TOps.MultiplyAdd(s21, x, y1);
            s22 = TOps.MultiplyAdd(s22, x, y2);
            s23 = TOps.MultiplyAdd(s23, x, y3);
            x = TOps.Load(a3 + p);
            s30 = TOps.MultiplyAdd(s30, x, y0);
            s31 = TOps.MultiplyAdd(s31, x, y1);
            s32 = TOps.MultiplyAdd(s32, x, y2);
            s33 = TOps.MultiplyAdd(s33, x, y3);
        }

        TOps.Store(state + (0 * width), s00);
        TOps.Store(state + (1 * width), s01);
        TOps.Store(state + (2 * width), s02);
        TOps.Store(state + (3 * width), s03);
        TOps.Store(state + (4 * width), s10);
        TOps.Store(state + (5 * width), s11);
        TOps.Store(state + (6 * width), s12);
        TOps.Store(state + (7 * width), s13);
        TOps.Store(state + (8 * width), s20);
        TOps.Store(state + (9 * width), s21);
        TOps.Store(state + (10 * width), s22);
        TOps.Store(state + (11 * width), s23);
        TOps.Store(state + (12 * width), s30);
        TOps.Store(state + (13 * width), s31);
        TOps.Store(state + (14 * width), s32);
        TOps.Store(state + (15 * width), s33);
    }

    /// <summary>The 20 dot products of 4 rows of A and 5 columns of B over their first <paramref name="depth"/> elements
    /// (a multiple of the vector width), each accumulated, started and stored as in <see cref="DotTile{T, TVec, TOps}"/>.</summary>
    private static unsafe void DotTile5<T, TVec, TOps>(T* a0, T* a1, T* a2, T* a3, T* b0, T* b1, T* b2, T* b3, T* b4, int depth, T* state)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
    {
        int width = TOps.Count;
        TVec s00 = TOps.Load(state + (0 * width)), s01 = TOps.Load(state + (1 * width)), s02 = TOps.Load(state + (2 * width)), s03 = TOps.Load(state + (3 * width)), s04 = TOps.Load(state + (4 * width));
        TVec s10 = TOps.Load(state + (5 * width)), s11 = TOps.Load(state + (6 * width)), s12 = TOps.Load(state + (7 * width)), s13 = TOps.Load(state + (8 * width)), s14 = TOps.Load(state + (9 * width));
        TVec s20 = TOps.Load(state + (10 * width)), s21 = TOps.Load(state + (11 * width)), s22 = TOps.Load(state + (12 * width)), s23 = TOps.Load(state + (13 * width)), s24 = TOps.Load(state + (14 * width));
        TVec s30 = TOps.Load(state + (15 * width)), s31 = TOps.Load(state + (16 * width)), s32 = TOps.Load(state + (17 * width)), s33 = TOps.Load(state + (18 * width)), s34 = TOps.Load(state + (19 * width));
        for (int p = 0; p < depth; p += width)
        {
            TVec y0 = TOps.Load(b0 + p), y1 = TOps.Load(b1 + p), y2 = TOps.Load(b2 + p), y3 = TOps.Load(b3 + p), y4 = TOps.Load(b4 + p);
            TVec x = TOps.Load(a0 + p);
            s00 = TOps.MultiplyAdd(s00, x, y0);
            s01 = TOps.MultiplyAdd(s01, x, y1);
            s02 = TOps.MultiplyAdd(s02, x, y2);
            s03 = TOps.MultiplyAdd(s03, x, y3);
            s04 = TOps.MultiplyAdd(s04, x, y4);
            x = TOps.Load(a1 + p);
            s10 = TOps.MultiplyAdd(s10, x, y0);
            s11 = TOps.MultiplyAdd(s11, x, y1);
            s12 = TOps.MultiplyAdd(s12, x, y2);
            s13 = TOps.MultiplyAdd(s13, x, y3);
            s14 = TOps.MultiplyAdd(s14, x, y4);
            x = TOps.Load(a2 + p);
            s20 = TOps.MultiplyAdd(s20, x, y0);
            s21 = TOps.MultiplyAdd(s21, x, y1);
            s22 = TOps.MultiplyAdd(s22, x, y2);
            s23 = TOps.MultiplyAdd(s23, x, y3);
            s24 = TOps.MultiplyAdd(s24, x, y4);
            x = TOps.Load(a3 + p);
            s30 = TOps.MultiplyAdd(s30, x, y0);
            s31 = TOps.MultiplyAdd(s31, x, y1);
            s32 = TOps.MultiplyAdd(s32, x, y2);
            s33 = TOps.MultiplyAdd(s33, x, y3);
            s34 = TOps.MultiplyAdd(s34, x, y4);
        }

        TOps.Store(state + (0 * width), s00);
        TOps.Store(state + (1 * width), s01);
        TOps.Store(state + (2 * width), s02);
        TOps.Store(state + (3 * width), s03);
        TOps.Store(state + (4 * width), s04);
        TOps.Store(state + (5 * width), s10);
        TOps.Store(state + (6 * width), s11);
        TOps.Store(state + (7 * width), s12);
        TOps.Store(state + (8 * width), s13);
        TOps.Store(state + (9 * width), s14);
        TOps.Store(state + (10 * width), s20);
        TOps.Store(state + (11 * width), s21);
        TOps.Store(state + (12 * width), s22);
        TOps.Store(state + (13 * width), s23);
        TOps.Store(state + (14 * width), s24);
        TOps.Store(state + (15 * width), s30);
        TOps.Store(state + (16 * width), s31);
        TOps.Store(state + (17 * width), s32);
        TOps.Store(state + (18 * width), s33);
        TOps.Store(state + (19 * width), s34);
    }

    /// <summary>
    /// The last columns j … of a product whose A is stored transposed (k×m), fewer than a vector (or, from j = 0, all
    /// the columns of a C narrower than two vectors: <see cref="WholeTransposed{T}"/>), computed as their
    /// transpose: Cᵀ[j…, rows] = op(B)[:, j…]ᵀ · A[:, rows] is a direct product of that many rows whose A (the strip of
    /// B) is stored transposed and whose B (A's columns of the range) is read in place, so its tiles run along whole
    /// vectors of C's rows instead of one vector per row holding a few useful lanes (784×100 over a batch of 100: 4
    /// rows × 49 vectors, not 784 rows × 1 vector). It is computed into a per-thread buffer (C's values copied in first
    /// when the sum starts from C), then written back a slab of rows at a time (transposed by squares onto the stack),
    /// the SGD step applied as <see cref="PartialStrip{T, TVec, TOps, TA}"/> applies it. Each element is still one accumulator lane summed over
    /// p in order, so the result is the same bit for bit.
    /// </summary>
    private static unsafe void TransposedTail<T, TVec, TOps>(in GemmProblem<T> problem, GemmRange range, int j)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
    {
        int columns = range.ColumnEnd - j;
        int rows = range.RowEnd - range.RowStart;
        nint ldc = problem.Ldc;
        T* c = problem.C + (range.RowStart * ldc) + j;
        T* transposed = GemmScratch<T>.TransposedTail(columns * rows);
        bool accumulate = problem.Epilogue == GemmEpilogue.Accumulate;
        if (accumulate)
        {
            Kernels.TransposeBlocks(c, ldc, transposed, rows, rows, columns);
        }

        // A's columns RowStart … RowEnd − 1 of its k stored rows: the elements read from there on.
        long aLength = ((long)(problem.K - 1) * problem.Lda) + rows;
        var tail = new GemmProblem<T>(true, false, columns, rows, problem.K, problem.B + j, problem.Ldb,
            problem.A + range.RowStart, problem.Lda, aLength, transposed, rows,
            accumulate ? GemmEpilogue.Accumulate : GemmEpilogue.Overwrite, T.Zero, problem.Options);
        DirectStrips<T, TVec, TOps, TransposedA>(in tail, GemmRange.All(columns, rows), chooseTail: false, masks: null);

        // Back a slab of rows at a time: the slab transposed by squares into a buffer on the stack, then each of its
        // rows written to C's row in place (stepped, for the SGD epilogue). Where the tail is the whole width of C's
        // rows and they follow each other (the CNN's W12, 10,000×10), the slab is a run of C, written back (stepped) a
        // vector at a time.
        bool step = problem.Epilogue == GemmEpilogue.SgdStep;
        bool runs = j == 0 && columns == problem.N && ldc == columns;
        T* slab = stackalloc T[TransposedTailSlab * columns];
        for (int r0 = 0; r0 < rows; r0 += TransposedTailSlab)
        {
            int count = Math.Min(TransposedTailSlab, rows - r0);
            if (runs)
            {
                T* run = c + (r0 * ldc);
                Kernels.TransposeBlocks(transposed + r0, rows, step ? slab : run, columns, columns, count);
                if (step)
                {
                    Kernels.SgdStep(new Span<T>(run, count * columns), new ReadOnlySpan<T>(slab, count * columns), problem.Rate);
                }

                continue;
            }

            Kernels.TransposeBlocks(transposed + r0, rows, slab, columns, columns, count);
            for (int r = 0; r < count; r++)
            {
                WriteTailRow(c + ((r0 + r) * ldc), slab + (r * columns), columns, step, problem.Rate);
            }
        }
    }

    /// <summary>
    /// One row's last <paramref name="columns"/> elements of C from their <paramref name="products"/>: stored, or
    /// (<paramref name="step"/>) stepped as <see cref="SgdStepElement{T}"/> steps each, 128 bits at a time by
    /// <see cref="GemmVector128{T}.SgdStep"/> (the four
    /// last columns of a row of W01's update, 784×100, in one vector) and the rest one by one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void WriteTailRow<T>(T* target, T* products, int columns, bool step, T rate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int column = 0;
        if (Vector128.IsHardwareAccelerated && Vector128<T>.IsSupported)
        {
            Vector128<T> rates = GemmVector128<T>.Broadcast(rate);
            for (; column + GemmVector128<T>.Count <= columns; column += GemmVector128<T>.Count)
            {
                Vector128<T> product = GemmVector128<T>.Load(products + column);
                GemmVector128<T>.Store(target + column, step ? GemmVector128<T>.SgdStep(GemmVector128<T>.Load(target + column), rates, product) : product);
            }
        }

        for (; column < columns; column++)
        {
            target[column] = step ? SgdStepElement(target[column], rate, products[column]) : products[column];
        }
    }

    /// <summary>The rows of C that <see cref="TransposedTail{T, TVec, TOps}"/> writes back at a time: a block of a transpose.</summary>
    private const int TransposedTailSlab = 16;

    /// <summary>
    /// The tile plan <paramref name="requested"/> resolves to at vectors of <paramref name="vectorCount"/> elements:
    /// <see cref="GemmDirectTiles.Rows8Vectors3"/> for 512-bit vectors (32 vector registers hold its 24 accumulators, 3 rows of B and a broadcast), else
    /// <see cref="GemmDirectTiles.Rows6Vectors2"/> (16 registers: 12 accumulators).
    /// </summary>
    internal static unsafe GemmDirectTiles ResolveTiles<T>(GemmDirectTiles requested, int vectorCount)
        where T : unmanaged
    {
        if (requested != GemmDirectTiles.Auto)
        {
            return requested;
        }

        return vectorCount * sizeof(T) == 64 ? GemmDirectTiles.Rows8Vectors3 : GemmDirectTiles.Rows6Vectors2;
    }

    /// <summary>
    /// A strip of <paramref name="vectors"/> whole vectors at column <paramref name="j"/>: its tiles write C directly.
    /// The plan <see cref="GemmDirectTiles.Rows8Vectors3"/> (<paramref name="tall"/>) covers the rows by tiles of at most
    /// 8 rows (12 one vector wide) of near-equal heights (100 rows: 9 tiles of 8 and 4 of 7, not 12 of 8 and one of
    /// 4); <see cref="GemmDirectTiles.Rows6Vectors2"/> by tiles of 6 (12), the last one shorter.
    /// </summary>
    private static unsafe void FullStrip<T, TVec, TOps, TA>(in GemmProblem<T> problem, GemmRange range, int j, int vectors, bool tall, ulong* masks)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
        where TA : IGemmOperandA
    {
        int maxHeight = vectors == 1 ? NarrowTileRows : tall ? TallTileRows : WideTileRows;
        int rows = range.RowEnd - range.RowStart;
        if (rows <= 0)
        {
            return;
        }

        int tiles = (rows + maxHeight - 1) / maxHeight;
        int height = tall ? rows / tiles : maxHeight;
        int taller = tall ? rows % tiles : 0;
        for (int tile = 0, i = range.RowStart; i < range.RowEnd; tile++)
        {
            int tileRows = Math.Min(tile < taller ? height + 1 : height, range.RowEnd - i);
            var args = new DirectTileArgs<T>
            {
                A = TA.Start(problem.A, problem.Lda, i),
                Lda = problem.Lda,
                B = problem.B + j,
                Ldb = problem.Ldb,
                Depth = problem.K,
                PrefetchEnd = tile == 0 && problem.Options.Prefetch == GemmPrefetch.Auto ? problem.K - PrefetchRows : 0,
                Steps = masks is null ? null : NonZeroColumns<T>(masks, i - range.RowStart, tileRows, problem.K),
                C = problem.C + (i * problem.Ldc) + j,
                Ldc = problem.Ldc,
                Epilogue = problem.Epilogue,
                Rate = problem.Rate,
            };
            Tile<T, TVec, TOps, TA>(tileRows, vectors, in args);
            i += tileRows;
        }
    }

    /// <summary>
    /// The last columns, fewer than a vector: computed on a tile on the stack (C's values loaded into it first when the
    /// sum starts from C) and written back lane by lane.
    /// </summary>
    private static unsafe void PartialStrip<T, TVec, TOps, TA>(in GemmProblem<T> problem, GemmRange range, int j, ulong* masks)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
        where TA : IGemmOperandA
    {
        int width = TOps.Count;
        int columns = range.ColumnEnd - j;
        int k = problem.K;

        // The vector's first column, and the lane of column j in it.
        int start = problem.N >= width ? range.ColumnEnd - width : j;
        int firstLane = j - start;
        T* b = problem.B + start;
        int safeDepth = k;
        T* tailRows = null;
        if (problem.N < width)
        {
            // Rows whose whole vector lies inside B are read in place; the rest from a zero-padded copy.
            long lastSafe = (problem.BLength - start - width) / problem.Ldb;
            safeDepth = problem.BLength - start < width ? 0 : (int)Math.Min(k, lastSafe + 1);
            int tail = k - safeDepth;
            T* copy = stackalloc T[Math.Max(1, tail * width)];
            for (int p = 0; p < tail; p++)
            {
                for (int lane = 0; lane < width; lane++)
                {
                    copy[(p * width) + lane] = lane < problem.N - start ? b[((safeDepth + p) * problem.Ldb) + lane] : T.Zero;
                }
            }

            tailRows = copy;
        }

        T* tile = stackalloc T[NarrowTileRows * width];
        bool accumulate = problem.Epilogue == GemmEpilogue.Accumulate;
        for (int i = range.RowStart; i < range.RowEnd; i += NarrowTileRows)
        {
            int rows = Math.Min(NarrowTileRows, range.RowEnd - i);
            T* c = problem.C + (i * problem.Ldc) + j;
            if (accumulate)
            {
                for (int r = 0; r < rows; r++)
                {
                    new Span<T>(tile + (r * width), width).Clear();
                    new ReadOnlySpan<T>(c + (r * problem.Ldc), columns).CopyTo(new Span<T>(tile + (r * width) + firstLane, columns));
                }
            }

            var args = new DirectTileArgs<T>
            {
                A = TA.Start(problem.A, problem.Lda, i),
                Lda = problem.Lda,
                B = b,
                Ldb = problem.Ldb,
                Depth = safeDepth,
                Steps = masks is null || safeDepth < k ? null : NonZeroColumns<T>(masks, i - range.RowStart, rows, k),
                TailB = tailRows,
                TailDepth = k - safeDepth,
                C = tile,
                Ldc = width,
                Epilogue = accumulate ? GemmEpilogue.Accumulate : GemmEpilogue.Overwrite,
            };
            Tile<T, TVec, TOps, TA>(rows, 1, in args);
            for (int r = 0; r < rows; r++)
            {
                T* product = tile + (r * width) + firstLane;
                T* target = c + (r * problem.Ldc);
                for (int column = 0; column < columns; column++)
                {
                    target[column] = problem.Epilogue == GemmEpilogue.SgdStep
                        ? SgdStepElement(target[column], problem.Rate, product[column])
                        : product[column];
                }
            }
        }
    }

    /// <summary>The scalar SGD step, as <see cref="IGemmVector{T, TVec}.SgdStep"/> computes each lane.</summary>
    private static T SgdStepElement<T>(T value, T rate, T product)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        value - (rate * product);

    /// <summary>Runs the tile of <paramref name="rows"/> rows (1 … 12 one vector wide, 1 … 8 two or three vectors
    /// wide) and <paramref name="vectors"/> vectors.</summary>
    private static void Tile<T, TVec, TOps, TA>(int rows, int vectors, in DirectTileArgs<T> args)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
        where TA : IGemmOperandA
    {
        if (vectors == 3)
        {
            switch (rows)
            {
                case 1:
                    DirectTile<T, TVec, TOps, TA, Tile1x3>(in args);
                    break;
                case 2:
                    DirectTile<T, TVec, TOps, TA, Tile2x3>(in args);
                    break;
                case 3:
                    DirectTile<T, TVec, TOps, TA, Tile3x3>(in args);
                    break;
                case 4:
                    DirectTile<T, TVec, TOps, TA, Tile4x3>(in args);
                    break;
                case 5:
                    DirectTile<T, TVec, TOps, TA, Tile5x3>(in args);
                    break;
                case 6:
                    DirectTile<T, TVec, TOps, TA, Tile6x3>(in args);
                    break;
                case 7:
                    DirectTile<T, TVec, TOps, TA, Tile7x3>(in args);
                    break;
                default:
                    DirectTile<T, TVec, TOps, TA, Tile8x3>(in args);
                    break;
            }

            return;
        }

        if (vectors == 2)
        {
            switch (rows)
            {
                case 1:
                    DirectTile<T, TVec, TOps, TA, Tile1x2>(in args);
                    break;
                case 2:
                    DirectTile<T, TVec, TOps, TA, Tile2x2>(in args);
                    break;
                case 3:
                    DirectTile<T, TVec, TOps, TA, Tile3x2>(in args);
                    break;
                case 4:
                    DirectTile<T, TVec, TOps, TA, Tile4x2>(in args);
                    break;
                case 5:
                    DirectTile<T, TVec, TOps, TA, Tile5x2>(in args);
                    break;
                case 6:
                    DirectTile<T, TVec, TOps, TA, Tile6x2>(in args);
                    break;
                case 7:
                    DirectTile<T, TVec, TOps, TA, Tile7x2>(in args);
                    break;
                default:
                    DirectTile<T, TVec, TOps, TA, Tile8x2>(in args);
                    break;
            }

            return;
        }

        switch (rows)
        {
            case 1:
                DirectTile<T, TVec, TOps, TA, Tile1x1>(in args);
                break;
            case 2:
                DirectTile<T, TVec, TOps, TA, Tile2x1>(in args);
                break;
            case 3:
                DirectTile<T, TVec, TOps, TA, Tile3x1>(in args);
                break;
            case 4:
                DirectTile<T, TVec, TOps, TA, Tile4x1>(in args);
                break;
            case 5:
                DirectTile<T, TVec, TOps, TA, Tile5x1>(in args);
                break;
            case 6:
                DirectTile<T, TVec, TOps, TA, Tile6x1>(in args);
                break;
            case 7:
                DirectTile<T, TVec, TOps, TA, Tile7x1>(in args);
                break;
            case 8:
                DirectTile<T, TVec, TOps, TA, Tile8x1>(in args);
                break;
            case 9:
                DirectTile<T, TVec, TOps, TA, Tile9x1>(in args);
                break;
            case 10:
                DirectTile<T, TVec, TOps, TA, Tile10x1>(in args);
                break;
            case 11:
                DirectTile<T, TVec, TOps, TA, Tile11x1>(in args);
                break;
            default:
                DirectTile<T, TVec, TOps, TA, Tile12x1>(in args);
                break;
        }
    }

    /// <summary>
    /// One tile: <c>TTile.Rows</c> rows × <c>TTile.Vectors</c> vectors of C (1 to 3), summed over the depth in registers (the first
    /// <see cref="DirectTileArgs{T}.Depth"/> rows of B from <see cref="DirectTileArgs{T}.B"/>, the rest from
    /// <see cref="DirectTileArgs{T}.TailB"/>), then the epilogue. The row count and width are compile-time constants
    /// of each instantiation, so the unused accumulators and their code vanish.
    /// </summary>
    private static unsafe void DirectTile<T, TVec, TOps, TA, TTile>(in DirectTileArgs<T> args)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
        where TA : IGemmOperandA
        where TTile : IGemmTile
    {
        int width = TOps.Count;
        T* c = args.C;
        nint ldc = args.Ldc;
        nint lda = args.Lda;
        bool accumulate = args.Epilogue == GemmEpilogue.Accumulate;
        TVec rate = TOps.Broadcast(args.Rate);
        TVec s0 = default, s1 = default, s2 = default, s3 = default, s4 = default, s5 = default;
        TVec s6 = default, s7 = default, s8 = default, s9 = default, s10 = default, s11 = default;
        TVec t0 = default, t1 = default, t2 = default, t3 = default, t4 = default, t5 = default, t6 = default, t7 = default;
        TVec u0 = default, u1 = default, u2 = default, u3 = default, u4 = default, u5 = default, u6 = default, u7 = default;

        s0 = Start<T, TVec, TOps>(c + (0 * ldc), accumulate);
        if (TTile.Vectors > 1)
        {
            t0 = Start<T, TVec, TOps>(c + (0 * ldc) + (1 * width), accumulate);
        }

        if (TTile.Vectors > 2)
        {
            u0 = Start<T, TVec, TOps>(c + (0 * ldc) + (2 * width), accumulate);
        }

        if (TTile.Rows > 1)
        {
            s1 = Start<T, TVec, TOps>(c + (1 * ldc), accumulate);
            if (TTile.Vectors > 1)
            {
                t1 = Start<T, TVec, TOps>(c + (1 * ldc) + (1 * width), accumulate);
            }

            if (TTile.Vectors > 2)
            {
                u1 = Start<T, TVec, TOps>(c + (1 * ldc) + (2 * width), accumulate);
            }
        }

        if (TTile.Rows > 2)
        {
            s2 = Start<T, TVec, TOps>(c + (2 * ldc), accumulate);
            if (TTile.Vectors > 1)
            {
                t2 = Start<T, TVec, TOps>(c + (2 * ldc) + (1 * width), accumulate);
            }

            if (TTile.Vectors > 2)
            {
                u2 = Start<T, TVec, TOps>(c + (2 * ldc) + (2 * width), accumulate);
            }
        }

        if (TTile.Rows > 3)
        {
            s3 = Start<T, TVec, TOps>(c + (3 * ldc), accumulate);
            if (TTile.Vectors > 1)
            {
                t3 = Start<T, TVec, TOps>(c + (3 * ldc) + (1 * width), accumulate);
            }

            if (TTile.Vectors > 2)
            {
                u3 = Start<T, TVec, TOps>(c + (3 * ldc) + (2 * width), accumulate);
            }
        }

        if (TTile.Rows > 4)
        {
            s4 = Start<T, TVec, TOps>(c + (4 * ldc), accumulate);
            if (TTile.Vectors > 1)
            {
                t4 = Start<T, TVec, TOps>(c + (4 * ldc) + (1 * width), accumulate);
            }

            if (TTile.Vectors > 2)
            {
                u4 = Start<T, TVec, TOps>(c + (4 * ldc) + (2 * width), accumulate);
            }
        }

        if (TTile.Rows > 5)
        {
            s5 = Start<T, TVec, TOps>(c + (5 * ldc), accumulate);
            if (TTile.Vectors > 1)
            {
                t5 = Start<T, TVec, TOps>(c + (5 * ldc) + (1 * width), accumulate);
            }

            if (TTile.Vectors > 2)
            {
                u5 = Start<T, TVec, TOps>(c + (5 * ldc) + (2 * width), accumulate);
            }
        }

        if (TTile.Rows > 6)
        {
            s6 = Start<T, TVec, TOps>(c + (6 * ldc), accumulate);
            if (TTile.Vectors > 1)
            {
                t6 = Start<T, TVec, TOps>(c + (6 * ldc) + (1 * width), accumulate);
            }

            if (TTile.Vectors > 2)
            {
                u6 = Start<T, TVec, TOps>(c + (6 * ldc) + (2 * width), accumulate);
            }
        }

        if (TTile.Rows > 7)
        {
            s7 = Start<T, TVec, TOps>(c + (7 * ldc), accumulate);
            if (TTile.Vectors > 1)
            {
                t7 = Start<T, TVec, TOps>(c + (7 * ldc) + (1 * width), accumulate);
            }

            if (TTile.Vectors > 2)
            {
                u7 = Start<T, TVec, TOps>(c + (7 * ldc) + (2 * width), accumulate);
            }
        }

        if (TTile.Rows > 8)
        {
            s8 = Start<T, TVec, TOps>(c + (8 * ldc), accumulate);
        }

        if (TTile.Rows > 9)
        {
            s9 = Start<T, TVec, TOps>(c + (9 * ldc), accumulate);
        }

        if (TTile.Rows > 10)
        {
            s10 = Start<T, TVec, TOps>(c + (10 * ldc), accumulate);
        }

        if (TTile.Rows > 11)
        {
            s11 = Start<T, TVec, TOps>(c + (11 * ldc), accumulate);
        }

        T* segmentB = args.B;
        nint ldb = args.Ldb;
        int depth = args.Depth;
        int before = 0;
        nint ahead = PrefetchRows * ldb;
        int prefetchEnd = Sse.IsSupported ? args.PrefetchEnd : 0;
        for (int segment = 0; segment < 2; segment++)
        {
            // The depth steps in runs: all of them, or (Steps) those where a row of the tile has a nonzero factor.
            int next = 0;
            while (NextRun(segment == 0 ? args.Steps : null, depth, ref next, out int from))
            {
                T* column = TA.Column(args.A, lda, before + from);
                T* row = segmentB + (from * ldb);
                for (int p = from; p < next; p++)
                {
                    if (p < prefetchEnd)
                    {
                        Sse.Prefetch0(row + ahead);
                        if (TTile.Vectors > 1)
                        {
                            Sse.Prefetch0(row + ahead + width);
                        }

                        if (TTile.Vectors > 2)
                        {
                            Sse.Prefetch0(row + ahead + (2 * width));
                        }
                    }

                    TVec b0 = TOps.Load(row);
                    TVec b1 = TTile.Vectors > 1 ? TOps.Load(row + width) : b0;
                    TVec b2 = TTile.Vectors > 2 ? TOps.Load(row + (2 * width)) : b0;
                    TVec a;
                    a = TOps.Broadcast(TA.At(column, lda, 0));
                    s0 = TOps.MultiplyAdd(s0, a, b0);
                    if (TTile.Vectors > 1)
                    {
                        t0 = TOps.MultiplyAdd(t0, a, b1);
                    }

                    if (TTile.Vectors > 2)
                    {
                        u0 = TOps.MultiplyAdd(u0, a, b2);
                    }

                    if (TTile.Rows > 1)
                    {
                        a = TOps.Broadcast(TA.At(column, lda, 1));
                        s1 = TOps.MultiplyAdd(s1, a, b0);
                        if (TTile.Vectors > 1)
                        {
                            t1 = TOps.MultiplyAdd(t1, a, b1);
                        }

                        if (TTile.Vectors > 2)
                        {
                            u1 = TOps.MultiplyAdd(u1, a, b2);
                        }
                    }

                    if (TTile.Rows > 2)
                    {
                        a = TOps.Broadcast(TA.At(column, lda, 2));
                        s2 = TOps.MultiplyAdd(s2, a, b0);
                        if (TTile.Vectors > 1)
                        {
                            t2 = TOps.MultiplyAdd(t2, a, b1);
                        }

                        if (TTile.Vectors > 2)
                        {
                            u2 = TOps.MultiplyAdd(u2, a, b2);
                        }
                    }

                    if (TTile.Rows > 3)
                    {
                        a = TOps.Broadcast(TA.At(column, lda, 3));
                        s3 = TOps.MultiplyAdd(s3, a, b0);
                        if (TTile.Vectors > 1)
                        {
                            t3 = TOps.MultiplyAdd(t3, a, b1);
                        }

                        if (TTile.Vectors > 2)
                        {
                            u3 = TOps.MultiplyAdd(u3, a, b2);
                        }
                    }

                    if (TTile.Rows > 4)
                    {
                        a = TOps.Broadcast(TA.At(column, lda, 4));
                        s4 = TOps.MultiplyAdd(s4, a, b0);
                        if (TTile.Vectors > 1)
                        {
                            t4 = TOps.MultiplyAdd(t4, a, b1);
                        }

                        if (TTile.Vectors > 2)
                        {
                            u4 = TOps.MultiplyAdd(u4, a, b2);
                        }
                    }

                    if (TTile.Rows > 5)
                    {
                        a = TOps.Broadcast(TA.At(column, lda, 5));
                        s5 = TOps.MultiplyAdd(s5, a, b0);
                        if (TTile.Vectors > 1)
                        {
                            t5 = TOps.MultiplyAdd(t5, a, b1);
                        }

                        if (TTile.Vectors > 2)
                        {
                            u5 = TOps.MultiplyAdd(u5, a, b2);
                        }
                    }

                    if (TTile.Rows > 6)
                    {
                        a = TOps.Broadcast(TA.At(column, lda, 6));
                        s6 = TOps.MultiplyAdd(s6, a, b0);
                        if (TTile.Vectors > 1)
                        {
                            t6 = TOps.MultiplyAdd(t6, a, b1);
                        }

                        if (TTile.Vectors > 2)
                        {
                            u6 = TOps.MultiplyAdd(u6, a, b2);
                        }
                    }

                    if (TTile.Rows > 7)
                    {
                        a = TOps.Broadcast(TA.At(column, lda, 7));
                        s7 = TOps.MultiplyAdd(s7, a, b0);
                        if (TTile.Vectors > 1)
                        {
                            t7 = TOps.MultiplyAdd(t7, a, b1);
                        }

                        if (TTile.Vectors > 2)
                        {
                            u7 = TOps.MultiplyAdd(u7, a, b2);
                        }
                    }

                    if (TTile.Rows > 8)
                    {
                        a = TOps.Broadcast(TA.At(column, lda, 8));
                        s8 = TOps.MultiplyAdd(s8, a, b0);
                    }

                    if (TTile.Rows > 9)
                    {
                        a = TOps.Broadcast(TA.At(column, lda, 9));
                        s9 = TOps.MultiplyAdd(s9, a, b0);
                    }

                    if (TTile.Rows > 10)
                    {
                        a = TOps.Broadcast(TA.At(column, lda, 10));
                        s10 = TOps.MultiplyAdd(s10, a, b0);
                    }

                    if (TTile.Rows > 11)
                    {
                        a = TOps.Broadcast(TA.At(column, lda, 11));
                        s11 = TOps.MultiplyAdd(s11, a, b0);
                    }

                    column = TA.Next(column, lda);
                    row += ldb;
                }
            }

            segmentB = args.TailB;
            ldb = width;
            before = args.Depth;
            depth = args.TailDepth;
            prefetchEnd = 0;
        }

        Finish<T, TVec, TOps>(s0, c + (0 * ldc), args.Epilogue, rate);
        if (TTile.Vectors > 1)
        {
            Finish<T, TVec, TOps>(t0, c + (0 * ldc) + (1 * width), args.Epilogue, rate);
        }

        if (TTile.Vectors > 2)
        {
            Finish<T, TVec, TOps>(u0, c + (0 * ldc) + (2 * width), args.Epilogue, rate);
        }

        if (TTile.Rows > 1)
        {
            Finish<T, TVec, TOps>(s1, c + (1 * ldc), args.Epilogue, rate);
            if (TTile.Vectors > 1)
            {
                Finish<T, TVec, TOps>(t1, c + (1 * ldc) + (1 * width), args.Epilogue, rate);
            }

            if (TTile.Vectors > 2)
            {
                Finish<T, TVec, TOps>(u1, c + (1 * ldc) + (2 * width), args.Epilogue, rate);
            }
        }

        if (TTile.Rows > 2)
        {
            Finish<T, TVec, TOps>(s2, c + (2 * ldc), args.Epilogue, rate);
            if (TTile.Vectors > 1)
            {
                Finish<T, TVec, TOps>(t2, c + (2 * ldc) + (1 * width), args.Epilogue, rate);
            }

            if (TTile.Vectors > 2)
            {
                Finish<T, TVec, TOps>(u2, c + (2 * ldc) + (2 * width), args.Epilogue, rate);
            }
        }

        if (TTile.Rows > 3)
        {
            Finish<T, TVec, TOps>(s3, c + (3 * ldc), args.Epilogue, rate);
            if (TTile.Vectors > 1)
            {
                Finish<T, TVec, TOps>(t3, c + (3 * ldc) + (1 * width), args.Epilogue, rate);
            }

            if (TTile.Vectors > 2)
            {
                Finish<T, TVec, TOps>(u3, c + (3 * ldc) + (2 * width), args.Epilogue, rate);
            }
        }

        if (TTile.Rows > 4)
        {
            Finish<T, TVec, TOps>(s4, c + (4 * ldc), args.Epilogue, rate);
            if (TTile.Vectors > 1)
            {
                Finish<T, TVec, TOps>(t4, c + (4 * ldc) + (1 * width), args.Epilogue, rate);
            }

            if (TTile.Vectors > 2)
            {
                Finish<T, TVec, TOps>(u4, c + (4 * ldc) + (2 * width), args.Epilogue, rate);
            }
        }

        if (TTile.Rows > 5)
        {
            Finish<T, TVec, TOps>(s5, c + (5 * ldc), args.Epilogue, rate);
            if (TTile.Vectors > 1)
            {
                Finish<T, TVec, TOps>(t5, c + (5 * ldc) + (1 * width), args.Epilogue, rate);
            }

            if (TTile.Vectors > 2)
            {
                Finish<T, TVec, TOps>(u5, c + (5 * ldc) + (2 * width), args.Epilogue, rate);
            }
        }

        if (TTile.Rows > 6)
        {
            Finish<T, TVec, TOps>(s6, c + (6 * ldc), args.Epilogue, rate);
            if (TTile.Vectors > 1)
            {
                Finish<T, TVec, TOps>(t6, c + (6 * ldc) + (1 * width), args.Epilogue, rate);
            }

            if (TTile.Vectors > 2)
            {
                Finish<T, TVec, TOps>(u6, c + (6 * ldc) + (2 * width), args.Epilogue, rate);
            }
        }

        if (TTile.Rows > 7)
        {
            Finish<T, TVec, TOps>(s7, c + (7 * ldc), args.Epilogue, rate);
            if (TTile.Vectors > 1)
            {
                Finish<T, TVec, TOps>(t7, c + (7 * ldc) + (1 * width), args.Epilogue, rate);
            }

            if (TTile.Vectors > 2)
            {
                Finish<T, TVec, TOps>(u7, c + (7 * ldc) + (2 * width), args.Epilogue, rate);
            }
        }

        if (TTile.Rows > 8)
        {
            Finish<T, TVec, TOps>(s8, c + (8 * ldc), args.Epilogue, rate);
        }

        if (TTile.Rows > 9)
        {
            Finish<T, TVec, TOps>(s9, c + (9 * ldc), args.Epilogue, rate);
        }

        if (TTile.Rows > 10)
        {
            Finish<T, TVec, TOps>(s10, c + (10 * ldc), args.Epilogue, rate);
        }

        if (TTile.Rows > 11)
        {
            Finish<T, TVec, TOps>(s11, c + (11 * ldc), args.Epilogue, rate);
        }
    }

    /// <summary>The accumulator's start: C's vector when the sum starts from C, else zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe TVec Start<T, TVec, TOps>(T* c, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec> =>
        accumulate ? TOps.Load(c) : TOps.Zero;

    /// <summary>Writes an accumulator to C: stored, or (SGD) C − rate · accumulator.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Finish<T, TVec, TOps>(TVec sum, T* c, GemmEpilogue epilogue, TVec rate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec> =>
        TOps.Store(c, epilogue == GemmEpilogue.SgdStep ? TOps.SgdStep(TOps.Load(c), rate, sum) : sum);
}

/// <summary>The register tiles the direct kernel covers C with (<see cref="GemmOptions.Tiles"/>).</summary>
internal enum GemmDirectTiles
{
    /// <summary>The plan for the vector width: <see cref="Rows8Vectors3"/> at 512 bits, else <see cref="Rows6Vectors2"/>.</summary>
    Auto,

    /// <summary>Strips two vectors wide, tiles 6 rows high (12 accumulators); then one vector, 12 rows.</summary>
    Rows6Vectors2,

    /// <summary>Strips three vectors wide, tiles up to 8 rows high of near-equal heights (24 accumulators); then two
    /// vectors (16), then one (12 rows).</summary>
    Rows8Vectors3,
}

/// <summary>How the direct kernel computes the last n mod W columns of C (<see cref="GemmOptions.Tail"/>).</summary>
internal enum GemmDirectTail
{
    /// <summary>Chosen from the shape (<see cref="GemmCore.ChooseTail{T}"/>).</summary>
    Auto,

    /// <summary>One vector per row of C, most of its lanes unused: any shape and type.</summary>
    PerRow,

    /// <summary>As their transpose, along vectors of C's rows: A stored transposed only (else <see cref="PerRow"/>);
    /// the same bits as <see cref="PerRow"/>.</summary>
    Transposed,

    /// <summary>Dot products along the depth: single precision with A stored plainly, a depth of at least four vectors
    /// (else <see cref="PerRow"/>); the sums in another order.</summary>
    DotProducts,
}

/// <summary>Whether the direct kernel prefetches B (<see cref="GemmCore.PrefetchRows"/>); the same results either way.</summary>
internal enum GemmPrefetch
{
    /// <summary>The first tile of each strip, where the depth is longer than the distance.</summary>
    Auto,

    /// <summary>Never: for comparisons.</summary>
    Never,
}

/// <summary>The arguments of one tile of the direct kernel.</summary>
internal unsafe struct DirectTileArgs<T>
    where T : unmanaged
{
    /// <summary>op(A)[i, 0]: the tile's first row, first column.</summary>
    public T* A;

    /// <summary>A's leading dimension.</summary>
    public nint Lda;

    /// <summary>Row 0 of the strip of B.</summary>
    public T* B;

    /// <summary>B's leading dimension.</summary>
    public nint Ldb;

    /// <summary>The depth steps read from <see cref="B"/>.</summary>
    public int Depth;

    /// <summary>The depth steps before which the tile prefetches the strip's row <see cref="GemmCore.PrefetchRows"/>
    /// ahead of the step's (zero or less: none).</summary>
    public int PrefetchEnd;

    /// <summary>The bits of the depth steps of <see cref="Depth"/> where a row of the tile has a nonzero factor, the
    /// others skipped (null: every step).</summary>
    public ulong* Steps;

    /// <summary>The rows of B after those, padded to one vector each (null when there are none).</summary>
    public T* TailB;

    /// <summary>The depth steps read from <see cref="TailB"/>.</summary>
    public int TailDepth;

    /// <summary>The tile's first element of C.</summary>
    public T* C;

    /// <summary>C's leading dimension.</summary>
    public nint Ldc;

    /// <summary>What is done with the product.</summary>
    public GemmEpilogue Epilogue;

    /// <summary>The learning rate of <see cref="GemmEpilogue.SgdStep"/>.</summary>
    public T Rate;
}
