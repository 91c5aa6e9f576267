using System.Numerics;
using System.Runtime.CompilerServices;

namespace Graph.Runtime;

/// <summary>
/// The direct GEMM kernel (<see cref="GemmKernel.Direct"/>): register-blocked tiles of C computed from A and B where
/// they lie, without packing, and the depth-split kernel built on it (<see cref="GemmKernel.SplitDepth"/>).
/// </summary>
/// <remarks>
/// <para>C is covered by strips of columns, as wide as the tile plan allows (<see cref="GemmDirectTiles"/>: three
/// vectors at 512 bits, two otherwise; W = the vector width) while they fit, then narrower ones down to one vector,
/// then the last n mod W columns; each strip by tiles of rows (up to 8 high three or two vectors wide, 24 or 16
/// accumulators, or 6 high two vectors wide in the 256-bit plan; 12 high one vector wide). The tiles of a strip run
/// one after the other, so the strip of B read from memory by the first is read from the cache by the rest. A tile
/// keeps its accumulators in registers for the whole depth: each step p loads the strip's vectors of row p of B and
/// broadcasts the tile's column p of op(A), read in place from A's rows or (transposed) its columns. The epilogue
/// stores the tile, adds it to C's (the sum started from C), or applies the SGD step to C straight from the
/// registers.</para>
/// <para>The last n mod W columns: when n ≥ W, a vector ending at column n − 1 (it recomputes some columns of the
/// strip before, identically) whose new lanes alone are written back; when n &lt; W, a vector from column 0 that reads
/// past row p's end into row p + 1 while that stays inside B, and a zero-padded copy of the last rows after that.
/// Those tiles are computed into a small tile on the stack first.</para>
/// <para>Numerics: each element of C is one accumulator lane, summed over p in order with
/// <see cref="IGemmVector{T, TVec}.MultiplyAdd"/>: the sequential sum for double, whatever the tile or the split.</para>
/// </remarks>
internal static partial class GemmCore
{
    /// <summary>The most rows of a tile two or three vectors wide in <see cref="GemmDirectTiles.Rows8Vectors3"/>.</summary>
    private const int TallTileRows = 8;

    /// <summary>The rows of a tile two vectors wide in <see cref="GemmDirectTiles.Rows6Vectors2"/>.</summary>
    private const int WideTileRows = 6;

    /// <summary>The rows of a tile one vector wide (either plan), and of the tiles that compute the last columns.</summary>
    private const int NarrowTileRows = 12;

