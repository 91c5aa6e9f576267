using System.Numerics;
using System.Runtime.CompilerServices;

namespace Graph.Runtime;

/// <summary>
/// The direct kernel's path (<see cref="GemmZeros.SkipBlocks"/>) for a narrow C over a large plain A that is mostly
/// zeros: one to <see cref="NarrowRowsMaxVectors"/> vectors across (the CNN's logits, [batch × 10000]·[10000 × 10] in
/// double), computed a few rows at a time over every column, so that A is read once, and skipping each block of
/// <see cref="ZeroBlockSteps"/> depth steps where the tile's rows' factors are all zero, found as the rows are read.
/// </summary>
/// <remarks>
/// The strips of <see cref="Direct{T, TVec, TOps}"/> read A once per strip (twice for 10 columns, a vector and the
/// last columns) and its bits of nonzero factors once more, and a tile of 12 images of the CNN's hidden layer has a
/// nonzero factor at 73% of the depth steps where four have one at 61% (a blank 3 × 3 window gives its 16 kernels'
/// zeros together, a block). Each element is the same sum as the strips' (in order, over the steps a factor is
/// nonzero in, the other steps adding zeros), so the bits are theirs but for the sign of a zero sum and a NaN that
/// an infinite element of B times a zero factor would have given. The last vector ends at C's last column,
/// overlapping the one before: the lanes they share hold the same sums.
/// </remarks>
internal static partial class GemmCore
{
    /// <summary>The depth steps whose factors a tile's rows test together before computing them.</summary>
    private const int ZeroBlockSteps = 16;

    /// <summary>The widest C, in vectors, that <see cref="NarrowRows{T, TVec, TOps}"/> computes.</summary>
    private const int NarrowRowsMaxVectors = 3;

    /// <summary>
    /// The rows of a tile: four images of the CNN's hidden layer have a nonzero factor at 61% of the depth steps, two
    /// at 51%, but four share each row of B they read. The chapter 10 test pass's logits (20 products of [500 × 10000]
    /// by [10000 × 10] in double, one thread) took 79-82 ms in tiles of four, 86 in pairs, 120-137 by the strips.
    /// </summary>
    private const int NarrowRowsTileRows = 4;

    /// <summary>
    /// The least size of A, in bytes, for which a product whose zeros are skipped goes by
    /// <see cref="NarrowRows{T, TVec, TOps}"/>: larger than a core's second-level cache (2 MB here), the strips read A from
    /// memory once each. Below it they are the faster where zeros lie apart: a batch of 100 MNIST images times
    /// [784 × 20] in double took 78.7-80.8 µs by the strips, 84.6-85.6 in rows of four (one thread, a scratch program).
    /// </summary>
    private const long NarrowRowsMinBytes = 1 << 21;

    /// <summary>
    /// Whether a product whose zeros are skipped takes <see cref="GemmZeros.SkipBlocks"/>: shaped for
    /// <see cref="NarrowRows{T, TVec, TOps}"/> (<see cref="NarrowRowsShape"/>) with an A of at least
    /// <see cref="NarrowRowsMinBytes"/>.
    /// </summary>
    internal static unsafe bool NarrowRowsPay<T>(bool transA, bool sgdStep, int m, int n, int k, int width)
        where T : unmanaged =>
        NarrowRowsShape(transA, sgdStep, n, width) && (long)m * k * sizeof(T) >= NarrowRowsMinBytes;

    /// <summary>
    /// Whether <see cref="NarrowRows{T, TVec, TOps}"/> computes a product of this shape: A stored plainly, a C one to
    /// <see cref="NarrowRowsMaxVectors"/> vectors wide, and C stored or added to (not an SGD step).
    /// </summary>
    internal static bool NarrowRowsShape(bool transA, bool sgdStep, int n, int width) =>
        !transA && !sgdStep && n >= width && n <= NarrowRowsMaxVectors * width;

    /// <summary>Whether <see cref="NarrowRows{T, TVec, TOps}"/> computes <paramref name="range"/> of
    /// <paramref name="problem"/>: its shape, and every column of C.</summary>
    private static bool TakesNarrowRows<T>(in GemmProblem<T> problem, GemmRange range, int width)
        where T : unmanaged =>
        NarrowRowsShape(problem.TransA, problem.Epilogue == GemmEpilogue.SgdStep, problem.N, width)
        && range.ColumnStart == 0 && range.ColumnEnd == problem.N;

