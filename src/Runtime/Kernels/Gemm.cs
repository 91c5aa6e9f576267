using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

[assembly: InternalsVisibleTo("Graph.Tests")]

namespace Graph.Runtime;

/// <summary>The SIMD width a GEMM runs at (<see cref="Auto"/>: the widest the hardware accelerates).</summary>
internal enum GemmWidth
{
    /// <summary>The widest width the hardware accelerates for the element type.</summary>
    Auto,

    /// <summary>One element at a time.</summary>
    Scalar,

    /// <summary><see cref="Vector128{T}"/>.</summary>
    Vector128,

    /// <summary><see cref="Vector256{T}"/>.</summary>
    Vector256,

    /// <summary><see cref="Vector512{T}"/>.</summary>
    Vector512,
}

/// <summary>How a GEMM is computed (<see cref="Auto"/>: chosen from the shape).</summary>
internal enum GemmStrategy
{
    /// <summary>Chosen from the shape.</summary>
    Auto,

    /// <summary>Each row of C as a vector–matrix product op(A)[i,:]·op(B), without packing.</summary>
    RowByRow,

    /// <summary>Each column of C as a vector–matrix product op(B)[:,j]ᵀ·op(A)ᵀ, without packing.</summary>
    ColumnByColumn,

    /// <summary>Cache-blocked, with A and B packed for the register-blocked micro-kernel.</summary>
    Packed,
}

/// <summary>
/// Overrides of the GEMM's choices, for tests (to reach every width, strategy and block boundary on any machine)
/// and for tuning. The default value leaves every choice to <see cref="Kernels.Gemm{T}(bool, bool, int, int, int, ReadOnlySpan{T}, int, ReadOnlySpan{T}, int, Span{T}, int, bool)"/>.
/// </summary>
/// <param name="Width">The SIMD width.</param>
/// <param name="Strategy">The strategy.</param>
/// <param name="BlockK">The packed strategy's depth block kc (0: its default).</param>
/// <param name="BlockM">The packed strategy's row block mc (0: its default; rounded up to the micro-tile height).</param>
/// <param name="BlockN">The packed strategy's column block nc (0: its default; rounded up to the micro-tile width).</param>
internal readonly record struct GemmOptions(
    GemmWidth Width = GemmWidth.Auto,
    GemmStrategy Strategy = GemmStrategy.Auto,
    int BlockK = 0,
    int BlockM = 0,
    int BlockN = 0);

/// <summary>The runtime kernels that generated training code calls.</summary>
public static partial class Kernels
{
    /// <summary>
    /// C = op(A)·op(B) (accumulate: C += op(A)·op(B)); op(X) = X or Xᵀ. Row-major storage:
    /// A is m×k (transA: k×m) with leading dimension lda; B is k×n (transB: n×k) with ldb; C is m×n with ldc.
    /// </summary>
    /// <remarks>
    /// <para>Only the described elements are read or written: the elements of C's rows beyond column n (up to ldc) are
    /// left untouched, and without <paramref name="accumulate"/> C is never read, so it may hold anything.</para>
    /// <para>Numerics. <see cref="float"/> is computed for speed: fused multiply-adds, in whatever order the blocking
    /// gives. Every other type (notably <see cref="double"/>) gives each element of C exactly the sequential sum
    /// s = (accumulate ? c : 0); s = s + a(i,p)·b(p,j) for p = 0…k−1, each product and each sum rounded separately,
    /// so results match a plain loop (and numpy) bit for bit.</para>
    /// </remarks>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="transA">Whether A is stored transposed (k×m).</param>
    /// <param name="transB">Whether B is stored transposed (n×k).</param>
    /// <param name="m">The number of rows of op(A) and C.</param>
    /// <param name="n">The number of columns of op(B) and C.</param>
    /// <param name="k">The number of columns of op(A) and rows of op(B).</param>
    /// <param name="a">A's elements.</param>
    /// <param name="lda">The distance between the starts of A's stored rows.</param>
    /// <param name="b">B's elements.</param>
    /// <param name="ldb">The distance between the starts of B's stored rows.</param>
    /// <param name="c">C's elements; must not overlap A's or B's.</param>
    /// <param name="ldc">The distance between the starts of C's rows.</param>
    /// <param name="accumulate">Whether to add the product to C rather than overwrite C.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is negative or a leading dimension is smaller than its
    /// matrix's stored row.</exception>
    /// <exception cref="ArgumentException">A span is shorter than its matrix, or C overlaps A or B.</exception>
    public static void Gemm<T>(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Gemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, default);

