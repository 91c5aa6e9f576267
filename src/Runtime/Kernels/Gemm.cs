using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

[assembly: InternalsVisibleTo("Graph.Tests")]
[assembly: InternalsVisibleTo("Graph.Bench")]

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

/// <summary>
/// The kernels a GEMM can run with. <see cref="Auto"/> picks one from the shape at run time
/// (<see cref="Kernels.ChooseGemmKernel{T}"/>); naming one fixes the choice, as generated code does when the shapes are
/// known at compile time. Every kernel computes the same result for double (the sequential sum); for float the
/// kernels differ only in the order of the sums (<see cref="SplitDepth"/>), so naming one is a matter of speed.
/// </summary>
public enum GemmKernel
{
    /// <summary>Chosen from the shape.</summary>
    Auto,

    /// <summary>
    /// Each row of C as a vector–matrix product op(A)[i,:]·op(B), reading B in place; the kernel for a single row
    /// (the batch-1 step), and the one that skips zero factors (blank pixels).
    /// </summary>
    RowByRow,

    /// <summary>Each column of C as a vector–matrix product op(B)[:,j]ᵀ·op(A)ᵀ, reading A in place; for a single column.</summary>
    ColumnByColumn,

    /// <summary>
    /// Cache-blocked, with blocks of A and B packed for a register-blocked micro-kernel (Goto and van de Geijn): for
    /// products too large for the caches.
    /// </summary>
    Packed,

    /// <summary>
    /// Register-blocked tiles (up to 8 rows × 3 vectors at 512 bits, 6 rows × 2 vectors at 256 and 128, or 12 rows × 1
    /// vector) that read A and B where they lie,
    /// without packing, and apply the SGD step straight from the registers in <see cref="Kernels.GemmSgdStep{T}"/>:
    /// for the networks' products, small-K ([80000×9]·[9×16]), skinny (a batch against 784×100) and the transposed
    /// ones of the backward pass. A transposed B is copied untransposed first. Where op(A) is mostly zeros (a batch of
    /// images), each tile skips the depth steps where all its rows' factors are zero.
    /// </summary>
    Direct,

    /// <summary>
    /// <see cref="Direct"/> over fixed chunks of the depth, whose partial products are added in chunk order: for a
    /// small C summed over a long depth (a convolution kernel's gradient, xᵀ·δ over a large batch), so that the depth
    /// splits across threads; and in two halves for a depth long against C's rows (a batch times a weight matrix), so
    /// that each thread reads only the half of B that the same thread writes when B is updated by row bands. The
    /// chunks depend on the depth alone. Single precision only; other types compute it as <see cref="Direct"/>, since
    /// their sums stay sequential.
    /// </summary>
    SplitDepth,
}

