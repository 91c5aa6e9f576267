using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Graph.Runtime;

/// <summary>The unpacked GEMM strategies: C one row (or one column) at a time, as vector–matrix products.</summary>
internal static partial class GemmCore
{
    /// <summary>
    /// C[i,:] = op(A)[i,:]·op(B) for each row i: the strategy for C with few rows, m = 1 (the batch-1 step) above all.
    /// B is read in place; a strided row of op(A) is gathered first.
    /// </summary>
    public static unsafe void RowByRow<T, TVec, TOps>(in GemmProblem<T> problem)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
    {
        // Row i of op(A) is A's stored row i, or (transA) A's stored column i, strided by lda.
        bool gatherRow = problem.TransA && problem.Lda != 1;
        T* gathered = gatherRow ? GemmScratch<T>.Vector(problem.K) : null;
        for (int i = 0; i < problem.M; i++)
        {
            T* row;
            if (!problem.TransA)
            {
                row = problem.A + (i * problem.Lda);
            }
            else if (gatherRow)
            {
                row = gathered;
                Gather(problem.A + i, problem.Lda, problem.K, row);
            }
            else
            {
                row = problem.A + i;
            }

            VectorTimesMatrix<T, TVec, TOps>(problem.N, problem.K, row, problem.B, problem.Ldb, problem.TransB,
                problem.C + (i * problem.Ldc), problem.Accumulate);
        }
    }

    /// <summary>
    /// C[:,j] = op(A)·op(B)[:,j] for each column j, computed as the row C[:,j]ᵀ = op(B)[:,j]ᵀ·op(A)ᵀ: the strategy for
    /// C with few columns, n = 1 above all. op(A)ᵀ is A's storage read with the opposite transposition; strided
    /// vectors are gathered (and the column of C scattered back).
    /// </summary>
    public static unsafe void ColumnByColumn<T, TVec, TOps>(in GemmProblem<T> problem)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
    {
        // Column j of op(B) is B's stored column j, strided by ldb, or (transB) B's stored row j.
        bool gatherColumn = !problem.TransB && problem.Ldb != 1 && problem.K > 1;
        bool stridedResult = problem.Ldc != 1 && problem.M > 1;
        T* gathered = gatherColumn ? GemmScratch<T>.Vector(problem.K) : null;
        T* result = stridedResult ? GemmScratch<T>.Result(problem.M) : null;
        for (int j = 0; j < problem.N; j++)
        {
            T* column;
            if (problem.TransB)
            {
                column = problem.B + (j * problem.Ldb);
            }
            else if (gatherColumn)
            {
                column = gathered;
                Gather(problem.B + j, problem.Ldb, problem.K, column);
            }
            else
            {
                column = problem.B + j;
            }

            T* target = problem.C + j;
            if (stridedResult)
            {
                if (problem.Accumulate)
                {
                    Gather(target, problem.Ldc, problem.M, result);
                }

                target = result;
            }

            VectorTimesMatrix<T, TVec, TOps>(problem.M, problem.K, column, problem.A, problem.Lda, !problem.TransA,
                target, problem.Accumulate);
            if (stridedResult)
            {
                for (int i = 0; i < problem.M; i++)
                {
                    problem.C[j + (i * problem.Ldc)] = result[i];
                }
            }
        }
    }

    /// <summary>Copies <paramref name="count"/> elements <paramref name="stride"/> apart into consecutive ones.</summary>
    private static unsafe void Gather<T>(T* source, nint stride, int count, T* destination)
        where T : unmanaged
    {
        for (int i = 0; i < count; i++)
        {
            destination[i] = source[i * stride];
        }
    }

