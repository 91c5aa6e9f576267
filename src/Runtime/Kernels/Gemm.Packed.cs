using System.Numerics;

namespace Graph.Runtime;

/// <summary>
/// The packed GEMM strategy, after Goto and van de Geijn (the BLIS scheme), for row-major storage.
/// </summary>
/// <remarks>
/// <para>Loops, outermost first (W = vector width, NR = 2W, MR = <see cref="MicroRows"/>):</para>
/// <list type="number">
/// <item>jc over n by nc: a column block of op(B) and C.</item>
/// <item>pc over k by kc: op(B)[pc.., jc..] (kc×nc) is packed into NR-wide slivers, each kc rows of NR consecutive
/// elements, zero-padded past n. The packed block (a few MiB at most) stays in L3.</item>
/// <item>ic over m by mc: op(A)[ic.., pc..] (mc×kc) is packed into MR-high panels, each kc columns of MR
/// consecutive elements, zero-padded past m. The packed block is sized to stay in L2.</item>
/// <item>jr over the slivers, then ir over the panels: the micro-kernel adds panel·sliver to an MR×NR tile of C.
/// A sliver (kc·NR elements, 16 KiB) stays in L1 while every panel of the A block streams past it.</item>
/// </list>
/// <para>Every ic iteration reads the shared packed B and writes its own rows of C, so splitting that loop across
/// threads (each with its own packed-A buffer, which <see cref="GemmScratch{T}"/> already keeps per thread) is what
/// parallelising takes.</para>
/// <para>Numerics: each element of C is one accumulator lane. The first depth block starts it from zero (or from C
/// when accumulating), later blocks reload it from C, and each adds its products in order of p, so for the
/// non-fused types every element is exactly the sequential sum.</para>
/// </remarks>
internal static partial class GemmCore
{
    /// <summary>The micro-tile height MR: rows of C per micro-kernel call.</summary>
    private const int MicroRows = 6;

    /// <summary>The bytes of a packed B sliver (kc·NR elements), sized to stay in L1 (32 KiB or more).</summary>
    private const int SliverBytes = 16 * 1024;

    /// <summary>The bytes of a packed A block (mc·kc elements), sized to stay in L2 (512 KiB or more).</summary>
    private const int BlockABytes = 144 * 1024;

    /// <summary>The default column block nc: a multiple of every NR, bounding the packed B block to kc·nc elements.</summary>
    private const int DefaultBlockN = 4096;

    /// <summary>Runs the packed strategy.</summary>
    public static unsafe void Packed<T, TVec, TOps>(in GemmProblem<T> problem)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
    {
        int nr = 2 * TOps.Count;
        GemmOptions options = problem.Options;
        int blockK = options.BlockK > 0 ? options.BlockK : Math.Clamp(SliverBytes / (nr * sizeof(T)), 64, 512);
        int blockM = options.BlockM > 0
            ? RoundUp(options.BlockM, MicroRows)
            : Math.Max(MicroRows, BlockABytes / (blockK * sizeof(T)) / MicroRows * MicroRows);
        int blockN = options.BlockN > 0 ? RoundUp(options.BlockN, nr) : DefaultBlockN;

        int kcMax = Math.Min(blockK, problem.K);
        T* packedA = GemmScratch<T>.PackedA(Math.Min(blockM, RoundUp(problem.M, MicroRows)) * kcMax);
        T* packedB = GemmScratch<T>.PackedB(Math.Min(blockN, RoundUp(problem.N, nr)) * kcMax);

        for (int jc = 0; jc < problem.N; jc += blockN)
        {
            int nc = Math.Min(blockN, problem.N - jc);
            for (int pc = 0; pc < problem.K; pc += blockK)
            {
                int kc = Math.Min(blockK, problem.K - pc);
                bool loadC = problem.Accumulate || pc > 0;
                PackB<T, TVec, TOps>(problem.TransB, problem.B, problem.Ldb, pc, jc, kc, nc, packedB);
                for (int ic = 0; ic < problem.M; ic += blockM)
                {
                    int mc = Math.Min(blockM, problem.M - ic);
                    PackA(problem.TransA, problem.A, problem.Lda, ic, pc, mc, kc, packedA);
                    MacroKernel<T, TVec, TOps>(mc, nc, kc, packedA, packedB,
                        problem.C + (ic * problem.Ldc) + jc, problem.Ldc, loadC);
                }
            }
        }
    }

