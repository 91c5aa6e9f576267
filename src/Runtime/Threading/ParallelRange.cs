namespace Graph.Runtime;

/// <summary>
/// Work over the items 0 … count − 1 of a range (samples, chunks of a buffer) where each item is computed on its own,
/// so that any split of the range gives the same result.
/// </summary>
internal interface IRangeWork
{
    /// <summary>Computes items <paramref name="start"/> … <paramref name="end"/> − 1.</summary>
    void Run(int start, int end);
}

/// <summary>
/// Splits a range of independent items into contiguous parts across <see cref="Parallelism.Threads"/> threads, when the
/// whole is worth it; the kernels over samples and buffers (im2col, pooling, activations) run through it.
/// </summary>
internal static unsafe class ParallelRange
{
    /// <summary>The least work (in the caller's cost units, about a nanosecond each) worth a part of its own.</summary>
    public const long MinimumPartCost = 16 * 1024;

    /// <summary>
    /// Runs items 0 … <paramref name="count"/> − 1 of <paramref name="work"/>: on the calling thread when their cost
    /// (<paramref name="count"/> · <paramref name="itemCost"/>) is under two parts' worth, else in one part per thread.
    /// </summary>
    public static void Run<TWork>(ref TWork work, int count, long itemCost)
        where TWork : unmanaged, IRangeWork
    {
        long parts = Math.Min(Math.Min(Parallelism.CurrentThreads, count), count * Math.Max(1, itemCost) / MinimumPartCost);
        if (parts <= 1)
        {
            work.Run(0, count);
            return;
        }

        fixed (TWork* pointer = &work)
        {
            var split = new Parts<TWork> { Work = pointer, Count = count, PartCount = (int)parts };
            WorkerPool.Run(ref split, (int)parts);
        }
    }

    /// <summary>The range cut into <see cref="PartCount"/> nearly equal contiguous parts.</summary>
    private struct Parts<TWork> : IParallelWork
        where TWork : unmanaged, IRangeWork
    {
        public TWork* Work;
        public int Count;
        public int PartCount;

        /// <inheritdoc/>
        public readonly void Run(int part) =>
            Work->Run((int)((long)Count * part / PartCount), (int)((long)Count * (part + 1) / PartCount));
    }
}