    /// <summary>The rows of <paramref name="range"/>, <see cref="NarrowRowsTileRows"/> at a time (the last fewer).</summary>
    internal static void NarrowRows<T, TVec, TOps>(in GemmProblem<T> problem, GemmRange range)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
    {
        int vectors = (problem.N + TOps.Count - 1) / TOps.Count;
        for (int i = range.RowStart; i < range.RowEnd;)
        {
            int rows = Math.Min(NarrowRowsTileRows, range.RowEnd - i);
            switch ((rows, vectors))
            {
                case (1, 1):
                    NarrowTile<T, TVec, TOps, Tile1x1>(in problem, i);
                    break;
                case (1, 2):
                    NarrowTile<T, TVec, TOps, Tile1x2>(in problem, i);
                    break;
                case (1, _):
                    NarrowTile<T, TVec, TOps, Tile1x3>(in problem, i);
                    break;
                case (2, 1):
                    NarrowTile<T, TVec, TOps, Tile2x1>(in problem, i);
                    break;
                case (2, 2):
                    NarrowTile<T, TVec, TOps, Tile2x2>(in problem, i);
                    break;
                case (2, _):
                    NarrowTile<T, TVec, TOps, Tile2x3>(in problem, i);
                    break;
                case (3, 1):
                    NarrowTile<T, TVec, TOps, Tile3x1>(in problem, i);
                    break;
                case (3, 2):
                    NarrowTile<T, TVec, TOps, Tile3x2>(in problem, i);
                    break;
                case (3, _):
                    NarrowTile<T, TVec, TOps, Tile3x3>(in problem, i);
                    break;
                case (_, 1):
                    NarrowTile<T, TVec, TOps, Tile4x1>(in problem, i);
                    break;
                case (_, 2):
                    NarrowTile<T, TVec, TOps, Tile4x2>(in problem, i);
                    break;
                default:
                    NarrowTile<T, TVec, TOps, Tile4x3>(in problem, i);
                    break;
            }

            i += rows;
        }
    }