    /// <summary>
    /// y = xᵀ·M (accumulate: y += xᵀ·M) for the contiguous vectors x (length k) and y (length n) and the k×n matrix M,
    /// stored row-major with leading dimension <paramref name="ld"/>, or (<paramref name="transposed"/>) stored n×k.
    /// </summary>
    private static unsafe void VectorTimesMatrix<T, TVec, TOps>(int n, int k, T* x, T* matrix, nint ld,
        bool transposed, T* y, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
    {
        // Vectors too wide for the rows (dot products) or the columns (sums of rows) give way to 128-bit ones, then to
        // one element at a time.
        bool narrow = (transposed ? k : n) < TOps.Count;
        bool narrow128 = narrow && Vector128.IsHardwareAccelerated && Vector128<T>.IsSupported && (transposed ? k : n) >= Vector128<T>.Count;
        if (transposed)
        {
            if (!GemmNumerics.IsRelaxed<T>())
            {
                SequentialDotRows(n, k, x, matrix, ld, y, accumulate);
            }
            else if (narrow128)
            {
                ReorderedDotRows<T, Vector128<T>, GemmVector128<T>>(n, k, x, matrix, ld, y, accumulate);
            }
            else
            {
                ReorderedDotRows<T, TVec, TOps>(n, k, x, matrix, ld, y, accumulate);
            }
        }
        else if (narrow128)
        {
            VectorTimesRows<T, Vector128<T>, GemmVector128<T>>(n, k, x, matrix, ld, y, accumulate);
        }
        else if (narrow)
        {
            VectorTimesRows<T, T, GemmScalar<T>>(n, k, x, matrix, ld, y, accumulate);
        }
        else
        {
            VectorTimesRows<T, TVec, TOps>(n, k, x, matrix, ld, y, accumulate);
        }
    }

    /// <summary>
    /// y = xᵀ·M for M stored k×n (n ≥ the vector width) as a sum of M's rows scaled by x: each pass adds four rows
    /// into y, in row order, so every element is the sequential sum over p. Groups of four rows whose factors are
    /// all zero are skipped (they add zero, for a finite M), which makes an image's blank pixels free.
    /// </summary>
    /// <remarks>
    /// The n mod width trailing columns ride in one extra vector over columns n−width … n−1, which overlaps the last
    /// whole vector. It accumulates in a private buffer, and only its trailing lanes are copied back to y, so nothing
    /// outside y or M is touched.
    /// </remarks>
    private static unsafe void VectorTimesRows<T, TVec, TOps>(int n, int k, T* x, T* matrix, nint ld, T* y,
        bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
    {
        int width = TOps.Count;
        int whole = n - (n % width);
        int tail = n - whole;
        nint tailColumn = n - width;
        T* tailSums = stackalloc T[width];
        if (!accumulate)
        {
            new Span<T>(y, n).Clear();
        }

        if (tail != 0)
        {
            TOps.Store(tailSums, TOps.Load(y + tailColumn));
        }

        // Groups of four rows whose factors are all zero add nothing (blank pixels of an image): walk the set bits of
        // the groups that have a nonzero factor, 64 factors at a time, in order.
        int groupsEnd = k - (k % 4);
        for (int p0 = 0; p0 < groupsEnd; p0 += 64)
        {
            ulong groups = FactorMask.NonZeroGroupsOfFour(x + p0, Math.Min(64, groupsEnd - p0));
            while (groups != 0)
            {
                int p = p0 + BitOperations.TrailingZeroCount(groups);
                groups &= groups - 1;
                TVec x0 = TOps.Broadcast(x[p]);
                TVec x1 = TOps.Broadcast(x[p + 1]);
                TVec x2 = TOps.Broadcast(x[p + 2]);
                TVec x3 = TOps.Broadcast(x[p + 3]);
                T* row = matrix + (p * ld);
                for (nint j = 0; j < whole; j += width)
                {
                    TOps.Store(y + j, AddFourRows<T, TVec, TOps>(TOps.Load(y + j), x0, x1, x2, x3, row + j, ld));
                }

                if (tail != 0)
                {
                    TOps.Store(tailSums, AddFourRows<T, TVec, TOps>(TOps.Load(tailSums), x0, x1, x2, x3, row + tailColumn, ld));
                }
            }
        }

        for (int p = groupsEnd; p < k; p++)
        {
            if (x[p] == T.Zero)
            {
                continue;
            }

            TVec xp = TOps.Broadcast(x[p]);
            T* row = matrix + (p * ld);
            for (nint j = 0; j < whole; j += width)
            {
                TOps.Store(y + j, TOps.MultiplyAdd(TOps.Load(y + j), xp, TOps.Load(row + j)));
            }

            if (tail != 0)
            {
                TOps.Store(tailSums, TOps.MultiplyAdd(TOps.Load(tailSums), xp, TOps.Load(row + tailColumn)));
            }
        }

        new ReadOnlySpan<T>(tailSums + width - tail, tail).CopyTo(new Span<T>(y + whole, tail));
    }

    /// <summary>sum + x0·row[0] + x1·row[ld] + x2·row[2·ld] + x3·row[3·ld], added in that order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe TVec AddFourRows<T, TVec, TOps>(TVec sum, TVec x0, TVec x1, TVec x2, TVec x3, T* row,
        nint ld)
        where T : unmanaged
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
    {
        sum = TOps.MultiplyAdd(sum, x0, TOps.Load(row));
        sum = TOps.MultiplyAdd(sum, x1, TOps.Load(row + ld));
        sum = TOps.MultiplyAdd(sum, x2, TOps.Load(row + (2 * ld)));
        return TOps.MultiplyAdd(sum, x3, TOps.Load(row + (3 * ld)));
    }

    /// <summary>
    /// y[j] = x·M[j,:] for M stored n×k, summing each dot product in whatever order is fastest (single precision):
    /// vectors along p, four rows at a time sharing the loads of x, two accumulators per row.
    /// </summary>
    private static unsafe void ReorderedDotRows<T, TVec, TOps>(int n, int k, T* x, T* matrix, nint ld, T* y,
        bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
    {
        int width = TOps.Count;
        int pairEnd = k - (k % (2 * width));
        int vectorEnd = k - (k % width);
        int j = 0;
        for (; j + 4 <= n; j += 4)
        {
            T* row0 = matrix + (j * ld);
            T* row1 = row0 + ld;
            T* row2 = row1 + ld;
            T* row3 = row2 + ld;
            TVec sum0 = TOps.Zero, sum1 = TOps.Zero, sum2 = TOps.Zero, sum3 = TOps.Zero;
            TVec more0 = TOps.Zero, more1 = TOps.Zero, more2 = TOps.Zero, more3 = TOps.Zero;
            int p = 0;
            for (; p < pairEnd; p += 2 * width)
            {
                TVec x0 = TOps.Load(x + p);
                TVec x1 = TOps.Load(x + p + width);
                sum0 = TOps.MultiplyAdd(sum0, x0, TOps.Load(row0 + p));
                sum1 = TOps.MultiplyAdd(sum1, x0, TOps.Load(row1 + p));
                sum2 = TOps.MultiplyAdd(sum2, x0, TOps.Load(row2 + p));
                sum3 = TOps.MultiplyAdd(sum3, x0, TOps.Load(row3 + p));
                more0 = TOps.MultiplyAdd(more0, x1, TOps.Load(row0 + p + width));
                more1 = TOps.MultiplyAdd(more1, x1, TOps.Load(row1 + p + width));
                more2 = TOps.MultiplyAdd(more2, x1, TOps.Load(row2 + p + width));
                more3 = TOps.MultiplyAdd(more3, x1, TOps.Load(row3 + p + width));
            }

            for (; p < vectorEnd; p += width)
            {
                TVec xp = TOps.Load(x + p);
                sum0 = TOps.MultiplyAdd(sum0, xp, TOps.Load(row0 + p));
                sum1 = TOps.MultiplyAdd(sum1, xp, TOps.Load(row1 + p));
                sum2 = TOps.MultiplyAdd(sum2, xp, TOps.Load(row2 + p));
                sum3 = TOps.MultiplyAdd(sum3, xp, TOps.Load(row3 + p));
            }

            T dot0 = TOps.Sum(sum0) + TOps.Sum(more0);
            T dot1 = TOps.Sum(sum1) + TOps.Sum(more1);
            T dot2 = TOps.Sum(sum2) + TOps.Sum(more2);
            T dot3 = TOps.Sum(sum3) + TOps.Sum(more3);
            for (; p < k; p++)
            {
                T xp = x[p];
                dot0 += xp * row0[p];
                dot1 += xp * row1[p];
                dot2 += xp * row2[p];
                dot3 += xp * row3[p];
            }

            y[j] = accumulate ? y[j] + dot0 : dot0;
            y[j + 1] = accumulate ? y[j + 1] + dot1 : dot1;
            y[j + 2] = accumulate ? y[j + 2] + dot2 : dot2;
            y[j + 3] = accumulate ? y[j + 3] + dot3 : dot3;
        }

        for (; j < n; j++)
        {
            T* row = matrix + (j * ld);
            TVec sum = TOps.Zero;
            int p = 0;
            for (; p < vectorEnd; p += width)
            {
                sum = TOps.MultiplyAdd(sum, TOps.Load(x + p), TOps.Load(row + p));
            }

            T dot = TOps.Sum(sum);
            for (; p < k; p++)
            {
                dot += x[p] * row[p];
            }

            y[j] = accumulate ? y[j] + dot : dot;
        }
    }

    /// <summary>
    /// y[j] = x·M[j,:] for M stored n×k, each dot product the sequential sum over p, rounded after every multiply and
    /// every add; four rows at a time, so that the four independent sums overlap.
    /// </summary>
    private static unsafe void SequentialDotRows<T>(int n, int k, T* x, T* matrix, nint ld, T* y, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i = 0;
        for (; i + 4 <= n; i += 4)
        {
            T* row0 = matrix + (i * ld);
            T* row1 = row0 + ld;
            T* row2 = row1 + ld;
            T* row3 = row2 + ld;
            T s0 = accumulate ? y[i] : T.Zero;
            T s1 = accumulate ? y[i + 1] : T.Zero;
            T s2 = accumulate ? y[i + 2] : T.Zero;
            T s3 = accumulate ? y[i + 3] : T.Zero;
            for (int p = 0; p < k; p++)
            {
                T xp = x[p];
                s0 += xp * row0[p];
                s1 += xp * row1[p];
                s2 += xp * row2[p];
                s3 += xp * row3[p];
            }

            y[i] = s0;
            y[i + 1] = s1;
            y[i + 2] = s2;
            y[i + 3] = s3;
        }

        for (; i < n; i++)
        {
            T* row = matrix + (i * ld);
            T s = accumulate ? y[i] : T.Zero;
            for (int p = 0; p < k; p++)
            {
                s += x[p] * row[p];
            }

            y[i] = s;
        }
    }
}
