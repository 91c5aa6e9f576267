using System.Numerics;
using System.Runtime.CompilerServices;

namespace Graph.Runtime;

/// <summary>
/// What takes the elements of a product that <see cref="Kernels.GemmInto{T, TConsumer}"/> never stores: generated code
/// implements it with the elementwise loop that reads the product (a product's only reader), which computes its own
/// result from each element and the loop's other operands.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public interface IProductConsumer<T>
    where T : unmanaged
{
    /// <summary>Takes the elements <paramref name="index"/> … <paramref name="index"/> + <see cref="Vector{T}.Count"/>
    /// − 1 of the product (row-major, <c>index = i · n + j</c>), all in one row.</summary>
    void Take(int index, Vector<T> product);

    /// <summary>Takes the element <paramref name="index"/> of the product (row-major, <c>index = i · n + j</c>).</summary>
    void Take(int index, T product);
}

/// <summary>A matrix product handed to the loop that reads it instead of being stored.</summary>
public static partial class Kernels
{
    /// <summary>
    /// The fewest rows of A for which <see cref="GemmInto{T, TConsumer}"/> copies a transposed B untransposed: for fewer
    /// (a batch of one), copying B's n × k elements would cost as much as the product, so each element is a dot
    /// product of A's row and B's stored row instead.
    /// </summary>
    private const int GemmIntoTransposeMinRows = 8;

    /// <summary>
    /// P = A·op(B), A m×k (rows <paramref name="lda"/> apart), B k×n or, with <paramref name="transB"/>, n×k (rows
    /// <paramref name="ldb"/> apart), handed element by element to <paramref name="consumer"/> (row-major indices
    /// i · n + j) as soon as it is computed, and never stored: a product whose only reader is an elementwise loop costs
    /// that loop's pass alone, not a pass writing the product and one reading it back.
    /// </summary>
    /// <remarks>
    /// <para>Each element is the sum over p in order of a(i,p)·b(p,j), from zero: for <see cref="float"/> a chain of
    /// fused multiply-adds, for every other type (notably <see cref="double"/>) every product and every sum rounded
    /// separately, as <see cref="Gemm{T}(bool, bool, int, int, int, ReadOnlySpan{T}, int, ReadOnlySpan{T}, int, Span{T}, int, bool)"/>
    /// computes it, so that a double product into a buffer followed by the loop gives the same bits.</para>
    /// <para>Tiles of 2 rows × 4 vectors of columns, then 2 rows × 1 vector, then the last columns as the last lanes of
    /// the rows' last whole vectors (one by one where a row is narrower than a vector); a transposed B is first copied
    /// untransposed into a per-thread buffer (for fewer than 8 rows of A, each element is instead a dot product of A's
    /// row and B's stored row, four at a time). Row pairs split across
    /// <see cref="Parallelism.Threads"/> threads when the product is large enough; the consumer's calls for one
    /// element happen once, on one thread, whatever the split.</para>
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative or a leading dimension is smaller than its
    /// matrix's stored row.</exception>
    /// <exception cref="ArgumentException">A span is shorter than its matrix.</exception>
    public static unsafe void GemmInto<T, TConsumer>(bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, scoped ref TConsumer consumer)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TConsumer : IProductConsumer<T>, allows ref struct
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        GemmCore.ValidateMatrix(m, k, a.Length, lda, "A", nameof(a), nameof(lda));
        GemmCore.ValidateMatrix(transB ? n : k, transB ? k : n, b.Length, ldb, "B", nameof(b), nameof(ldb));
        if ((long)m * n > int.MaxValue)
        {
            throw new ArgumentException($"The {m}×{n} product has more elements than an int index reaches.", nameof(n));
        }

        if (m == 0 || n == 0)
        {
            return;
        }