    /// <summary>
    /// Packs op(A)[i0..i0+mc, p0..p0+kc] into MR-high panels: panel q holds rows i0+q·MR …, stored column after
    /// column (element (r, p) of the panel at p·MR + r); rows past mc are zero, so that the micro-kernel's discarded
    /// lanes compute on harmless values.
    /// </summary>
    /// <remarks>
    /// Each step of a full panel writes a whole column of it, MR consecutive elements. Stored plainly, the panel's
    /// six rows are read side by side, six sequential streams; stored transposed, each column of the panel is a run
    /// of consecutive elements. (Reading a stored row at a time instead writes one element per cache line and runs
    /// twice as slowly.)
    /// </remarks>
    private static unsafe void PackA<T>(bool transA, T* a, nint lda, int i0, int p0, int mc, int kc, T* packed)
        where T : unmanaged
    {
        int fullPanels = mc / MicroRows;
        for (int panel = 0; panel < fullPanels; panel++, packed += kc * MicroRows)
        {
            int i = i0 + (panel * MicroRows);
            T* target = packed;
            if (transA)
            {
                T* source = a + ((nint)p0 * lda) + i;
                for (int p = 0; p < kc; p++, source += lda, target += MicroRows)
                {
                    target[0] = source[0];
                    target[1] = source[1];
                    target[2] = source[2];
                    target[3] = source[3];
                    target[4] = source[4];
                    target[5] = source[5];
                }
            }
            else
            {
                T* row0 = a + (i * lda) + p0;
                T* row1 = row0 + lda;
                T* row2 = row1 + lda;
                T* row3 = row2 + lda;
                T* row4 = row3 + lda;
                T* row5 = row4 + lda;
                for (int p = 0; p < kc; p++, target += MicroRows)
                {
                    target[0] = row0[p];
                    target[1] = row1[p];
                    target[2] = row2[p];
                    target[3] = row3[p];
                    target[4] = row4[p];
                    target[5] = row5[p];
                }
            }
        }

        int rows = mc - (fullPanels * MicroRows);
        if (rows > 0)
        {
            PackPartialPanel(transA, a, lda, i0 + (fullPanels * MicroRows), p0, rows, kc, packed);
        }
    }

    /// <summary>Packs the last A panel, of fewer than MR rows, and zeroes its missing rows.</summary>
    private static unsafe void PackPartialPanel<T>(bool transA, T* a, nint lda, int i, int p0, int rows, int kc,
        T* packed)
        where T : unmanaged
    {
        for (int p = 0; p < kc; p++, packed += MicroRows)
        {
            for (int r = 0; r < rows; r++)
            {
                packed[r] = transA ? a[((p0 + p) * lda) + i + r] : a[((i + r) * lda) + p0 + p];
            }

            new Span<T>(packed + rows, MicroRows - rows).Clear();
        }
    }

    /// <summary>
    /// Packs op(B)[p0..p0+kc, j0..j0+nc] into NR-wide slivers: sliver s holds columns j0+s·NR …, stored row after
    /// row (element (p, c) of the sliver at p·NR + c); columns past nc are zero.
    /// </summary>
    /// <remarks>
    /// Stored plainly, B is read a stored row at a time, each feeding NR consecutive elements to every sliver (a
    /// sliver at a time would walk B down its columns, a cache line per step). Stored transposed, a sliver's columns
    /// are stored rows, read four side by side.
    /// </remarks>
    private static unsafe void PackB<T, TVec, TOps>(bool transB, T* b, nint ldb, int p0, int j0, int kc, int nc,
        T* packed)
        where T : unmanaged
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
    {
        int width = TOps.Count;
        int nr = 2 * width;
        int sliverSize = kc * nr;
        int fullSlivers = nc / nr;
        if (transB)
        {
            // op(B)'s columns are B's stored rows.
            for (int sliver = 0; sliver < fullSlivers; sliver++)
            {
                PackTransposedColumns(b + ((j0 + (sliver * nr)) * ldb) + p0, ldb, kc, nr, nr,
                    packed + (sliver * sliverSize));
            }
        }
        else
        {
            // Each stored row p holds row p of every sliver, consecutively.
            T* source = b + ((nint)p0 * ldb) + j0;
            for (int p = 0; p < kc; p++, source += ldb)
            {
                T* from = source;
                T* target = packed + (p * nr);
                for (int sliver = 0; sliver < fullSlivers; sliver++, from += nr, target += sliverSize)
                {
                    TOps.Store(target, TOps.Load(from));
                    TOps.Store(target + width, TOps.Load(from + width));
                }
            }
        }

        int columns = nc - (fullSlivers * nr);
        if (columns == 0)
        {
            return;
        }

        int j = j0 + (fullSlivers * nr);
        packed += fullSlivers * sliverSize;
        if (transB)
        {
            PackTransposedColumns(b + (j * ldb) + p0, ldb, kc, columns, nr, packed);
        }
        else
        {
            T* source = b + ((nint)p0 * ldb) + j;
            for (int p = 0; p < kc; p++, source += ldb)
            {
                new ReadOnlySpan<T>(source, columns).CopyTo(new Span<T>(packed + (p * nr), columns));
            }
        }

        for (int p = 0; p < kc; p++)
        {
            new Span<T>(packed + (p * nr) + columns, nr - columns).Clear();
        }
    }

