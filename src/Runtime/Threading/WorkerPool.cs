using System.Runtime.ExceptionServices;

namespace Graph.Runtime;

/// <summary>
/// The runtime's worker threads: a fixed set, started on first use and kept (background threads), that run the parts
/// of one <see cref="IParallelWork"/> at a time beside the calling thread.
/// </summary>
/// <remarks>
/// <para>A call allocates nothing: the work is a struct on the caller's stack, reached by the workers through a pointer
/// and a function pointer to the generic method that runs one of its parts; the pool's fields are the only shared
/// state.</para>
/// <para>The parts are cut into one contiguous block per thread, and a thread runs its own block first: the caller
/// parts 0 … p/t − 1, worker 1 the next block, and so on, the same way on every call. Kernels that follow each other
/// split their data the same way (the rows of an output, the chunks of a buffer), so each thread mostly reads what it
/// wrote itself, in its own core's cache, rather than lines the other core holds (on the machines this project is
/// measured on, a cache line's round trip between the two cores takes 0.1 to 0.5 µs, depending on where the host
/// places them). A thread that finishes its block takes parts from the
/// blocks of the others, so the caller runs every part no worker has started (a worker that is slow to wake costs
/// nothing) and then waits only for parts already running.</para>
/// <para>Between calls a worker spins for a short while, since kernels tend to follow each other closely, and then
/// sleeps until the next call. A call made while the pool is busy (from a worker, or from a second thread) runs its
/// parts on its own thread, which gives the same result.</para>
/// </remarks>
internal sealed unsafe class WorkerPool
{
    /// <summary>
    /// How many times an idle worker polls for new work, with a short pause between polls, before it sleeps: about a
    /// millisecond, longer than the gaps between the kernels of a training step, short enough not to hold a core that
    /// other work could use.
    /// </summary>
    private const int SpinPolls = 6_000;

    /// <summary>The distance between two threads' blocks in <see cref="_blocks"/>: a cache line, so claims on different
    /// blocks do not contend.</summary>
    private const int BlockStride = 8;

    private static readonly WorkerPool Shared = new();

    /// <summary>Guards <see cref="_workers"/> growth and the sleepers' wake-up.</summary>
    private readonly object _gate = new();

    private readonly List<Thread> _workers = [];

    /// <summary>1 while a call is using the pool.</summary>
    private int _busy;

    /// <summary>Bumped once per call: a worker that sees it change has a call to join.</summary>
    private int _generation;

    /// <summary>How many workers are asleep (or about to be) and need a pulse to see a new call.</summary>
    private int _sleepers;

    /// <summary>The workers allowed to join the current call (workers 0 … helpers − 1); the call has helpers + 1 blocks.</summary>
    private int _helpers;

    private delegate*<void*, int, void> _body;

    private void* _work;

    /// <summary>
    /// Each thread's block of parts, <see cref="BlockStride"/> longs apart (one cache line each): the high 32 bits hold
    /// the block's end, the low 32 bits its next unclaimed part. Claiming is one atomic increment of the whole, so a
    /// claim and the end it is checked against always belong to the same call; between calls every block is 0 (empty).
    /// </summary>
    private readonly long[] _blocks = new long[Parallelism.MaxThreads * BlockStride];

    /// <summary>How many parts have finished.</summary>
    private int _finishedParts;

    /// <summary>
    /// How many workers are inside <see cref="RunParts"/>: a call does not end while one is, since a worker that claimed
    /// a number during this call must not read the next call's part count, body or work with it.
    /// </summary>
    private int _activeWorkers;

    /// <summary>The first exception a part threw, rethrown by the caller when the call ends.</summary>
    private ExceptionDispatchInfo? _failure;

    private WorkerPool()
    {
    }

    /// <summary>
    /// Runs parts 0 … <paramref name="parts"/> − 1 of <paramref name="work"/>, on up to
    /// <see cref="Parallelism.Threads"/> threads (the caller's included), and returns when all have finished.
    /// </summary>
    /// <typeparam name="TWork">The work: an unmanaged struct, so that it can be reached through a pointer.</typeparam>
    /// <param name="work">The work; it stays on the caller's stack and is not copied.</param>
    /// <param name="parts">The number of parts.</param>
    public static void Run<TWork>(ref TWork work, int parts)
        where TWork : unmanaged, IParallelWork
    {
        int threads = Math.Min(Parallelism.CurrentThreads, parts);
        if (threads <= 1 || Interlocked.CompareExchange(ref Shared._busy, 1, 0) != 0)
        {
            RunInline(ref work, parts);
            return;
        }

        fixed (TWork* pointer = &work)
        {
            Shared.Dispatch(&RunPart<TWork>, pointer, parts, threads - 1);
        }
    }

    /// <summary>
    /// Runs every part on the calling thread, as a call on the pool does: a part that throws does not stop the others,
    /// and the first exception is rethrown once all have run (so a call made while the pool is busy, from another
    /// thread, fails the way the same call on the pool would).
    /// </summary>
    private static void RunInline<TWork>(ref TWork work, int parts)
        where TWork : unmanaged, IParallelWork
    {
        ExceptionDispatchInfo? failure = null;
        for (int part = 0; part < parts; part++)
        {
            try
            {
                work.Run(part);
            }
            catch (Exception e)
            {
                failure ??= ExceptionDispatchInfo.Capture(e);
            }
        }

        failure?.Throw();
    }

