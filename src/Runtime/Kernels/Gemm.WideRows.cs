using System.Numerics;
using System.Runtime.CompilerServices;

namespace Graph.Runtime;

/// <summary>
/// The direct kernel's path for a C <see cref="WideRowsMinVectors"/> to <see cref="WideRowsMaxVectors"/> vectors wide
/// whose A, stored transposed, is mostly zeros: a weight's update from a batch of images, W −= rate·xᵀ·dH (W01 of the
/// MNIST networks, [784 × 100] from 100 images: 6¼ vectors of floats at 512 bits). Tiles of
/// <see cref="WideRowsTileRows"/> rows of C cover every column at once, the last vector ending at C's last column,
/// and run over the depth steps where one of their rows has a nonzero factor.
/// </summary>
/// <remarks>
/// The strips of <see cref="Direct{T, TVec, TOps}"/> take tiles of 8 rows three vectors wide, then compute the last
/// n mod W columns in a pass of their own (as their transpose). A row of such a C is a pixel, a depth step an image, and
/// neighbouring pixels are blank together: over 100 MNIST images, 4 neighbouring pixels have a nonzero factor in 28% of
/// the images where 8 have one in 39%, so a tile of four computes fewer steps, reads each image's row of dH once for
/// every column, and takes the last columns in the same pass. Each element is the strips' sum (in order, over the
/// steps a factor is nonzero in, the other steps adding zeros), so the bits are theirs but for the sign of a zero sum
/// and a NaN that an infinite element of B times a zero factor would have given. The overlapping last vector's lanes
/// that the one before also holds get the same sums; every value of a row of C is read before any is written.
/// </remarks>
internal static partial class GemmCore
{
    /// <summary>
    /// The rows of a tile: 28 accumulators at seven vectors. W01's update of N3 ([784 × 100]ᵀ·[100 × 100] from 100
    /// MNIST images with its SGD step, float, one thread, a scratch program, three rounds in turn) took 61.5-64.5 µs in
    /// tiles of four against 75.0-85.9 by the strips and their transposed last columns (of which the last four columns
    /// were about 9 µs); at 40 columns in double, 69.1-71.4 against 89.8-121.8.
    /// </summary>
    private const int WideRowsTileRows = 4;

    /// <summary>The narrowest C, in vectors, that <see cref="WideRows{T, TVec, TOps}"/> computes: narrower ones are
    /// one or two strips.</summary>
    private const int WideRowsMinVectors = 4;

    /// <summary>The widest C, in vectors (the last one partly), that <see cref="WideRows{T, TVec, TOps}"/> computes: 28
    /// accumulators, and the row of B, in 32 vector registers.</summary>
    private const int WideRowsMaxVectors = 7;

    /// <summary>
    /// Whether <see cref="WideRows{T, TVec, TOps}"/> computes a product of this shape whose zeros are skipped: A stored
    /// transposed, 512-bit vectors of <paramref name="width"/> elements (whose instructions have 32 registers; 256-bit
    /// code without them has 16, fewer than the 28 sums), and a C of <paramref name="n"/> columns from
    /// <see cref="WideRowsMinVectors"/> whole vectors to <see cref="WideRowsMaxVectors"/> vectors, the last one partly.
    /// </summary>
    internal static unsafe bool WideRowsShape<T>(bool transA, int n, int width)
        where T : unmanaged =>
        transA && width * sizeof(T) == 64 && n >= WideRowsMinVectors * width && n <= WideRowsMaxVectors * width;

    /// <summary>Whether <see cref="WideRows{T, TVec, TOps}"/> computes <paramref name="range"/> of
    /// <paramref name="problem"/>: its shape, and every column of C.</summary>
    private static bool TakesWideRows<T>(in GemmProblem<T> problem, GemmRange range, int width)
        where T : unmanaged =>
        WideRowsShape<T>(problem.TransA, problem.N, width) && range.ColumnStart == 0 && range.ColumnEnd == problem.N;

