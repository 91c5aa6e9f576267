using System.Numerics;

namespace Graph.Runtime;

/// <summary>
/// The depth-split GEMM kernel (<see cref="GemmKernel.SplitDepth"/>), built on the direct kernel: fixed chunks of the
/// depth, each chunk's product into its own partial C on any thread, and C from the partials added in chunk order (by
/// bands of rows across the threads, for a large C), so that the sums do not depend on the thread count.
/// </summary>
internal static partial class GemmCore
{
    /// <summary>The depth of one chunk of <see cref="GemmKernel.SplitDepth"/> over a depth of at least twice it: fixed,
    /// so that the sums do not depend on the thread count.</summary>
    private const int SplitDepthChunk = 2048;

    /// <summary>
    /// The smallest C whose partials are added on every thread, each a band of its rows, rather than on the calling
    /// thread alone: there one thread read every line of the partials the other cores wrote, and those cores then had
    /// to win the lines back to write the next call's partials. N3's x·W01 ([100×784]·[784×100], two halves) on two
    /// threads took 61.1-65.7 µs with the bands against 65.7-71.9 with the calling thread alone (the bench's
    /// <c>threads</c> command, the two builds in turn, an Intel Xeon).
    /// </summary>
    private const int ParallelPartialSums = 4096;

    /// <summary>
    /// <see cref="GemmKernel.SplitDepth"/>: the product of each chunk of the depth (<see cref="SplitDepthChunkStart"/>)
    /// into its own partial C (the chunks run on any thread), then C from the partials added in chunk order, with the
    /// epilogue (a band of rows per thread from <see cref="ParallelPartialSums"/> elements of C).
    /// </summary>
    private static unsafe void SplitDepth<T, TVec, TOps>(in GemmProblem<T> problem)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
    {
        int m = problem.M, n = problem.N;
        int chunks = SplitDepthChunks(problem.K);
        T* partials = GemmScratch<T>.Partials(chunks * m * n);

        // With more threads than chunks, each chunk's rows are cut into bands too (which changes no sum).
        int bands = Math.Clamp(Parallelism.CurrentThreads / chunks, 1, Math.Max(1, m / GemmBands.RowUnit));
        var work = new SplitDepthWork<T, TVec, TOps> { Problem = problem, Partials = partials, Bands = bands };
        WorkerPool.Run(ref work, chunks * bands);
        int rowParts = (long)m * n >= ParallelPartialSums ? Math.Min(Parallelism.CurrentThreads, Math.Max(1, m / GemmBands.RowUnit)) : 1;
        var sums = new PartialSumsWork<T, TVec, TOps> { Problem = problem, Partials = partials, Chunks = chunks, Parts = rowParts };
        WorkerPool.Run(ref sums, rowParts);
    }

    /// <summary>
    /// The number of chunks <see cref="GemmKernel.SplitDepth"/> cuts a depth of <paramref name="k"/> into: chunks of
    /// <see cref="SplitDepthChunk"/> when the depth holds two or more, else two halves (one chunk below two row units of
    /// <see cref="GemmBands.RowUnit"/>).
    /// </summary>
    internal static int SplitDepthChunks(int k) =>
        k >= 2 * SplitDepthChunk ? (k + SplitDepthChunk - 1) / SplitDepthChunk
        : k >= 2 * GemmBands.RowUnit ? 2
        : 1;

    /// <summary>
    /// Where chunk <paramref name="chunk"/> of a depth of <paramref name="k"/> starts (chunk = the count: k). The two
    /// halves of a shorter depth meet where two threads split the rows of a k-row C
    /// (<see cref="GemmBands.Start"/>): the product that updates a weight matrix W (C = W, row bands)
    /// and the product that reads it (B = W, depth halves) then keep each half of W on the thread that writes it.
    /// </summary>
    internal static int SplitDepthChunkStart(int k, int chunk)
    {
        int chunks = SplitDepthChunks(k);
        if (chunk >= chunks)
        {
            return k;
        }

        return k >= 2 * SplitDepthChunk
            ? chunk * SplitDepthChunk
            : GemmBands.Start(k / GemmBands.RowUnit, chunk, chunks) * GemmBands.RowUnit;
    }