        fixed (T* pa = a, pb = b)
        {
            if (transB && m < GemmIntoTransposeMinRows)
            {
                ProductRowPairs<T, TConsumer>.DotProducts(pa, lda, pb, ldb, m, n, k, ref consumer);
                return;
            }

            T* rows = pb;
            nint rowStride = ldb;
            if (transB && k > 0)
            {
                rows = GemmScratch<T>.TransposedB(k * n);
                TransposeBlocks(pb, ldb, rows, n, k);
                rowStride = n;
            }

            var pairs = new ProductRowPairs<T, TConsumer>
            {
                Consumer = Unsafe.AsPointer(ref consumer),
                A = pa,
                Lda = lda,
                B = rows,
                Ldb = rowStride,
                M = m,
                N = n,
                K = k,
            };
            ParallelLoop.Run(ref pairs, (m + 1) / 2, 2L * n * Math.Max(k, 1));
        }
    }
}

/// <summary>The row pairs of <see cref="Kernels.GemmInto{T, TConsumer}"/>, the items that threads compute.</summary>
internal unsafe ref struct ProductRowPairs<T, TConsumer> : IParallelLoop
    where T : unmanaged, IFloatingPointIeee754<T>
    where TConsumer : IProductConsumer<T>, allows ref struct
{
    public T* A;
    public nint Lda;
    public T* B;
    public nint Ldb;
    public int M;
    public int N;
    public int K;

    /// <summary>The caller's consumer, a local that it waits on while the pairs run.</summary>
    public void* Consumer;

    /// <inheritdoc/>
    public void Run(int start, int end)
    {
        // A copy of the consumer on this thread's stack: its fields stay in registers across the stores it makes.
        TConsumer local = Unsafe.AsRef<TConsumer>(Consumer);
        int width = Vector<T>.Count;
        for (int pair = start; pair < end; pair++)
        {
            int i = 2 * pair;
            bool two = i + 1 < M;
            T* a0 = A + (i * Lda);
            T* a1 = two ? a0 + Lda : a0;
            int row0 = i * N, row1 = two ? row0 + N : row0;
            int j = 0;
            for (; j <= N - (4 * width); j += 4 * width)
            {
                Vector<T> s00 = Vector<T>.Zero, s01 = Vector<T>.Zero, s02 = Vector<T>.Zero, s03 = Vector<T>.Zero;
                Vector<T> s10 = Vector<T>.Zero, s11 = Vector<T>.Zero, s12 = Vector<T>.Zero, s13 = Vector<T>.Zero;
                T* b = B + j;
                for (int p = 0; p < K; p++, b += Ldb)
                {
                    Vector<T> b0 = Unsafe.ReadUnaligned<Vector<T>>(b), b1 = Unsafe.ReadUnaligned<Vector<T>>(b + width);
                    Vector<T> b2 = Unsafe.ReadUnaligned<Vector<T>>(b + (2 * width)), b3 = Unsafe.ReadUnaligned<Vector<T>>(b + (3 * width));
                    var x = new Vector<T>(a0[p]);
                    s00 = MultiplyAdd(s00, x, b0);
                    s01 = MultiplyAdd(s01, x, b1);
                    s02 = MultiplyAdd(s02, x, b2);
                    s03 = MultiplyAdd(s03, x, b3);
                    x = new Vector<T>(a1[p]);
                    s10 = MultiplyAdd(s10, x, b0);
                    s11 = MultiplyAdd(s11, x, b1);
                    s12 = MultiplyAdd(s12, x, b2);
                    s13 = MultiplyAdd(s13, x, b3);
                }

                local.Take(row0 + j, s00);
                local.Take(row0 + j + width, s01);
                local.Take(row0 + j + (2 * width), s02);
                local.Take(row0 + j + (3 * width), s03);
                if (two)
                {
                    local.Take(row1 + j, s10);
                    local.Take(row1 + j + width, s11);
                    local.Take(row1 + j + (2 * width), s12);
                    local.Take(row1 + j + (3 * width), s13);
                }
            }

            for (; j <= N - width; j += width)
            {
                var (s0, s1) = OneVector(a0, a1, j);
                local.Take(row0 + j, s0);
                if (two)
                {
                    local.Take(row1 + j, s1);
                }
            }

            if (j < N && N >= width)
            {
                // The last columns as the lanes of the row's last whole vector, which ends at column N: its lanes
                // before column j repeat elements already taken, so only its last N − j lanes are handed on.
                int last = N - width;
                var (s0, s1) = OneVector(a0, a1, last);
                for (int lane = j - last; lane < width; lane++)
                {
                    local.Take(row0 + last + lane, s0[lane]);
                    if (two)
                    {
                        local.Take(row1 + last + lane, s1[lane]);
                    }
                }

                j = N;
            }

            for (; j < N; j++)
            {
                T s0 = T.Zero, s1 = T.Zero;
                T* b = B + j;
                for (int p = 0; p < K; p++, b += Ldb)
                {
                    s0 = GemmScalar<T>.MultiplyAdd(s0, a0[p], *b);
                    s1 = GemmScalar<T>.MultiplyAdd(s1, a1[p], *b);
                }

                local.Take(row0 + j, s0);
                if (two)
                {
                    local.Take(row1 + j, s1);
                }
            }
        }
    }

    /// <summary>
    /// The product with B stored transposed (n × k, rows <paramref name="ldb"/> apart) read in place, for a few rows of
    /// A: four elements of a row at a time, each the sum over p in order of a(i,p)·b(j,p), handed to the consumer one by
    /// one.
    /// </summary>
    public static void DotProducts(T* a, nint lda, T* b, nint ldb, int m, int n, int k, scoped ref TConsumer consumer)
    {
        for (int i = 0; i < m; i++)
        {
            T* row = a + (i * lda);
            int j = 0;
            for (; j <= n - 4; j += 4)
            {
                T* b0 = b + (j * ldb);
                T* b1 = b0 + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
                T s0 = T.Zero, s1 = T.Zero, s2 = T.Zero, s3 = T.Zero;
                for (int p = 0; p < k; p++)
                {
                    T x = row[p];
                    s0 = GemmScalar<T>.MultiplyAdd(s0, x, b0[p]);
                    s1 = GemmScalar<T>.MultiplyAdd(s1, x, b1[p]);
                    s2 = GemmScalar<T>.MultiplyAdd(s2, x, b2[p]);
                    s3 = GemmScalar<T>.MultiplyAdd(s3, x, b3[p]);
                }

                int index = (i * n) + j;
                consumer.Take(index, s0);
                consumer.Take(index + 1, s1);
                consumer.Take(index + 2, s2);
                consumer.Take(index + 3, s3);
            }

            for (; j < n; j++)
            {
                T* column = b + (j * ldb);
                T sum = T.Zero;
                for (int p = 0; p < k; p++)
                {
                    sum = GemmScalar<T>.MultiplyAdd(sum, row[p], column[p]);
                }

                consumer.Take((i * n) + j, sum);
            }
        }
    }

    /// <summary>The two rows' vector of columns from <paramref name="column"/>: each lane a chain of multiply-adds over the depth.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly (Vector<T> Row0, Vector<T> Row1) OneVector(T* a0, T* a1, int column)
    {
        Vector<T> s0 = Vector<T>.Zero, s1 = Vector<T>.Zero;
        T* b = B + column;
        for (int p = 0; p < K; p++, b += Ldb)
        {
            Vector<T> y = Unsafe.ReadUnaligned<Vector<T>>(b);
            s0 = MultiplyAdd(s0, new Vector<T>(a0[p]), y);
            s1 = MultiplyAdd(s1, new Vector<T>(a1[p]), y);
        }

        return (s0, s1);
    }

    /// <summary>sum + x·y: fused in single precision, else a rounded product then a rounded sum (the GEMM's contract, as
    /// <see cref="GemmScalar{T}.MultiplyAdd"/> computes one element).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> MultiplyAdd(Vector<T> sum, Vector<T> x, Vector<T> y) =>
        GemmNumerics.IsRelaxed<T>()
            ? Vector.As<float, T>(Vector.FusedMultiplyAdd(Vector.As<T, float>(x), Vector.As<T, float>(y), Vector.As<T, float>(sum)))
            : sum + (x * y);
}