    /// <summary>The rows of <paramref name="range"/>, <see cref="WideRowsTileRows"/> at a time (the last fewer), each
    /// tile over the depth steps where one of its rows has a nonzero factor (<paramref name="masks"/>).</summary>
    internal static unsafe void WideRows<T, TVec, TOps>(in GemmProblem<T> problem, GemmRange range, ulong* masks)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
    {
        int vectors = (problem.N + TOps.Count - 1) / TOps.Count;
        for (int i = range.RowStart; i < range.RowEnd;)
        {
            int rows = Math.Min(WideRowsTileRows, range.RowEnd - i);
            ulong* steps = NonZeroColumns<T>(masks, i - range.RowStart, rows, problem.K);
            switch (rows)
            {
                case 1:
                    WideRowsOf<T, TVec, TOps, Tile1x1>(in problem, i, vectors, steps);
                    break;
                case 2:
                    WideRowsOf<T, TVec, TOps, Tile2x1>(in problem, i, vectors, steps);
                    break;
                case 3:
                    WideRowsOf<T, TVec, TOps, Tile3x1>(in problem, i, vectors, steps);
                    break;
                default:
                    WideRowsOf<T, TVec, TOps, Tile4x1>(in problem, i, vectors, steps);
                    break;
            }

            i += rows;
        }
    }

    /// <summary>The tile of <typeparamref name="TRows"/>' rows at <paramref name="vectors"/> vectors across.</summary>
    private static unsafe void WideRowsOf<T, TVec, TOps, TRows>(in GemmProblem<T> problem, int i, int vectors, ulong* steps)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
        where TRows : IGemmTile
    {
        switch (vectors)
        {
            case 4:
                WideTile<T, TVec, TOps, TRows, WideVectors4>(in problem, i, steps);
                break;
            case 5:
                WideTile<T, TVec, TOps, TRows, WideVectors5>(in problem, i, steps);
                break;
            case 6:
                WideTile<T, TVec, TOps, TRows, WideVectors6>(in problem, i, steps);
                break;
            default:
                WideTile<T, TVec, TOps, TRows, WideVectors7>(in problem, i, steps);
                break;
        }
    }