/// <summary>
/// Overrides of the GEMM's choices, for tests (to reach every width, kernel and block boundary on any machine)
/// and for tuning. The default value leaves every choice to <see cref="Kernels.Gemm{T}(bool, bool, int, int, int, ReadOnlySpan{T}, int, ReadOnlySpan{T}, int, Span{T}, int, bool)"/>.
/// </summary>
/// <param name="Width">The SIMD width.</param>
/// <param name="Kernel">The kernel.</param>
/// <param name="BlockK">The packed strategy's depth block kc (0: its default).</param>
/// <param name="BlockM">The packed strategy's row block mc (0: its default; rounded up to the micro-tile height).</param>
/// <param name="BlockN">The packed strategy's column block nc (0: its default; rounded up to the micro-tile width).</param>
/// <param name="Tiles">The direct kernel's register tiles (<see cref="GemmDirectTiles.Auto"/>: the plan for the width).</param>
/// <param name="Tail">How the direct kernel computes the last n mod W columns (<see cref="GemmDirectTail.Auto"/>: by the
/// shape).</param>
/// <param name="Zeros">Whether the direct kernel skips op(A)'s zeros (<see cref="GemmZeros.Auto"/>: where they are most
/// of it).</param>
/// <param name="Prefetch">Whether the direct kernel's first tile of a strip prefetches B ahead of its steps
/// (<see cref="GemmPrefetch.Auto"/>: where the depth is longer than the distance).</param>
internal readonly record struct GemmOptions(
    GemmWidth Width = GemmWidth.Auto,
    GemmKernel Kernel = GemmKernel.Auto,
    int BlockK = 0,
    int BlockM = 0,
    int BlockN = 0,
    GemmDirectTiles Tiles = GemmDirectTiles.Auto,
    GemmDirectTail Tail = GemmDirectTail.Auto,
    GemmZeros Zeros = GemmZeros.Auto,
    GemmPrefetch Prefetch = GemmPrefetch.Auto);

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
    /// <para>A zero factor of A may be skipped (the kernels for a single row, and the direct tiles where A is mostly
    /// zeros): its product adds nothing to a sum, but for the sign of a zero sum and the NaN that a zero times an
    /// infinite element of B gives.</para>
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
    /// with the kernel named by the caller instead of chosen from the shape (<see cref="GemmKernel.Auto"/> chooses).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The kernel is not a <see cref="GemmKernel"/>, a size is negative
    /// or a leading dimension is too small.</exception>
    /// <exception cref="ArgumentException">A span is shorter than its matrix, or C overlaps A or B.</exception>
    public static void Gemm<T>(GemmKernel kernel, bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        GemmCore.CheckKernel(kernel);
        Gemm(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, new GemmOptions(Kernel: kernel));
    }

    /// <summary>
    /// The kernel <see cref="GemmKernel.Auto"/> runs for a product of this shape on this machine (its vector width, and
    /// whether it halves 512-bit multiply-adds): the choice that generated code can instead make at compile time where
    /// it does not depend on the machine.
    /// </summary>
    public static GemmKernel ChooseGemmKernel<T>(bool transA, bool transB, int m, int n, int k)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        GemmCore.ChooseKernel<T>(transA, transB, m, n, k, GemmCore.VectorCount<T>(GemmWidth.Auto), GemmCore.HalvesWideMultiplyAdds);

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
            var problem = new GemmProblem<T>(transA, transB, m, n, k, pa, lda, pb, ldb, b.Length, pc, ldc,
                accumulate ? GemmEpilogue.Accumulate : GemmEpilogue.Overwrite, T.Zero, options);
            GemmCore.Run(in problem);
        }
    }
}