    /// <summary>Rows <paramref name="i"/> … (up to four, <typeparamref name="TTile"/>) of C, every column.</summary>
    private static unsafe void NarrowTile<T, TVec, TOps, TTile>(in GemmProblem<T> problem, int i)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
        where TTile : IGemmTile
    {
        int width = TOps.Count;
        int k = problem.K;
        nint ldb = problem.Ldb;
        nint lda = problem.Lda;

        // The vectors' first columns: 0, width, …, and the last ending at C's last column.
        int j1 = TTile.Vectors > 2 ? width : problem.N - width;
        int j2 = problem.N - width;
        T* a = problem.A + (i * lda);
        T* c = problem.C + (i * problem.Ldc);
        nint ldc = problem.Ldc;
        bool accumulate = problem.Accumulate;
        TVec s0 = Start<T, TVec, TOps>(c, accumulate);
        TVec t0 = TTile.Vectors > 1 ? Start<T, TVec, TOps>(c + j1, accumulate) : TOps.Zero;
        TVec u0 = TTile.Vectors > 2 ? Start<T, TVec, TOps>(c + j2, accumulate) : TOps.Zero;
        TVec s1 = TTile.Rows > 1 ? Start<T, TVec, TOps>(c + (1 * ldc), accumulate) : TOps.Zero;
        TVec t1 = TTile.Rows > 1 && TTile.Vectors > 1 ? Start<T, TVec, TOps>(c + (1 * ldc) + j1, accumulate) : TOps.Zero;
        TVec u1 = TTile.Rows > 1 && TTile.Vectors > 2 ? Start<T, TVec, TOps>(c + (1 * ldc) + j2, accumulate) : TOps.Zero;
        TVec s2 = TTile.Rows > 2 ? Start<T, TVec, TOps>(c + (2 * ldc), accumulate) : TOps.Zero;
        TVec t2 = TTile.Rows > 2 && TTile.Vectors > 1 ? Start<T, TVec, TOps>(c + (2 * ldc) + j1, accumulate) : TOps.Zero;
        TVec u2 = TTile.Rows > 2 && TTile.Vectors > 2 ? Start<T, TVec, TOps>(c + (2 * ldc) + j2, accumulate) : TOps.Zero;
        TVec s3 = TTile.Rows > 3 ? Start<T, TVec, TOps>(c + (3 * ldc), accumulate) : TOps.Zero;
        TVec t3 = TTile.Rows > 3 && TTile.Vectors > 1 ? Start<T, TVec, TOps>(c + (3 * ldc) + j1, accumulate) : TOps.Zero;
        TVec u3 = TTile.Rows > 3 && TTile.Vectors > 2 ? Start<T, TVec, TOps>(c + (3 * ldc) + j2, accumulate) : TOps.Zero;
        int p = 0;
        while (p < k)
        {
            int end = Math.Min(p + ZeroBlockSteps, k);
            if (end - p == ZeroBlockSteps && AllZero<T, TVec, TOps, TTile>(a + p, lda))
            {
                p = end;
                continue;
            }

            for (; p < end; p++)
            {
                T* row = problem.B + (p * ldb);
                TVec b0 = TOps.Load(row);
                TVec b1 = TTile.Vectors > 1 ? TOps.Load(row + j1) : b0;
                TVec b2 = TTile.Vectors > 2 ? TOps.Load(row + j2) : b0;
                TVec factor = TOps.Broadcast(a[p]);
                s0 = TOps.MultiplyAdd(s0, factor, b0);
                if (TTile.Vectors > 1)
                {
                    t0 = TOps.MultiplyAdd(t0, factor, b1);
                }

                if (TTile.Vectors > 2)
                {
                    u0 = TOps.MultiplyAdd(u0, factor, b2);
                }

                if (TTile.Rows > 1)
                {
                    factor = TOps.Broadcast(a[(1 * lda) + p]);
                    s1 = TOps.MultiplyAdd(s1, factor, b0);
                    if (TTile.Vectors > 1)
                    {
                        t1 = TOps.MultiplyAdd(t1, factor, b1);
                    }

                    if (TTile.Vectors > 2)
                    {
                        u1 = TOps.MultiplyAdd(u1, factor, b2);
                    }
                }

                if (TTile.Rows > 2)
                {
                    factor = TOps.Broadcast(a[(2 * lda) + p]);
                    s2 = TOps.MultiplyAdd(s2, factor, b0);
                    if (TTile.Vectors > 1)
                    {
                        t2 = TOps.MultiplyAdd(t2, factor, b1);
                    }

                    if (TTile.Vectors > 2)
                    {
                        u2 = TOps.MultiplyAdd(u2, factor, b2);
                    }
                }

                if (TTile.Rows > 3)
                {
                    factor = TOps.Broadcast(a[(3 * lda) + p]);
                    s3 = TOps.MultiplyAdd(s3, factor, b0);
                    if (TTile.Vectors > 1)
                    {
                        t3 = TOps.MultiplyAdd(t3, factor, b1);
                    }

                    if (TTile.Vectors > 2)
                    {
                        u3 = TOps.MultiplyAdd(u3, factor, b2);
                    }
                }
            }
        }

        // Every start was read above, so the overlapping last vector's store writes what the one before wrote.
        StoreRow<T, TVec, TOps, TTile>(c, j1, j2, s0, t0, u0);
        if (TTile.Rows > 1)
        {
            StoreRow<T, TVec, TOps, TTile>(c + (1 * ldc), j1, j2, s1, t1, u1);
        }

        if (TTile.Rows > 2)
        {
            StoreRow<T, TVec, TOps, TTile>(c + (2 * ldc), j1, j2, s2, t2, u2);
        }

        if (TTile.Rows > 3)
        {
            StoreRow<T, TVec, TOps, TTile>(c + (3 * ldc), j1, j2, s3, t3, u3);
        }
    }

    /// <summary>One row of a tile's sums to C: its first vector at column 0, the others at <paramref name="j1"/> and
    /// <paramref name="j2"/> as the tile has them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreRow<T, TVec, TOps, TTile>(T* c, int j1, int j2, TVec s, TVec t, TVec u)
        where T : unmanaged
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
        where TTile : IGemmTile
    {
        TOps.Store(c, s);
        if (TTile.Vectors > 1)
        {
            TOps.Store(c + j1, t);
        }

        if (TTile.Vectors > 2)
        {
            TOps.Store(c + j2, u);
        }
    }

    /// <summary>Whether the <see cref="ZeroBlockSteps"/> factors from <paramref name="factors"/> of every row of the
    /// tile are zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe bool AllZero<T, TVec, TOps, TTile>(T* factors, nint lda)
        where T : unmanaged
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
        where TTile : IGemmTile
    {
        for (int r = 0; r < TTile.Rows; r++)
        {
            for (int e = 0; e < ZeroBlockSteps; e += TOps.Count)
            {
                if (!TOps.IsZero(TOps.Load(factors + (r * lda) + e)))
                {
                    return false;
                }
            }
        }

        return true;
    }
}
