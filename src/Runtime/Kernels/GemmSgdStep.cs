using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Graph.Runtime;

/// <summary>The SGD step fused into the product that computes a weight's gradient.</summary>
public static partial class Kernels
{
    /// <summary>
    /// <c>C -= learningRate · op(A)·op(B)</c>: the SGD update of a weight whose gradient is a matrix product, without
    /// storing the gradient (the book's <c>w -= alpha * x.T.dot(delta)</c>). Arguments are laid out as for
    /// <see cref="Gemm{T}(bool, bool, int, int, int, ReadOnlySpan{T}, int, ReadOnlySpan{T}, int, Span{T}, int, bool)"/>.
    /// </summary>
    /// <remarks>
    /// Each element becomes <c>c - learningRate * g</c>, with <c>g</c> the element of the product as
    /// <see cref="Gemm{T}(bool, bool, int, int, int, ReadOnlySpan{T}, int, ReadOnlySpan{T}, int, Span{T}, int, bool)"/>
    /// computes it, a multiply and then a subtract: the same values as the gradient followed by
    /// <see cref="SgdStep{T}"/>. A depth-1 product (the outer product of a batch-1 step) is applied row by row
    /// straight into C, skipping the rows whose factor in A is zero (their update is zero: most pixels of a digit
    /// are blank). Deeper products run on the GEMM's kernels; the direct kernel applies the step to each tile from its
    /// registers, the others compute the product into a per-thread buffer first.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative or a leading dimension is too small.</exception>
    /// <exception cref="ArgumentException">A span is shorter than its matrix, or C overlaps A or B.</exception>
    public static void GemmSgdStep<T>(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, T learningRate)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        GemmSgdStep(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, learningRate, default);

    /// <summary>
    /// <see cref="GemmSgdStep{T}(bool, bool, int, int, int, ReadOnlySpan{T}, int, ReadOnlySpan{T}, int, Span{T}, int, T)"/>
    /// with the kernel named by the caller (<see cref="GemmKernel.Auto"/> chooses from the shape).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The kernel is not a <see cref="GemmKernel"/>, a size is negative
    /// or a leading dimension is too small.</exception>
    /// <exception cref="ArgumentException">A span is shorter than its matrix, or C overlaps A or B.</exception>
    public static void GemmSgdStep<T>(GemmKernel kernel, bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, T learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        GemmCore.CheckKernel(kernel);
        GemmSgdStep(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, learningRate, new GemmOptions(Kernel: kernel));
    }

    /// <summary>The fused SGD step with the GEMM's choices overridden by <paramref name="options"/>.</summary>
    internal static unsafe void GemmSgdStep<T>(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, T learningRate, GemmOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        GemmCore.Validate(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        if (m == 0 || n == 0 || k == 0)
        {
            return;
        }

        if (k == 1 && options.Kernel == GemmKernel.Auto)
        {
            OuterProductSgdStep(transA, transB, m, n, a, lda, b, ldb, c, ldc, learningRate);
            return;
        }

        fixed (T* pa = a, pb = b, pc = c)
        {
            var problem = new GemmProblem<T>(transA, transB, m, n, k, pa, lda, pb, ldb, b.Length, pc, ldc,
                GemmEpilogue.SgdStep, learningRate, options);
            GemmCore.Run(in problem);
        }
    }

    /// <summary>
    /// C[i,j] -= learningRate · (a[i] · b[j]) for the column a = op(A) and the row b = op(B): only the rows whose factor
    /// is nonzero, found 64 factors at a time (<see cref="FactorMask"/>), each updated at the widest vector that fits.
    /// </summary>
    private static unsafe void OuterProductSgdStep<T>(bool transA, bool transB, int m, int n,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, T learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* pa = a, pb = b, pc = c)
        {
            // op(B) is one row: B's first stored row, or (transB) B's first stored column, strided by ldb.
            T* row = pb;
            if (transB && ldb != 1 && n > 1)
            {
                row = GemmScratch<T>.Vector(n);
                for (int j = 0; j < n; j++)
                {
                    row[j] = pb[j * ldb];
                }
            }

            // op(A) is one column: A's first stored row (transA), or its first stored column, strided by lda.
            nint stride = transA ? 1 : lda;
            T* column = stride == 1 ? pa : GemmScratch<T>.Result(m);
            if (stride != 1)
            {
                for (int i = 0; i < m; i++)
                {
                    column[i] = pa[i * stride];
                }
            }

            for (int i0 = 0; i0 < m; i0 += 64)
            {
                ulong rows = FactorMask.NonZero(column + i0, Math.Min(64, m - i0));
                while (rows != 0)
                {
                    int i = i0 + BitOperations.TrailingZeroCount(rows);
                    rows &= rows - 1;
                    T* target = pc + (i * (nint)ldc);
                    int j = SgdRowAt<T, Vector512<T>, GemmVector512<T>>(Vector512.IsHardwareAccelerated, target, row, column[i], learningRate, 0, n);
                    j = SgdRowAt<T, Vector256<T>, GemmVector256<T>>(Vector256.IsHardwareAccelerated, target, row, column[i], learningRate, j, n);
                    SgdRowAt<T, T, GemmScalar<T>>(true, target, row, column[i], learningRate, j, n);
                }
            }
        }
    }

    /// <summary>
    /// target[j] -= rate · (factor · row[j]) for j from <paramref name="j"/> on, in whole vectors of
    /// <typeparamref name="TOps"/> (none unless <paramref name="accelerated"/>); returns the first column left.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe int SgdRowAt<T, TVec, TOps>(bool accelerated, T* target, T* row, T factor, T rate, int j, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
    {
        if (!accelerated || (TOps.Count > 1 && !System.Runtime.Intrinsics.Vector128<T>.IsSupported))
        {
            return j;
        }

        TVec rates = TOps.Broadcast(rate);
        TVec scale = TOps.Broadcast(factor);
        for (; j + TOps.Count <= n; j += TOps.Count)
        {
            TOps.Store(target + j, TOps.SgdStep(TOps.Load(target + j), rates, TOps.Multiply(scale, TOps.Load(row + j))));
        }

        return j;
    }
}