/// <summary>The implementation of <see cref="Kernels.Gemm{T}(bool, bool, int, int, int, ReadOnlySpan{T}, int, ReadOnlySpan{T}, int, Span{T}, int, bool)"/>.</summary>
/// <remarks>
/// The kernels (<see cref="GemmKernel"/>) are generic over an <see cref="IGemmVector{T, TVec}"/>, compiled once per
/// SIMD width. A product large enough to pay for it is split across <see cref="Parallelism.Threads"/> threads by
/// rows or by columns of C (<see cref="GemmParts{T, TVec, TOps}"/>): every element of C is computed by the same
/// kernel in the same order whatever the split, so the thread count never changes a result.
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
    internal static int ValidateMatrix(int rows, int columns, int length, int leadingDimension,
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

    /// <summary>Checks that <paramref name="kernel"/> is one of <see cref="GemmKernel"/>'s values.</summary>
    public static void CheckKernel(GemmKernel kernel)
    {
        if (kernel is < GemmKernel.Auto or > GemmKernel.SplitDepth)
        {
            throw new ArgumentOutOfRangeException(nameof(kernel), kernel, "Not a GemmKernel.");
        }
    }

    /// <summary>The number of elements in a vector at the width <paramref name="requested"/> resolves to.</summary>
    public static int VectorCount<T>(GemmWidth requested) => ResolveWidth<T>(requested) switch
    {
        GemmWidth.Vector512 => Vector512<T>.Count,
        GemmWidth.Vector256 => Vector256<T>.Count,
        GemmWidth.Vector128 => Vector128<T>.Count,
        _ => 1,
    };

    /// <summary>The width to run at: the requested one, or for <see cref="GemmWidth.Auto"/> the widest the hardware
    /// accelerates; <see cref="GemmWidth.Scalar"/> for element types without hardware vectors.</summary>
    internal static GemmWidth ResolveWidth<T>(GemmWidth requested)
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

    /// <summary>
    /// Runs a GEMM at one width: the kernel chosen from the shape unless the options fix it, on as many threads as
    /// the size pays for.
    /// </summary>
    private static unsafe void RunAt<T, TVec, TOps>(in GemmProblem<T> problem)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
    {
        GemmKernel kernel = problem.Options.Kernel;
        if (kernel == GemmKernel.Auto)
        {
            kernel = ChooseKernel<T>(problem.TransA, problem.TransB, problem.M, problem.N, problem.K, TOps.Count, HalvesWideMultiplyAdds);
        }

        if (kernel == GemmKernel.SplitDepth && !GemmNumerics.IsRelaxed<T>())
        {
            kernel = GemmKernel.Direct;
        }

        GemmProblem<T> run = problem;
        bool transposeInParts = kernel == GemmKernel.Direct && problem.TransB;
        if (transposeInParts)
        {
            // The tiles read op(B) by rows: the parts copy it so (GemmParts: each its own columns where C is split by
            // columns, else the whole before the split).
            run = problem.WithB(GemmScratch<T>.TransposedB(problem.K * problem.N), problem.N, (long)problem.K * problem.N);
        }
        else if (kernel == GemmKernel.SplitDepth && problem.TransB)
        {
            // Every chunk of the depth reads every column: copy op(B) by rows once, before the split.
            run = problem.WithB(TransposeB(in problem), problem.N, (long)problem.K * problem.N);
        }

        if ((kernel is GemmKernel.Direct or GemmKernel.SplitDepth) && run.Options.Zeros == GemmZeros.Auto)
        {
            // Decided once for the whole product, before any split, so that every thread count computes the same sums.
            run = run.WithOptions(run.Options with
            {
                Zeros = !ZeroSkippingPays(in run, TOps.Count) ? GemmZeros.Dense
                    : NarrowRowsPay<T>(run.TransA, run.Epilogue == GemmEpilogue.SgdStep, run.M, run.N, run.K, TOps.Count) ? GemmZeros.SkipBlocks
                    : GemmZeros.Skip,
            });
        }

        if (kernel == GemmKernel.SplitDepth)
        {
            SplitDepth<T, TVec, TOps>(in run);
        }
        else if (run.Epilogue == GemmEpilogue.SgdStep && kernel != GemmKernel.Direct)
        {
            // Only the direct tiles apply the step themselves: the others compute the product, then it is applied.
            T* product = GemmScratch<T>.Product(run.M * run.N);
            GemmParts<T, TVec, TOps>.Run(run.WithC(product, run.N, GemmEpilogue.Overwrite), kernel);
            for (int i = 0; i < run.M; i++)
            {
                Kernels.SgdStep(new Span<T>(run.C + (i * run.Ldc), run.N), new ReadOnlySpan<T>(product + (i * run.N), run.N), run.Rate);
            }
        }
        else if (transposeInParts)
        {
            GemmParts<T, TVec, TOps>.Run(in run, kernel, problem.B, problem.Ldb);
        }
        else
        {
            GemmParts<T, TVec, TOps>.Run(in run, kernel);
        }
    }

    /// <summary>Runs one kernel on the whole of a problem, or on the rows or columns one part of a split covers.</summary>
    internal static void RunKernel<T, TVec, TOps>(in GemmProblem<T> problem, GemmKernel kernel, GemmRange range)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
    {
        switch (kernel)
        {
            case GemmKernel.Direct:
                Direct<T, TVec, TOps>(in problem, range);
                break;
            case GemmKernel.RowByRow:
                RowByRow<T, TVec, TOps>(problem.Restrict(range));
                break;
            case GemmKernel.ColumnByColumn:
                ColumnByColumn<T, TVec, TOps>(problem.Restrict(range));
                break;
            default:
                Packed<T, TVec, TOps>(problem.Restrict(range));
                break;
        }
    }

    /// <summary>
    /// Picks the kernel for a shape, from measurements. A single row or column is a vector–matrix product
    /// (<see cref="GemmKernel.RowByRow"/>, which also skips blank pixels, or <see cref="GemmKernel.ColumnByColumn"/>).
    /// A small C over a long depth (in single precision) splits the depth. Products too large for the caches go to
    /// the packed kernel; everything else, the networks' products, to the direct tiles, except (in single precision)
    /// a depth of at least 256 and four times C's rows into a C at most twice as wide as tall and at least a vector
    /// wide, which is split in two halves (a batch times a weight matrix: threads would split such a C by rows, each
    /// reading all of the weights; with the halves each reads the half that its row band of the weights' update
    /// writes). A C narrower than a vector is all last columns, which the direct tiles compute as dot products along a
    /// long depth (<see cref="GemmCore.ChooseTail{T}"/>): split in halves, each half would copy its columns and
    /// reduce its own sums (the CNN's [128×10000]·[10000×10]: 476-489 µs in halves, 373-390 µs direct, one thread;
    /// 288-295 and 236-256 µs on two). On a core that halves
    /// 512-bit multiply-adds (<paramref name="halvedWide"/>, <see cref="HalvesWideMultiplyAdds"/>), large products
    /// whose B fits the caches take the direct tiles too (<see cref="DirectBeatsPacked"/>); packed or direct, every
    /// element is the same sum.
    /// </summary>
    public static unsafe GemmKernel ChooseKernel<T>(bool transA, bool transB, int m, int n, int k, int vectorCount, bool halvedWide)
        where T : unmanaged
    {
        if (m == 1)
        {
            return GemmKernel.RowByRow;
        }

        if (n == 1)
        {
            return GemmKernel.ColumnByColumn;
        }

        if (vectorCount == 1)
        {
            // No vectors (Half and other types without hardware vectors): the tiles would be scalar anyway.
            return GemmKernel.Packed;
        }

        if (GemmNumerics.IsRelaxed<T>() && (long)m * n <= SplitDepthMaxOutput && k >= 2 * SplitDepthChunk)
        {
            return GemmKernel.SplitDepth;
        }

        if (Math.Min(m, Math.Min(n, k)) >= PackedMinSize && !DirectBeatsPacked(halvedWide, vectorCount * sizeof(T), transA, n, k))
        {
            return GemmKernel.Packed;
        }

        return GemmNumerics.IsRelaxed<T>() && k >= HalvesMinDepth && k >= (long)HalvesDepthPerRow * m && n <= (long)HalvesWidthPerRow * m
            && n >= vectorCount
            ? GemmKernel.SplitDepth
            : GemmKernel.Direct;
    }

    /// <summary>
    /// Copies op(B) = Bᵀ (B stored n×k) into a per-thread buffer as a k×n row-major matrix, block by block
    /// (<see cref="Kernels.TransposeBlocks{T}"/>).
    /// </summary>
    private static unsafe T* TransposeB<T>(in GemmProblem<T> problem)
        where T : unmanaged
    {
        T* target = GemmScratch<T>.TransposedB(problem.K * problem.N);
        Kernels.TransposeBlocks(problem.B, problem.Ldb, target, problem.N, problem.K);
        return target;
    }
}