    /// <summary>
    /// <see cref="Gemm{T}(bool, bool, int, int, int, ReadOnlySpan{T}, int, ReadOnlySpan{T}, int, Span{T}, int, bool)"/>
    /// with the width, strategy and block sizes overridden by <paramref name="options"/>.
    /// </summary>
    internal static unsafe void Gemm<T>(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate,
        GemmOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        GemmCore.Validate(transA, transB, m, n, k, a, lda, b, ldb, c, ldc);
        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0)
        {
            // An empty sum: C keeps its values or becomes zero.
            if (!accumulate)
            {
                for (int i = 0; i < m; i++)
                {
                    c.Slice(i * ldc, n).Clear();
                }
            }

            return;
        }

        fixed (T* pa = a, pb = b, pc = c)
        {
            var problem = new GemmProblem<T>(transA, transB, m, n, k, pa, lda, pb, ldb, pc, ldc, accumulate, options);
            GemmCore.Run(in problem);
        }
    }
}

/// <summary>The implementation of <see cref="Kernels.Gemm{T}(bool, bool, int, int, int, ReadOnlySpan{T}, int, ReadOnlySpan{T}, int, Span{T}, int, bool)"/>.</summary>
/// <remarks>
/// Three strategies share the work (<see cref="GemmStrategy"/>): vector–matrix products along the rows or the
/// columns of C when it has few rows or few columns, and the cache-blocked, packed micro-kernel for everything else. Each is generic over an <see cref="IGemmVector{T, TVec}"/>, compiled once per
/// SIMD width.
/// </remarks>
internal static partial class GemmCore
{
    /// <summary>Runs a validated, non-empty GEMM at the width the options ask for, or the best one.</summary>
    public static void Run<T>(in GemmProblem<T> problem)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (ResolveWidth<T>(problem.Options.Width))
        {
            case GemmWidth.Vector512:
                RunAt<T, Vector512<T>, GemmVector512<T>>(in problem);
                break;
            case GemmWidth.Vector256:
                RunAt<T, Vector256<T>, GemmVector256<T>>(in problem);
                break;
            case GemmWidth.Vector128:
                RunAt<T, Vector128<T>, GemmVector128<T>>(in problem);
                break;
            default:
                RunAt<T, T, GemmScalar<T>>(in problem);
                break;
        }
    }

    /// <summary>Checks the sizes, leading dimensions and span lengths of a GEMM's arguments.</summary>
    public static void Validate<T>(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        int needA = ValidateMatrix(transA ? k : m, transA ? m : k, a.Length, lda, "A", nameof(a), nameof(lda));
        int needB = ValidateMatrix(transB ? n : k, transB ? k : n, b.Length, ldb, "B", nameof(b), nameof(ldb));
        int needC = ValidateMatrix(m, n, c.Length, ldc, "C", nameof(c), nameof(ldc));
        Span<T> usedC = c[..needC];
        if (usedC.Overlaps(a[..needA]))
        {
            throw new ArgumentException("C must not overlap A.", nameof(c));
        }

        if (usedC.Overlaps(b[..needB]))
        {
            throw new ArgumentException("C must not overlap B.", nameof(c));
        }
    }

    /// <summary>Checks one stored rows×columns matrix and returns the number of elements it spans.</summary>
    private static int ValidateMatrix(int rows, int columns, int length, int leadingDimension,
        string matrix, string spanName, string leadingDimensionName)
    {
        if (leadingDimension < columns)
        {
            throw new ArgumentOutOfRangeException(leadingDimensionName, leadingDimension,
                $"{leadingDimensionName} must be at least {columns}, the length of a stored row of the {rows}×{columns} matrix {matrix}.");
        }

        long needed = rows == 0 || columns == 0 ? 0 : ((long)(rows - 1) * leadingDimension) + columns;
        if (length < needed)
        {
            throw new ArgumentException(
                $"{spanName} holds {length} elements, but the stored {rows}×{columns} matrix {matrix} with {leadingDimensionName} = {leadingDimension} needs at least {needed}.",
                spanName);
        }

        return (int)needed;
    }

    /// <summary>The width to run at: the requested one, or for <see cref="GemmWidth.Auto"/> the widest the hardware
    /// accelerates; <see cref="GemmWidth.Scalar"/> for element types without hardware vectors.</summary>
    private static GemmWidth ResolveWidth<T>(GemmWidth requested)
    {
        if (!Vector128<T>.IsSupported)
        {
            return GemmWidth.Scalar;
        }

        if (requested != GemmWidth.Auto)
        {
            return requested;
        }

        return Vector512.IsHardwareAccelerated ? GemmWidth.Vector512
            : Vector256.IsHardwareAccelerated ? GemmWidth.Vector256
            : Vector128.IsHardwareAccelerated ? GemmWidth.Vector128
            : GemmWidth.Scalar;
    }

    /// <summary>Runs a GEMM at one width, with the strategy chosen from the shape unless the options fix it.</summary>
    private static void RunAt<T, TVec, TOps>(in GemmProblem<T> problem)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
    {
        GemmStrategy strategy = problem.Options.Strategy;
        if (strategy == GemmStrategy.Auto)
        {
            strategy = ChooseStrategy(in problem, TOps.Count);
        }

        switch (strategy)
        {
            case GemmStrategy.RowByRow:
                RowByRow<T, TVec, TOps>(in problem);
                break;
            case GemmStrategy.ColumnByColumn:
                ColumnByColumn<T, TVec, TOps>(in problem);
                break;
            default:
                Packed<T, TVec, TOps>(in problem);
                break;
        }
    }

    /// <summary>
    /// Picks the strategy for a shape, from measurements. The packed micro-kernel works on MR×NR tiles, so it wastes
    /// most of its work when C has only a few rows (fewer than 1.5·MR) or columns (fewer than ¾·NR); those shapes,
    /// like m = 1 (the batch-1 step) and n = 1, are vector–matrix products that read the matrix in place.
    /// </summary>
    /// <remarks>
    /// Along the rows, op(B) is the matrix: rows of B scaled and added when B is stored plainly, dot products with
    /// B's stored rows when transposed. Along the columns, op(A)ᵀ is: rows of A added when A is stored transposed,
    /// dot products with A's rows otherwise. For narrow C the rows are the better choice only when B is transposed
    /// (its few stored rows stay in L1 while A streams once). Element types whose sums must stay sequential have
    /// no vectorised dot products, so they keep the packed kernel for those, except when m or n is 1.
    /// </remarks>
    private static GemmStrategy ChooseStrategy<T>(in GemmProblem<T> problem, int vectorCount)
        where T : unmanaged
    {
        if (problem.M == 1)
        {
            return GemmStrategy.RowByRow;
        }

        if (problem.N == 1)
        {
            return GemmStrategy.ColumnByColumn;
        }

        GemmStrategy strategy;
        bool dotProducts;
        if (problem.M < 3 * MicroRows / 2)
        {
            strategy = GemmStrategy.RowByRow;
            dotProducts = problem.TransB;
        }
        else if (problem.N < 3 * vectorCount / 2)
        {
            strategy = problem.TransB ? GemmStrategy.RowByRow : GemmStrategy.ColumnByColumn;
            dotProducts = problem.TransB || !problem.TransA;
        }
        else
        {
            return GemmStrategy.Packed;
        }

        return dotProducts && !GemmNumerics.IsRelaxed<T>() ? GemmStrategy.Packed : strategy;
    }
}