    /// <summary>The depth of one chunk of <see cref="GemmKernel.SplitDepth"/>: fixed, so that the sums do not depend
    /// on the thread count.</summary>
    private const int SplitDepthChunk = 2048;

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
        if (problem.TransA)
        {
            DirectStrips<T, TVec, TOps, TransposedA>(in problem, range);
        }
        else
        {
            DirectStrips<T, TVec, TOps, PlainA>(in problem, range);
        }
    }

    /// <summary>The strips of <see cref="Direct{T, TVec, TOps}"/>, for one storage of A.</summary>
    private static unsafe void DirectStrips<T, TVec, TOps, TA>(in GemmProblem<T> problem, GemmRange range)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
        where TA : IGemmOperandA
    {
        int width = TOps.Count;
        bool tall = ResolveTiles<T>(problem.Options.Tiles, width) == GemmDirectTiles.Rows8Vectors3;
        int widest = tall ? 3 : 2;
        int j = range.ColumnStart;
        for (; j + (widest * width) <= range.ColumnEnd; j += widest * width)
        {
            FullStrip<T, TVec, TOps, TA>(in problem, range, j, widest, tall);
        }

        for (int vectors = widest - 1; vectors >= 1; vectors--)
        {
            if (j + (vectors * width) <= range.ColumnEnd)
            {
                FullStrip<T, TVec, TOps, TA>(in problem, range, j, vectors, tall);
                j += vectors * width;
            }
        }

        if (j < range.ColumnEnd)
        {
            PartialStrip<T, TVec, TOps, TA>(in problem, range, j);
        }
    }

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
    private static unsafe void FullStrip<T, TVec, TOps, TA>(in GemmProblem<T> problem, GemmRange range, int j, int vectors, bool tall)
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
    private static unsafe void PartialStrip<T, TVec, TOps, TA>(in GemmProblem<T> problem, GemmRange range, int j)
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

        T* column = args.A;
        T* row = args.B;
        nint ldb = args.Ldb;
        int depth = args.Depth;
        for (int segment = 0; segment < 2; segment++)
        {
            for (int p = 0; p < depth; p++)
            {
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

            row = args.TailB;
            ldb = width;
            depth = args.TailDepth;
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

    /// <summary>
    /// <see cref="GemmKernel.SplitDepth"/>: the product of each chunk of <see cref="SplitDepthChunk"/> depth steps into
    /// its own partial C (the chunks run on any thread), then C from the partials added in chunk order, with the
    /// epilogue.
    /// </summary>
    private static unsafe void SplitDepth<T, TVec, TOps>(in GemmProblem<T> problem)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
    {
        int m = problem.M, n = problem.N;
        int chunks = (problem.K + SplitDepthChunk - 1) / SplitDepthChunk;
        T* partials = GemmScratch<T>.Partials(chunks * m * n);
        var work = new SplitDepthWork<T, TVec, TOps> { Problem = problem, Partials = partials };
        WorkerPool.Run(ref work, chunks);

        for (int i = 0; i < m; i++)
        {
            T* c = problem.C + (i * problem.Ldc);
            for (int j = 0; j < n; j++)
            {
                T* partial = partials + (i * n) + j;
                T sum = problem.Epilogue == GemmEpilogue.Accumulate ? c[j] + partial[0] : partial[0];
                for (int chunk = 1; chunk < chunks; chunk++)
                {
                    sum += partial[chunk * m * n];
                }

                c[j] = problem.Epilogue == GemmEpilogue.SgdStep ? SgdStepElement(c[j], problem.Rate, sum) : sum;
            }
        }
    }

    /// <summary>One chunk of <see cref="SplitDepth{T, TVec, TOps}"/>: its depth's product into its partial C.</summary>
    private unsafe struct SplitDepthWork<T, TVec, TOps> : IParallelWork
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
    {
        public GemmProblem<T> Problem;
        public T* Partials;

        /// <inheritdoc/>
        public readonly void Run(int part)
        {
            int p0 = part * SplitDepthChunk;
            int m = Problem.M, n = Problem.N;
            GemmProblem<T> chunk = Problem.Depth(p0, Math.Min(SplitDepthChunk, Problem.K - p0))
                .WithC(Partials + (part * m * n), n, GemmEpilogue.Overwrite);
            Direct<T, TVec, TOps>(in chunk, GemmRange.All(m, n));
        }
    }
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

/// <summary>How the direct kernel reads op(A): element (row r of the tile, column p) from a pointer to column p.</summary>
internal interface IGemmOperandA
{
    /// <summary>The pointer to op(A)[i, 0].</summary>
    static abstract unsafe T* Start<T>(T* a, nint lda, int i)
        where T : unmanaged;

    /// <summary>Element <paramref name="row"/> of the column <paramref name="column"/> points to.</summary>
    static abstract unsafe T At<T>(T* column, nint lda, int row)
        where T : unmanaged;

    /// <summary>The pointer to the next column.</summary>
    static abstract unsafe T* Next<T>(T* column, nint lda)
        where T : unmanaged;
}

/// <summary>A stored plainly: op(A)[i, p] = a[i·lda + p].</summary>
internal readonly struct PlainA : IGemmOperandA
{
    public static unsafe T* Start<T>(T* a, nint lda, int i)
        where T : unmanaged => a + (i * lda);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe T At<T>(T* column, nint lda, int row)
        where T : unmanaged => column[row * lda];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe T* Next<T>(T* column, nint lda)
        where T : unmanaged => column + 1;
}

/// <summary>A stored transposed: op(A)[i, p] = a[p·lda + i], so a tile's column is consecutive.</summary>
internal readonly struct TransposedA : IGemmOperandA
{
    public static unsafe T* Start<T>(T* a, nint lda, int i)
        where T : unmanaged => a + i;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe T At<T>(T* column, nint lda, int row)
        where T : unmanaged => column[row];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe T* Next<T>(T* column, nint lda)
        where T : unmanaged => column + lda;
}

/// <summary>The shape of a tile of the direct kernel, as compile-time constants.</summary>
internal interface IGemmTile
{
    /// <summary>The rows.</summary>
    static abstract int Rows { get; }

    /// <summary>The vectors across (1, 2 or 3).</summary>
    static abstract int Vectors { get; }
}

/// <summary>1 row × 1 vector.</summary>
internal readonly struct Tile1x1 : IGemmTile
{
    public static int Rows => 1;

    public static int Vectors => 1;
}

/// <summary>2 rows × 1 vector.</summary>
internal readonly struct Tile2x1 : IGemmTile
{
    public static int Rows => 2;

    public static int Vectors => 1;
}

/// <summary>3 rows × 1 vector.</summary>
internal readonly struct Tile3x1 : IGemmTile
{
    public static int Rows => 3;

    public static int Vectors => 1;
}

/// <summary>4 rows × 1 vector.</summary>
internal readonly struct Tile4x1 : IGemmTile
{
    public static int Rows => 4;

    public static int Vectors => 1;
}

/// <summary>5 rows × 1 vector.</summary>
internal readonly struct Tile5x1 : IGemmTile
{
    public static int Rows => 5;

    public static int Vectors => 1;
}

/// <summary>6 rows × 1 vector.</summary>
internal readonly struct Tile6x1 : IGemmTile
{
    public static int Rows => 6;

    public static int Vectors => 1;
}

/// <summary>7 rows × 1 vector.</summary>
internal readonly struct Tile7x1 : IGemmTile
{
    public static int Rows => 7;

    public static int Vectors => 1;
}

/// <summary>8 rows × 1 vector.</summary>
internal readonly struct Tile8x1 : IGemmTile
{
    public static int Rows => 8;

    public static int Vectors => 1;
}

/// <summary>9 rows × 1 vector.</summary>
internal readonly struct Tile9x1 : IGemmTile
{
    public static int Rows => 9;

    public static int Vectors => 1;
}

/// <summary>10 rows × 1 vector.</summary>
internal readonly struct Tile10x1 : IGemmTile
{
    public static int Rows => 10;

    public static int Vectors => 1;
}

/// <summary>11 rows × 1 vector.</summary>
internal readonly struct Tile11x1 : IGemmTile
{
    public static int Rows => 11;

    public static int Vectors => 1;
}

/// <summary>12 rows × 1 vector.</summary>
internal readonly struct Tile12x1 : IGemmTile
{
    public static int Rows => 12;

    public static int Vectors => 1;
}

/// <summary>1 row × 2 vectors.</summary>
internal readonly struct Tile1x2 : IGemmTile
{
    public static int Rows => 1;

    public static int Vectors => 2;
}

/// <summary>2 rows × 2 vectors.</summary>
internal readonly struct Tile2x2 : IGemmTile
{
    public static int Rows => 2;

    public static int Vectors => 2;
}

/// <summary>3 rows × 2 vectors.</summary>
internal readonly struct Tile3x2 : IGemmTile
{
    public static int Rows => 3;

    public static int Vectors => 2;
}

/// <summary>4 rows × 2 vectors.</summary>
internal readonly struct Tile4x2 : IGemmTile
{
    public static int Rows => 4;

    public static int Vectors => 2;
}

/// <summary>5 rows × 2 vectors.</summary>
internal readonly struct Tile5x2 : IGemmTile
{
    public static int Rows => 5;

    public static int Vectors => 2;
}

/// <summary>6 rows × 2 vectors.</summary>
internal readonly struct Tile6x2 : IGemmTile
{
    public static int Rows => 6;

    public static int Vectors => 2;
}

/// <summary>7 rows × 2 vectors.</summary>
internal readonly struct Tile7x2 : IGemmTile
{
    public static int Rows => 7;

    public static int Vectors => 2;
}

/// <summary>8 rows × 2 vectors.</summary>
internal readonly struct Tile8x2 : IGemmTile
{
    public static int Rows => 8;

    public static int Vectors => 2;
}

/// <summary>1 row × 3 vectors.</summary>
internal readonly struct Tile1x3 : IGemmTile
{
    public static int Rows => 1;

    public static int Vectors => 3;
}

/// <summary>2 rows × 3 vectors.</summary>
internal readonly struct Tile2x3 : IGemmTile
{
    public static int Rows => 2;

    public static int Vectors => 3;
}

/// <summary>3 rows × 3 vectors.</summary>
internal readonly struct Tile3x3 : IGemmTile
{
    public static int Rows => 3;

    public static int Vectors => 3;
}

/// <summary>4 rows × 3 vectors.</summary>
internal readonly struct Tile4x3 : IGemmTile
{
    public static int Rows => 4;

    public static int Vectors => 3;
}

/// <summary>5 rows × 3 vectors.</summary>
internal readonly struct Tile5x3 : IGemmTile
{
    public static int Rows => 5;

    public static int Vectors => 3;
}

/// <summary>6 rows × 3 vectors.</summary>
internal readonly struct Tile6x3 : IGemmTile
{
    public static int Rows => 6;

    public static int Vectors => 3;
}

/// <summary>7 rows × 3 vectors.</summary>
internal readonly struct Tile7x3 : IGemmTile
{
    public static int Rows => 7;

    public static int Vectors => 3;
}

/// <summary>8 rows × 3 vectors.</summary>
internal readonly struct Tile8x3 : IGemmTile
{
    public static int Rows => 8;

    public static int Vectors => 3;
}