    /// <summary>
    /// One row of C from the row's <paramref name="chunks"/> partials (<paramref name="stride"/> apart): the partials
    /// added in chunk order to C's value (accumulating) or to nothing, then stored or (SGD) applied; a vector of columns
    /// at a time, each lane summing as the scalar loop would.
    /// </summary>
    private static unsafe void AddPartials<T, TVec, TOps>(in GemmProblem<T> problem, T* partial, long stride, int chunks, T* c)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
    {
        int n = problem.N;
        bool accumulate = problem.Epilogue == GemmEpilogue.Accumulate;
        TVec rate = TOps.Broadcast(problem.Rate);
        TVec one = TOps.Broadcast(T.One);
        int j = 0;
        for (; j <= n - TOps.Count; j += TOps.Count)
        {
            // 1·p is exact, so each multiply-add is one rounded addition, as in the scalar loop below.
            TVec sum = accumulate ? TOps.MultiplyAdd(TOps.Load(c + j), one, TOps.Load(partial + j)) : TOps.Load(partial + j);
            for (int chunk = 1; chunk < chunks; chunk++)
            {
                sum = TOps.MultiplyAdd(sum, one, TOps.Load(partial + (chunk * stride) + j));
            }

            TOps.Store(c + j, problem.Epilogue == GemmEpilogue.SgdStep ? TOps.SgdStep(TOps.Load(c + j), rate, sum) : sum);
        }

        for (; j < n; j++)
        {
            T sum = accumulate ? c[j] + partial[j] : partial[j];
            for (int chunk = 1; chunk < chunks; chunk++)
            {
                sum += partial[(chunk * stride) + j];
            }

            c[j] = problem.Epilogue == GemmEpilogue.SgdStep ? SgdStepElement(c[j], problem.Rate, sum) : sum;
        }
    }

    /// <summary>One band of C's rows (of <see cref="Parts"/>) from the partials of <see cref="SplitDepth{T, TVec, TOps}"/>.</summary>
    private unsafe struct PartialSumsWork<T, TVec, TOps> : IParallelWork
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
    {
        public GemmProblem<T> Problem;
        public T* Partials;
        public int Chunks;
        public int Parts;

        /// <inheritdoc/>
        public readonly void Run(int part)
        {
            int m = Problem.M, n = Problem.N;
            (int first, int end) = GemmBands.Rows(m, part, Parts);
            for (int i = first; i < end; i++)
            {
                AddPartials<T, TVec, TOps>(Problem, Partials + (i * n), (long)m * n, Chunks, Problem.C + (i * Problem.Ldc));
            }
        }
    }

    /// <summary>
    /// One part of <see cref="SplitDepth{T, TVec, TOps}"/>: a band of rows (of <see cref="Bands"/>) of one chunk's
    /// product, into the chunk's partial C.
    /// </summary>
    private unsafe struct SplitDepthWork<T, TVec, TOps> : IParallelWork
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVec : struct
        where TOps : IGemmVector<T, TVec>
    {
        public GemmProblem<T> Problem;
        public T* Partials;
        public int Bands;

        /// <inheritdoc/>
        public readonly void Run(int part)
        {
            int index = part / Bands, band = part % Bands;
            int p0 = SplitDepthChunkStart(Problem.K, index);
            int m = Problem.M, n = Problem.N;
            GemmProblem<T> chunk = Problem.Depth(p0, SplitDepthChunkStart(Problem.K, index + 1) - p0)
                .WithC(Partials + (index * m * n), n, GemmEpilogue.Overwrite);
            (int first, int end) = GemmBands.Rows(m, band, Bands);
            Direct<T, TVec, TOps>(in chunk, new GemmRange(first, end, 0, n));
        }
    }
}