/// <summary>A validated, non-empty GEMM (m, n, k ≥ 1) on pinned storage, passed down to the strategies.</summary>
/// <typeparam name="T">The element type.</typeparam>
internal readonly unsafe struct GemmProblem<T>(bool transA, bool transB, int m, int n, int k,
    T* a, nint lda, T* b, nint ldb, T* c, nint ldc, bool accumulate, GemmOptions options)
    where T : unmanaged
{
    /// <summary>Whether A is stored transposed.</summary>
    public readonly bool TransA = transA;

    /// <summary>Whether B is stored transposed.</summary>
    public readonly bool TransB = transB;

    /// <summary>Rows of op(A) and C.</summary>
    public readonly int M = m;

    /// <summary>Columns of op(B) and C.</summary>
    public readonly int N = n;

    /// <summary>Columns of op(A), rows of op(B).</summary>
    public readonly int K = k;

    /// <summary>A's first element.</summary>
    public readonly T* A = a;

    /// <summary>A's leading dimension.</summary>
    public readonly nint Lda = lda;

    /// <summary>B's first element.</summary>
    public readonly T* B = b;

    /// <summary>B's leading dimension.</summary>
    public readonly nint Ldb = ldb;

    /// <summary>C's first element.</summary>
    public readonly T* C = c;

    /// <summary>C's leading dimension.</summary>
    public readonly nint Ldc = ldc;

    /// <summary>Whether the product is added to C.</summary>
    public readonly bool Accumulate = accumulate;

    /// <summary>The caller's overrides.</summary>
    public readonly GemmOptions Options = options;
}