    /// <summary>Runs one part of the work behind <paramref name="work"/>.</summary>
    private static void RunPart<TWork>(void* work, int part)
        where TWork : unmanaged, IParallelWork =>
        ((TWork*)work)->Run(part);

    /// <summary>Publishes a call to <paramref name="helpers"/> workers, joins it, waits for it, and releases the pool.</summary>
    private void Dispatch(delegate*<void*, int, void> body, void* work, int parts, int helpers)
    {
        try
        {
            EnsureWorkers(helpers);
            _body = body;
            _work = work;
            _finishedParts = 0;
            OpenBlocks(parts, helpers + 1);
            Volatile.Write(ref _helpers, helpers);
            Interlocked.Increment(ref _generation);
            if (Volatile.Read(ref _sleepers) > 0)
            {
                lock (_gate)
                {
                    Monitor.PulseAll(_gate);
                }
            }

            RunParts(0);
            var wait = default(SpinWait);
            while (Volatile.Read(ref _finishedParts) < parts)
            {
                wait.SpinOnce(sleep1Threshold: -1);
            }
        }
        finally
        {
            // Closed before the workers are counted (a full fence between the two), so a worker still claiming finds
            // nothing to run, and every worker that claimed during this call has left before the fields are reused.
            CloseBlocks();
            var leave = default(SpinWait);
            while (Volatile.Read(ref _activeWorkers) > 0)
            {
                leave.SpinOnce(sleep1Threshold: -1);
            }

            _body = null;
            _work = null;
            ExceptionDispatchInfo? failure = _failure;
            _failure = null;
            Volatile.Write(ref _busy, 0);
            failure?.Throw();
        }
    }

    /// <summary>Cuts parts 0 … <paramref name="parts"/> − 1 into <paramref name="threads"/> contiguous blocks, nearly equal.</summary>
    private void OpenBlocks(int parts, int threads)
    {
        for (int thread = 0; thread < threads; thread++)
        {
            long first = (long)parts * thread / threads;
            long end = (long)parts * (thread + 1) / threads;
            Volatile.Write(ref _blocks[thread * BlockStride], (end << 32) | first);
        }
    }

    /// <summary>Empties every block (a full fence each), so that a late claim finds nothing.</summary>
    private void CloseBlocks()
    {
        int threads = _helpers + 1;
        for (int thread = 0; thread < threads; thread++)
        {
            Interlocked.Exchange(ref _blocks[thread * BlockStride], 0);
        }
    }

    /// <summary>
    /// Claims and runs parts of the current call until none is left: those of thread <paramref name="thread"/>'s own
    /// block first, then those left in the other threads' blocks.
    /// </summary>
    private void RunParts(int thread)
    {
        int threads = Volatile.Read(ref _helpers) + 1;
        for (int offset = 0; offset < threads; offset++)
        {
            int block = (thread + offset) % threads;
            while (true)
            {
                long claim = Interlocked.Increment(ref _blocks[block * BlockStride]) - 1;
                int part = (int)claim;
                if (part >= (int)(claim >> 32))
                {
                    break;
                }

                RunClaimed(part);
            }
        }
    }

    /// <summary>Runs one claimed part of the current call, keeping an exception for the caller.</summary>
    private void RunClaimed(int part)
    {
        try
        {
            _body(_work, part);
        }
        catch (Exception e)
        {
            // Kept for the caller to rethrow once every part has finished (an exception escaping a worker would end
            // the process).
            Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(e), null);
        }
        finally
        {
            Interlocked.Increment(ref _finishedParts);
        }
    }

    /// <summary>Starts workers until there are at least <paramref name="count"/>.</summary>
    private void EnsureWorkers(int count)
    {
        if (_workers.Count >= count)
        {
            return;
        }

        lock (_gate)
        {
            while (_workers.Count < count)
            {
                // The generation before the call that starts the worker: read in the worker instead, it could be the
                // call's own, and the worker would wait for the next call.
                int index = _workers.Count;
                int seen = Volatile.Read(ref _generation);
                var thread = new Thread(() => WorkerLoop(index, seen))
                {
                    IsBackground = true,
                    Name = $"Graph.Runtime worker {index + 1}",
                };
                _workers.Add(thread);
                thread.Start();
            }
        }
    }

    /// <summary>
    /// A worker's life: wait for a call after generation <paramref name="seen"/>, join it if it wants this worker,
    /// repeat.
    /// </summary>
    private void WorkerLoop(int index, int seen)
    {
        while (true)
        {
            seen = WaitForCall(seen);
            if (index < Volatile.Read(ref _helpers))
            {
                Interlocked.Increment(ref _activeWorkers);
                try
                {
                    RunParts(index + 1);
                }
                finally
                {
                    Interlocked.Decrement(ref _activeWorkers);
                }
            }
        }
    }

    /// <summary>Waits until the generation differs from <paramref name="seen"/>: spinning first, then asleep.</summary>
    private int WaitForCall(int seen)
    {
        for (int poll = 0; poll < SpinPolls; poll++)
        {
            int generation = Volatile.Read(ref _generation);
            if (generation != seen)
            {
                return generation;
            }

            Thread.SpinWait(8);
        }

        lock (_gate)
        {
            Interlocked.Increment(ref _sleepers);
            try
            {
                int generation;
                while ((generation = Volatile.Read(ref _generation)) == seen)
                {
                    Monitor.Wait(_gate);
                }

                return generation;
            }
            finally
            {
                Interlocked.Decrement(ref _sleepers);
            }
        }
    }
}