    /// <summary>
    /// Packs a sliver of op(B) from transposed storage, where its columns are the stored rows starting at
    /// <paramref name="source"/>: element (p, c) goes to p·nr + c.
    /// </summary>
    /// <remarks>Four stored rows are read side by side, so that each step writes four consecutive elements.</remarks>
    private static unsafe void PackTransposedColumns<T>(T* source, nint ldb, int kc, int columns, int nr, T* packed)
        where T : unmanaged
    {
        int column = 0;
        for (; column + 4 <= columns; column += 4)
        {
            T* row0 = source + (column * ldb);
            T* row1 = row0 + ldb;
            T* row2 = row1 + ldb;
            T* row3 = row2 + ldb;
            T* target = packed + column;
            for (int p = 0; p < kc; p++, target += nr)
            {
                target[0] = row0[p];
                target[1] = row1[p];
                target[2] = row2[p];
                target[3] = row3[p];
            }
        }

        for (; column < columns; column++)
        {
            T* row = source + (column * ldb);
            for (int p = 0; p < kc; p++)
            {
                packed[(p * nr) + column] = row[p];
            }
        }
    }

    /// <summary>
    /// C[0..mc, 0..nc] (+)= packed A block · packed B block, one MR×NR micro-tile at a time. Tiles cut by the edge of C
    /// run on a local tile and copy back only their valid part.
    /// </summary>
    private static unsafe void MacroKernel<T, TVec, TOps>(int mc, int nc, int kc, T* packedA, T* packedB, T* c,
        nint ldc, bool loadC)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
    {
        int nr = 2 * TOps.Count;
        T* edgeTile = stackalloc T[MicroRows * nr];
        for (int jr = 0; jr < nc; jr += nr)
        {
            int columns = Math.Min(nr, nc - jr);
            T* sliver = packedB + (jr * kc);
            for (int ir = 0; ir < mc; ir += MicroRows)
            {
                int rows = Math.Min(MicroRows, mc - ir);
                T* panel = packedA + (ir * kc);
                T* tile = c + (ir * ldc) + jr;
                if (rows == MicroRows && columns == nr)
                {
                    MicroKernel<T, TVec, TOps>(kc, panel, sliver, tile, ldc, loadC);
                    continue;
                }

                if (loadC)
                {
                    CopyTile(tile, ldc, edgeTile, nr, rows, columns);
                }

                MicroKernel<T, TVec, TOps>(kc, panel, sliver, edgeTile, nr, loadC);
                CopyTile(edgeTile, nr, tile, ldc, rows, columns);
            }
        }
    }

    /// <summary>Copies a rows×columns tile between row-major storages.</summary>
    private static unsafe void CopyTile<T>(T* source, nint sourceLd, T* target, nint targetLd, int rows, int columns)
        where T : unmanaged
    {
        for (int r = 0; r < rows; r++)
        {
            new ReadOnlySpan<T>(source + (r * sourceLd), columns).CopyTo(new Span<T>(target + (r * targetLd), columns));
        }
    }

    /// <summary>The smallest multiple of <paramref name="multiple"/> at least <paramref name="value"/>.</summary>
    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;
}
