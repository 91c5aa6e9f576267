using System.Numerics;

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
    /// are blank); deeper products are computed into a per-thread buffer first.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative or a leading dimension is too small.</exception>
    /// <exception cref="ArgumentException">A span is shorter than its matrix, or C overlaps A or B.</exception>
    public static unsafe void GemmSgdStep<T>(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, T learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        GemmCore.Validate(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        if (m == 0 || n == 0 || k == 0)
        {
            return;
        }

        if (k == 1)
        {
            OuterProductSgdStep(transA, transB, m, n, a, lda, b, ldb, c, ldc, learningRate);
            return;
        }

        var product = new Span<T>(GemmScratch<T>.Product(m * n), m * n);
        Gemm(transA, transB, m, n, k, a, lda, b, ldb, product, n, accumulate: false);
        for (int i = 0; i < m; i++)
        {
            SgdStep(c.Slice(i * ldc, n), product.Slice(i * n, n), learningRate);
        }
    }

    /// <summary>C[i,j] -= learningRate · (a[i] · b[j]) for the column a = op(A) and the row b = op(B).</summary>
    private static unsafe void OuterProductSgdStep<T>(bool transA, bool transB, int m, int n,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, T learningRate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // op(B) is one row: B's first stored row, or (transB) B's first stored column, strided by ldb.
        ReadOnlySpan<T> row = b;
        if (transB && ldb != 1 && n > 1)
        {
            var gathered = new Span<T>(GemmScratch<T>.Vector(n), n);
            for (int j = 0; j < n; j++)
            {
                gathered[j] = b[j * ldb];
            }

            row = gathered;
        }

        row = row[..n];
        var rate = new Vector<T>(learningRate);
        for (int i = 0; i < m; i++)
        {
            T factor = transA ? a[i] : a[i * lda];
            if (factor == T.Zero)
            {
                continue;
            }

            Span<T> target = c.Slice(i * ldc, n);
            var scale = new Vector<T>(factor);
            int j = 0;
            for (; j <= n - Vector<T>.Count; j += Vector<T>.Count)
            {
                var updated = new Vector<T>(target[j..]) - (rate * (scale * new Vector<T>(row[j..])));
                updated.CopyTo(target[j..]);
            }

            for (; j < n; j++)
            {
                target[j] -= learningRate * (factor * row[j]);
            }
        }
    }
}