    /// <summary>
    /// Rows <paramref name="i"/> … (<typeparamref name="TRows"/>' count, up to four) of C, every column: vector v at
    /// column v·W, the last at n − W. The sums are locals, one per row and vector, so that they stay in registers.
    /// </summary>
    private static unsafe void WideTile<T, TVec, TOps, TRows, TVectors>(in GemmProblem<T> problem, int i, ulong* steps)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
        where TRows : IGemmTile
        where TVectors : IWideVectors
    {
        int width = TOps.Count;
        int last = problem.N - width;
        int j3 = WideColumn<TVectors>(3, width, last), j4 = WideColumn<TVectors>(4, width, last);
        int j5 = WideColumn<TVectors>(5, width, last), j6 = WideColumn<TVectors>(6, width, last);
        nint ldb = problem.Ldb;
        nint ldc = problem.Ldc;
        nint lda = problem.Lda;
        bool accumulate = problem.Accumulate;
        T* c0 = problem.C + (i * ldc);
        T* c1 = c0 + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
        TVec s0 = Start<T, TVec, TOps>(c0, accumulate), s1 = Start<T, TVec, TOps>(c0 + width, accumulate);
        TVec s2 = Start<T, TVec, TOps>(c0 + (2 * width), accumulate), s3 = Start<T, TVec, TOps>(c0 + j3, accumulate);
        TVec s4 = TVectors.Count > 4 ? Start<T, TVec, TOps>(c0 + j4, accumulate) : TOps.Zero;
        TVec s5 = TVectors.Count > 5 ? Start<T, TVec, TOps>(c0 + j5, accumulate) : TOps.Zero;
        TVec s6 = TVectors.Count > 6 ? Start<T, TVec, TOps>(c0 + j6, accumulate) : TOps.Zero;
        TVec t0 = TOps.Zero, t1 = TOps.Zero, t2 = TOps.Zero, t3 = TOps.Zero, t4 = TOps.Zero, t5 = TOps.Zero, t6 = TOps.Zero;
        TVec u0 = TOps.Zero, u1 = TOps.Zero, u2 = TOps.Zero, u3 = TOps.Zero, u4 = TOps.Zero, u5 = TOps.Zero, u6 = TOps.Zero;
        TVec v0 = TOps.Zero, v1 = TOps.Zero, v2 = TOps.Zero, v3 = TOps.Zero, v4 = TOps.Zero, v5 = TOps.Zero, v6 = TOps.Zero;
        if (TRows.Rows > 1)
        {
            StartRow<T, TVec, TOps, TVectors>(c1, width, j3, j4, j5, j6, accumulate, out t0, out t1, out t2, out t3, out t4, out t5, out t6);
        }

        if (TRows.Rows > 2)
        {
            StartRow<T, TVec, TOps, TVectors>(c2, width, j3, j4, j5, j6, accumulate, out u0, out u1, out u2, out u3, out u4, out u5, out u6);
        }

        if (TRows.Rows > 3)
        {
            StartRow<T, TVec, TOps, TVectors>(c3, width, j3, j4, j5, j6, accumulate, out v0, out v1, out v2, out v3, out v4, out v5, out v6);
        }

        T* a = TransposedA.Start(problem.A, lda, i);
        int next = 0;
        while (NextRun(steps, problem.K, ref next, out int from))
        {
            T* column = TransposedA.Column(a, lda, from);
            T* row = problem.B + (from * ldb);
            for (int p = from; p < next; p++, column += lda, row += ldb)
            {
                // Vector by vector, each row of B read once into one register, its four factors broadcast from A
                // at each use: 28 sums, a row of B and no factor held, in 32 registers.
                MultiplyAddRows<T, TVec, TOps, TRows>(TOps.Load(row), column, ref s0, ref t0, ref u0, ref v0);
                MultiplyAddRows<T, TVec, TOps, TRows>(TOps.Load(row + width), column, ref s1, ref t1, ref u1, ref v1);
                MultiplyAddRows<T, TVec, TOps, TRows>(TOps.Load(row + (2 * width)), column, ref s2, ref t2, ref u2, ref v2);
                MultiplyAddRows<T, TVec, TOps, TRows>(TOps.Load(row + j3), column, ref s3, ref t3, ref u3, ref v3);
                if (TVectors.Count > 4)
                {
                    MultiplyAddRows<T, TVec, TOps, TRows>(TOps.Load(row + j4), column, ref s4, ref t4, ref u4, ref v4);
                }

                if (TVectors.Count > 5)
                {
                    MultiplyAddRows<T, TVec, TOps, TRows>(TOps.Load(row + j5), column, ref s5, ref t5, ref u5, ref v5);
                }

                if (TVectors.Count > 6)
                {
                    MultiplyAddRows<T, TVec, TOps, TRows>(TOps.Load(row + j6), column, ref s6, ref t6, ref u6, ref v6);
                }
            }
        }

        TVec rate = TOps.Broadcast(problem.Rate);
        bool step = problem.Epilogue == GemmEpilogue.SgdStep;
        WriteRow<T, TVec, TOps, TVectors>(c0, width, j3, j4, j5, j6, step, rate, s0, s1, s2, s3, s4, s5, s6);
        if (TRows.Rows > 1)
        {
            WriteRow<T, TVec, TOps, TVectors>(c1, width, j3, j4, j5, j6, step, rate, t0, t1, t2, t3, t4, t5, t6);
        }

        if (TRows.Rows > 2)
        {
            WriteRow<T, TVec, TOps, TVectors>(c2, width, j3, j4, j5, j6, step, rate, u0, u1, u2, u3, u4, u5, u6);
        }

        if (TRows.Rows > 3)
        {
            WriteRow<T, TVec, TOps, TVectors>(c3, width, j3, j4, j5, j6, step, rate, v0, v1, v2, v3, v4, v5, v6);
        }
    }

    /// <summary>One vector of a row of B times each tile row's factor, added to that row's sum for the vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void MultiplyAddRows<T, TVec, TOps, TRows>(TVec b, T* factors, ref TVec s, ref TVec t, ref TVec u, ref TVec v)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
        where TRows : IGemmTile
    {
        s = TOps.MultiplyAdd(s, TOps.Broadcast(factors[0]), b);
        if (TRows.Rows > 1)
        {
            t = TOps.MultiplyAdd(t, TOps.Broadcast(factors[1]), b);
        }

        if (TRows.Rows > 2)
        {
            u = TOps.MultiplyAdd(u, TOps.Broadcast(factors[2]), b);
        }

        if (TRows.Rows > 3)
        {
            v = TOps.MultiplyAdd(v, TOps.Broadcast(factors[3]), b);
        }
    }

