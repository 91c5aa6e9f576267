using System.Numerics;

namespace Graph.Runtime;

/// <summary>A matrix product added to the matrix that holds a running sum.</summary>
public static partial class Kernels
{
    /// <summary>
    /// <c>C += op(A)·op(B)</c> with the product summed on its own and then added, element by element: the same values
    /// as the product into a buffer followed by <c>C = C + buffer</c>, without the buffer (a loop's gradient
    /// accumulator, <c>dW = dW + hᵀ·d</c>, in one pass over dW). Arguments are laid out as for
    /// <see cref="Gemm{T}(bool, bool, int, int, int, ReadOnlySpan{T}, int, ReadOnlySpan{T}, int, Span{T}, int, bool)"/>.
    /// </summary>
    /// <remarks>
    /// It is the fused SGD step <see cref="GemmSgdStep{T}(bool, bool, int, int, int, ReadOnlySpan{T}, int, ReadOnlySpan{T}, int, Span{T}, int, T)"/>
    /// at rate −1: <c>c − (−1 · g)</c> rounds as <c>c + g</c> does, since multiplying by −1 is exact.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative or a leading dimension is too small.</exception>
    /// <exception cref="ArgumentException">A span is shorter than its matrix, or C overlaps A or B.</exception>
    public static void GemmAddProduct<T>(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        GemmSgdStep(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, -T.One);

    /// <summary>
    /// <see cref="GemmAddProduct{T}(bool, bool, int, int, int, ReadOnlySpan{T}, int, ReadOnlySpan{T}, int, Span{T}, int)"/>
    /// on the kernel the generator chose for the shape.
    /// </summary>
    public static void GemmAddProduct<T>(GemmKernel kernel, bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        GemmSgdStep(kernel, transA, transB, m, n, k, a, lda, b, ldb, c, ldc, -T.One);
}