/// <summary>What a GEMM does with each element of the product.</summary>
internal enum GemmEpilogue
{
    /// <summary>C = product.</summary>
    Overwrite,

    /// <summary>C = C + product (the sum starts from C).</summary>
    Accumulate,

    /// <summary>C = C − rate · product (<see cref="Kernels.GemmSgdStep{T}"/>), a rounded multiply then a rounded subtract.</summary>
    SgdStep,
}

/// <summary>The rows [RowStart, RowEnd) and columns [ColumnStart, ColumnEnd) of C that one part of a split computes.</summary>
internal readonly record struct GemmRange(int RowStart, int RowEnd, int ColumnStart, int ColumnEnd)
{
    /// <summary>The whole of an m×n C.</summary>
    public static GemmRange All(int m, int n) => new(0, m, 0, n);
}

/// <summary>A validated, non-empty GEMM (m, n, k ≥ 1) on pinned storage, passed down to the kernels.</summary>
/// <typeparam name="T">The element type.</typeparam>
internal readonly unsafe struct GemmProblem<T>(bool transA, bool transB, int m, int n, int k,
    T* a, nint lda, T* b, nint ldb, long bLength, T* c, nint ldc, GemmEpilogue epilogue, T rate, GemmOptions options)
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

    /// <summary>The elements that may be read from <see cref="B"/> on (a whole vector may be read past a row's end
    /// when it stays within them).</summary>
    public readonly long BLength = bLength;

    /// <summary>C's first element.</summary>
    public readonly T* C = c;

    /// <summary>C's leading dimension.</summary>
    public readonly nint Ldc = ldc;

    /// <summary>What is done with the product.</summary>
    public readonly GemmEpilogue Epilogue = epilogue;

    /// <summary>The learning rate of <see cref="GemmEpilogue.SgdStep"/>.</summary>
    public readonly T Rate = rate;

    /// <summary>The caller's overrides.</summary>
    public readonly GemmOptions Options = options;

    /// <summary>Whether the product is added to C.</summary>
    public bool Accumulate => Epilogue == GemmEpilogue.Accumulate;

    /// <summary>The same problem with op(B) stored untransposed at <paramref name="b"/>.</summary>
    public GemmProblem<T> WithB(T* b, nint ldb, long bLength) =>
        new(TransA, false, M, N, K, A, Lda, b, ldb, bLength, C, Ldc, Epilogue, Rate, Options);

    /// <summary>The same problem with other overrides.</summary>
    public GemmProblem<T> WithOptions(GemmOptions options) =>
        new(TransA, TransB, M, N, K, A, Lda, B, Ldb, BLength, C, Ldc, Epilogue, Rate, options);

    /// <summary>The same problem with C (and its epilogue) replaced.</summary>
    public GemmProblem<T> WithC(T* c, nint ldc, GemmEpilogue epilogue) =>
        new(TransA, TransB, M, N, K, A, Lda, B, Ldb, BLength, c, ldc, epilogue, Rate, Options);

    /// <summary>The same product over depth p0 … p0 + depth − 1 only.</summary>
    public GemmProblem<T> Depth(int p0, int depth) =>
        new(TransA, TransB, M, N, depth, TransA ? A + (p0 * Lda) : A + p0, Lda, B + (p0 * Ldb), Ldb, BLength - (p0 * Ldb),
            C, Ldc, Epilogue, Rate, Options);

    /// <summary>The sub-problem of the rows and columns of C in <paramref name="range"/>.</summary>
    public GemmProblem<T> Restrict(GemmRange range)
    {
        int i = range.RowStart, j = range.ColumnStart;
        T* a = TransA ? A + i : A + (i * Lda);
        nint bOffset = TransB ? j * Ldb : j;
        return new(TransA, TransB, range.RowEnd - i, range.ColumnEnd - j, K, a, Lda, B + bOffset, Ldb, BLength - bOffset,
            C + (i * Ldc) + j, Ldc, Epilogue, Rate, Options);
    }
}