    /// <summary>The first column of vector <paramref name="v"/> (from 3) of a wide tile's row: v·W, the last
    /// <paramref name="last"/> = n − W (the one after the last, unused, also there).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int WideColumn<TVectors>(int v, int width, int last)
        where TVectors : IWideVectors =>
        v < TVectors.Count - 1 ? v * width : last;

    /// <summary>A row's starting sums: C's values (accumulating) or zeros.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StartRow<T, TVec, TOps, TVectors>(T* c, int width, int j3, int j4, int j5, int j6, bool accumulate,
        out TVec s0, out TVec s1, out TVec s2, out TVec s3, out TVec s4, out TVec s5, out TVec s6)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
        where TVectors : IWideVectors
    {
        s0 = Start<T, TVec, TOps>(c, accumulate);
        s1 = Start<T, TVec, TOps>(c + width, accumulate);
        s2 = Start<T, TVec, TOps>(c + (2 * width), accumulate);
        s3 = Start<T, TVec, TOps>(c + j3, accumulate);
        s4 = TVectors.Count > 4 ? Start<T, TVec, TOps>(c + j4, accumulate) : TOps.Zero;
        s5 = TVectors.Count > 5 ? Start<T, TVec, TOps>(c + j5, accumulate) : TOps.Zero;
        s6 = TVectors.Count > 6 ? Start<T, TVec, TOps>(c + j6, accumulate) : TOps.Zero;
    }

    /// <summary>
    /// A row's sums to C: stored, or (<paramref name="step"/>) C − rate · sum, every value of the row read before any is
    /// written, since the last vector overlaps the one before (their shared lanes hold the same sums).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void WriteRow<T, TVec, TOps, TVectors>(T* c, int width, int j3, int j4, int j5, int j6, bool step, TVec rate,
        TVec s0, TVec s1, TVec s2, TVec s3, TVec s4, TVec s5, TVec s6)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
        where TVectors : IWideVectors
    {
        if (step)
        {
            TVec c4 = TVectors.Count > 4 ? TOps.Load(c + j4) : s4, c5 = TVectors.Count > 5 ? TOps.Load(c + j5) : s5;
            TVec c6 = TVectors.Count > 6 ? TOps.Load(c + j6) : s6;
            s0 = TOps.SgdStep(TOps.Load(c), rate, s0);
            s1 = TOps.SgdStep(TOps.Load(c + width), rate, s1);
            s2 = TOps.SgdStep(TOps.Load(c + (2 * width)), rate, s2);
            s3 = TOps.SgdStep(TOps.Load(c + j3), rate, s3);
            s4 = TVectors.Count > 4 ? TOps.SgdStep(c4, rate, s4) : s4;
            s5 = TVectors.Count > 5 ? TOps.SgdStep(c5, rate, s5) : s5;
            s6 = TVectors.Count > 6 ? TOps.SgdStep(c6, rate, s6) : s6;
        }

        TOps.Store(c, s0);
        TOps.Store(c + width, s1);
        TOps.Store(c + (2 * width), s2);
        TOps.Store(c + j3, s3);
        if (TVectors.Count > 4)
        {
            TOps.Store(c + j4, s4);
        }

        if (TVectors.Count > 5)
        {
            TOps.Store(c + j5, s5);
        }

        if (TVectors.Count > 6)
        {
            TOps.Store(c + j6, s6);
        }
    }
}

/// <summary>The vectors across a tile of <see cref="GemmCore.WideRows{T, TVec, TOps}"/>, as a compile-time constant.</summary>
internal interface IWideVectors
{
    /// <summary>The vectors, the last one ending at C's last column.</summary>
    static abstract int Count { get; }
}

/// <summary>Four vectors across.</summary>
internal readonly struct WideVectors4 : IWideVectors
{
    public static int Count => 4;
}

/// <summary>Five vectors across.</summary>
internal readonly struct WideVectors5 : IWideVectors
{
    public static int Count => 5;
}

/// <summary>Six vectors across.</summary>
internal readonly struct WideVectors6 : IWideVectors
{
    public static int Count => 6;
}

/// <summary>Seven vectors across.</summary>
internal readonly struct WideVectors7 : IWideVectors
{
    public static int Count => 7;
}
