using System.Runtime.CompilerServices;

namespace Graph.Runtime;

/// <summary>
/// A loop of generated code over items 0 … count − 1 (rows of its outer loop, or fixed chunks of a flat one), each
/// computed on its own, so that any split of the range gives the same result. Generated code declares one
/// <c>ref struct</c> per such loop, holding what the loop reads and writes.
/// </summary>
public interface IParallelLoop
{
    /// <summary>Computes items <paramref name="start"/> … <paramref name="end"/> − 1.</summary>
    void Run(int start, int end);
}

/// <summary>
/// Runs the generated loops (<see cref="IParallelLoop"/>) across <see cref="Parallelism.Threads"/> threads when they
/// are large enough to pay for it, without allocating: the loop stays on the caller's stack and the workers reach it
/// through a pointer.
/// </summary>
public static unsafe class ParallelLoop
{
    /// <summary>
    /// Runs items 0 … <paramref name="count"/> − 1 of <paramref name="loop"/>: on the calling thread when their cost
    /// (<paramref name="count"/> · <paramref name="itemCost"/>, in elements) is under two parts' worth
    /// (<see cref="ParallelRange.MinimumPartCost"/> each), else in contiguous parts, one per thread.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public static void Run<TLoop>(scoped ref TLoop loop, int count, long itemCost)
        where TLoop : IParallelLoop, allows ref struct
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        long parts = Math.Min(Math.Min(Parallelism.CurrentThreads, count), count * Math.Max(1, itemCost) / ParallelRange.MinimumPartCost);
        if (parts <= 1)
        {
            loop.Run(0, count);
            return;
        }

        // The loop is a local of the caller, which waits here until every part has finished: its address is stable.
        var split = new Parts<TLoop> { Loop = Unsafe.AsPointer(ref loop), Count = count, PartCount = (int)parts };
        WorkerPool.Run(ref split, (int)parts);
    }

    /// <summary>The range cut into <see cref="PartCount"/> nearly equal contiguous parts.</summary>
    private struct Parts<TLoop> : IParallelWork
        where TLoop : IParallelLoop, allows ref struct
    {
        public void* Loop;
        public int Count;
        public int PartCount;

        /// <inheritdoc/>
        public readonly void Run(int part) =>
            Unsafe.AsRef<TLoop>(Loop).Run((int)((long)Count * part / PartCount), (int)((long)Count * (part + 1) / PartCount));
    }
}
