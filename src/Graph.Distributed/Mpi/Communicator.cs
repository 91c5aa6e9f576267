using System.Diagnostics;
using System.Globalization;

namespace Graph.Distributed.Mpi;

/// <summary>
/// The processes of an MPI job (<c>MPI_COMM_WORLD</c>) and the collectives training needs: barrier, broadcast,
/// allreduce (sum), allgather, gather and scatter, for spans of double, float, int and byte. Every rank must make
/// the same calls in the same order with matching sizes.
/// </summary>
/// <remarks>
/// <para>
/// Each collective is started non-blocking and polled, so a rank that died or stopped before reaching it cannot
/// hang the others: when one does not complete within <see cref="Timeout"/>, this rank writes which call and how
/// long it waited to the error writer and ends the whole job with <c>MPI_Abort</c> (exit code
/// <see cref="TimeoutExitCode"/>). Ending the job, rather than throwing, is deliberate: MPI still holds the call's
/// buffers, and the other ranks are waiting too. The start-up (<c>MPI_Init_thread</c>) and the closing barrier are
/// watched the same way.
/// </para>
/// <para>
/// Failing MPI calls return their error code (the communicator's error handler is <c>MPI_ERRORS_RETURN</c>) and
/// become <see cref="MpiException"/>s with Open MPI's text.
/// </para>
/// </remarks>
public sealed unsafe class Communicator : IDisposable
{
    /// <summary>The environment variable that sets <see cref="Timeout"/> in seconds when none is given.</summary>
    public const string TimeoutVariable = "GRAPH_MPI_TIMEOUT";

    /// <summary>The exit code of a job ended because a rank did not reach a collective in time.</summary>
    public const int TimeoutExitCode = 3;

    /// <summary>The timeout when neither the caller nor <see cref="TimeoutVariable"/> gives one.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(5);

    /// <summary>How long a waiting rank spins (yielding its core) before it sleeps between polls.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 100;

    private static int started;

    private readonly MpiLibrary mpi;
    private readonly nint world;
    private readonly TextWriter error;
    private bool finalized;

    private Communicator(MpiLibrary mpi, TimeSpan timeout, TextWriter error)
    {
        this.mpi = mpi;
        this.error = error;
        world = mpi.CommWorld;
        Timeout = timeout;

        int provided = 0;
        using (Watch("MPI start-up (MPI_Init_thread): not every rank of the job started"))
        {
            Check(mpi.InitThread(null, null, MpiLibrary.ThreadSerialized, &provided), "MPI_Init_thread");
        }

        if (provided < MpiLibrary.ThreadSerialized)
        {
            throw new MpiException("MPI_Init_thread", 0, $"the library offers thread level {provided}, below MPI_THREAD_SERIALIZED ({MpiLibrary.ThreadSerialized})");
        }

        Check(mpi.CommSetErrhandler(world, mpi.ErrorsReturn), "MPI_Comm_set_errhandler");
        int rank, size;
        Check(mpi.CommRank(world, &rank), "MPI_Comm_rank");
        Check(mpi.CommSize(world, &size), "MPI_Comm_size");
        Rank = rank;
        Size = size;
    }

    /// <summary>This process's rank, 0 to <see cref="Size"/> - 1.</summary>
    public int Rank { get; }

    /// <summary>The number of processes in the job.</summary>
    public int Size { get; }

    /// <summary>True on rank 0, the rank that reads data and prints.</summary>
    public bool IsRoot => Rank == 0;

    /// <summary>How long a collective may wait for the other ranks before the job is ended.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>What this rank's collectives have cost so far.</summary>
    public CommunicationStatistics Statistics { get; } = new();

    /// <summary>
    /// Starts MPI in this process (once per process) and returns the job's communicator. Run under
    /// <c>mpirun -np N</c> for N ranks; a program started alone is a job of one rank.
    /// </summary>
    /// <param name="timeout">How long a collective may wait; <see cref="TimeoutVariable"/> (seconds), else <see cref="DefaultTimeout"/>.</param>
    /// <param name="error">Where a rank writes why it ends the job; standard error by default.</param>
    /// <exception cref="MpiUnavailableException">Open MPI is not installed.</exception>
    /// <exception cref="InvalidOperationException">MPI was started already in this process.</exception>
    /// <exception cref="ArgumentException"><see cref="TimeoutVariable"/> is not a positive number of seconds.</exception>
    public static Communicator World(TimeSpan? timeout = null, TextWriter? error = null)
    {
        var wait = timeout ?? TimeoutFromEnvironment();
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(wait, TimeSpan.Zero, nameof(timeout));
        var library = MpiLibrary.Get();
        if (Interlocked.Exchange(ref started, 1) == 1)
        {
            throw new InvalidOperationException("MPI starts once per process, and it was started already; pass the Communicator it returned.");
        }

        return new Communicator(library, wait, error ?? Console.Error);
    }

    /// <summary>Waits until every rank has called it.</summary>
    public void Barrier()
    {
        EnsureOpen();
        long start = Stopwatch.GetTimestamp();
        nint request;
        Check(mpi.Ibarrier(world, &request), "MPI_Ibarrier");
        Wait(&request, "barrier");
        Statistics.Record(0, start);
    }

    /// <summary>Copies <paramref name="values"/> of rank <paramref name="root"/> into <paramref name="values"/> on every rank (the same length everywhere).</summary>
    public void Broadcast<T>(Span<T> values, int root = 0)
        where T : unmanaged
    {
        EnsureOpen();
        CheckRank(root, nameof(root));
        nint type = mpi.Datatype<T>();
        long start = Stopwatch.GetTimestamp();
        nint request;
        fixed (T* buffer = values)
        {
            Check(mpi.Ibcast(buffer, values.Length, type, root, world, &request), "MPI_Ibcast");
            Wait(&request, Describe("broadcast", values.Length, typeof(T)));
        }

        Statistics.Record(Rank == root ? Bytes<T>(values.Length) : 0, start);
    }

    /// <summary>Replaces <paramref name="values"/> on every rank with the element-wise sum over all ranks (the same length everywhere).</summary>
    /// <remarks>MPI chooses the order of the additions; for floating point, two ranks give <c>a + b</c> exactly, more
    /// ranks may group the terms differently by element (<see cref="AllreduceSumInRankOrder{T}"/> does not).</remarks>
    public void AllreduceSum<T>(Span<T> values)
        where T : unmanaged
    {
        EnsureOpen();
        nint type = mpi.Datatype<T>();
        long start = Stopwatch.GetTimestamp();
        nint request;
        fixed (T* buffer = values)
        {
            Check(mpi.Iallreduce(MpiLibrary.InPlace, buffer, values.Length, type, mpi.Sum, world, &request), "MPI_Iallreduce");
            Wait(&request, Describe("allreduce", values.Length, typeof(T)));
        }

        Statistics.Record(Bytes<T>(values.Length), start);
    }

    /// <summary>
    /// Replaces <paramref name="values"/> on every rank with the element-wise sum over all ranks, added in rank
    /// order, <c>((x0 + x1) + x2) + ...</c>, whatever the number of ranks: every rank gathers every rank's values
    /// (one allgather) and adds them itself. Receives N - 1 times the buffer where an allreduce moves about twice it.
    /// </summary>
    public void AllreduceSumInRankOrder<T>(Span<T> values)
        where T : unmanaged, System.Numerics.IAdditionOperators<T, T, T>
    {
        var all = new T[checked(values.Length * Size)];
        Allgather<T>(values, all);
        all.AsSpan(0, values.Length).CopyTo(values);
        for (int rank = 1; rank < Size; rank++)
        {
            var contribution = all.AsSpan(rank * values.Length, values.Length);
            for (int i = 0; i < values.Length; i++)
            {
                values[i] += contribution[i];
            }
        }
    }

    /// <summary>Replaces <paramref name="values"/> on every rank with their sum over the ranks, formed as <paramref name="summation"/> says.</summary>
    public void Sum<T>(Span<T> values, Summation summation)
        where T : unmanaged, System.Numerics.IAdditionOperators<T, T, T>
    {
        switch (summation)
        {
            case Summation.Allreduce:
                AllreduceSum(values);
                break;
            case Summation.RankOrder:
                AllreduceSumInRankOrder(values);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(summation), summation, "Unknown summation.");
        }
    }

    /// <summary>Every rank's <paramref name="mine"/> (the same length everywhere), in rank order, into <paramref name="all"/> on every rank.</summary>
    public void Allgather<T>(ReadOnlySpan<T> mine, Span<T> all)
        where T : unmanaged
    {
        EnsureOpen();
        if (all.Length != (long)mine.Length * Size)
        {
            throw new ArgumentException($"An allgather of {mine.Length} values from each of {Size} ranks needs room for {(long)mine.Length * Size}, not {all.Length}.", nameof(all));
        }

        nint type = mpi.Datatype<T>();
        long start = Stopwatch.GetTimestamp();
        nint request;
        fixed (T* send = mine)
        fixed (T* receive = all)
        {
            Check(mpi.Iallgather(send, mine.Length, type, receive, mine.Length, type, world, &request), "MPI_Iallgather");
            Wait(&request, Describe("allgather", mine.Length, typeof(T)));
        }

        Statistics.Record(Bytes<T>(mine.Length), start);
    }

    /// <summary>One number from every rank, in rank order.</summary>
    public int[] AllgatherCounts(int mine)
    {
        var counts = new int[Size];
        Allgather<int>([mine], counts);
        return counts;
    }

    /// <summary>
    /// Every rank's <paramref name="mine"/>, <paramref name="counts"/>[r] values from rank r, one after another in
    /// rank order, into <paramref name="all"/> on every rank.
    /// </summary>
    public void AllgatherVariable<T>(ReadOnlySpan<T> mine, Span<T> all, ReadOnlySpan<int> counts)
        where T : unmanaged => VariableCounts<T>(VariableCollective.Allgather, mine, all, counts, root: 0);

    /// <summary>
    /// Every rank's <paramref name="mine"/>, <paramref name="counts"/>[r] values from rank r, one after another in
    /// rank order, into <paramref name="all"/> on rank <paramref name="root"/> (the other ranks' <paramref name="all"/> is unused).
    /// </summary>
    public void GatherVariable<T>(ReadOnlySpan<T> mine, Span<T> all, ReadOnlySpan<int> counts, int root = 0)
        where T : unmanaged => VariableCounts<T>(VariableCollective.Gather, mine, all, counts, root);

    /// <summary>
    /// Rank <paramref name="root"/>'s <paramref name="all"/>, cut into <paramref name="counts"/>[r] values for rank r in
    /// rank order, into each rank's <paramref name="mine"/> (the other ranks' <paramref name="all"/> is unused).
    /// </summary>
    public void ScatterVariable<T>(ReadOnlySpan<T> all, ReadOnlySpan<int> counts, Span<T> mine, int root = 0)
        where T : unmanaged => VariableCounts<T>(VariableCollective.Scatter, mine, all, counts, root);

    /// <summary>
    /// Writes <c>error: rank R of N: message</c> and ends every process of the job (<c>MPI_Abort</c>) with
    /// <paramref name="exitCode"/>: for a failure the other ranks cannot see, so that they do not wait for it.
    /// </summary>
    public void Abort(string message, int exitCode = 1)
    {
        error.WriteLine($"error: rank {Rank} of {Size}: {message}");
        error.Flush();
        mpi.Abort(world, exitCode);
        Environment.Exit(exitCode);
    }

    /// <summary>Waits for every rank (within <see cref="Timeout"/>) and ends MPI in this process.</summary>
    public void Dispose()
    {
        if (finalized)
        {
            return;
        }

        Barrier();
        finalized = true;
        Check(mpi.Finalize(), "MPI_Finalize");
    }

    /// <summary>
    /// The collectives with a count per rank: this rank's part <paramref name="mine"/> and the parts of every rank
    /// one after another in rank order, <paramref name="all"/> (on every rank for the allgather, on the root for the
    /// others). MPI writes into whichever of the two the collective receives.
    /// </summary>
    private void VariableCounts<T>(VariableCollective kind, ReadOnlySpan<T> mine, ReadOnlySpan<T> all, ReadOnlySpan<int> counts, int root)
        where T : unmanaged
    {
        EnsureOpen();
        CheckRank(root, nameof(root));
        bool holdsAll = kind == VariableCollective.Allgather || Rank == root;
        var displacements = Displacements(counts, mine.Length, all.Length, "all", requireRoom: holdsAll);
        nint type = mpi.Datatype<T>();
        long start = Stopwatch.GetTimestamp();
        nint request;
        fixed (T* part = mine)
        fixed (T* whole = all)
        fixed (int* countPointer = counts)
        fixed (int* displacementPointer = displacements)
        {
            var (name, code) = kind switch
            {
                VariableCollective.Allgather => ("allgatherv", mpi.Iallgatherv(part, mine.Length, type, whole, countPointer, displacementPointer, type, world, &request)),
                VariableCollective.Gather => ("gatherv", mpi.Igatherv(part, mine.Length, type, whole, countPointer, displacementPointer, type, root, world, &request)),
                _ => ("scatterv", mpi.Iscatterv(whole, countPointer, displacementPointer, type, part, mine.Length, type, root, world, &request)),
            };
            Check(code, "MPI_I" + name);
            Wait(&request, Describe(name, mine.Length, typeof(T)));
        }

        long sent = kind != VariableCollective.Scatter ? Bytes<T>(mine.Length) : Rank == root ? Bytes<T>(all.Length - mine.Length) : 0;
        Statistics.Record(sent, start);
    }

    private void Wait(nint* request, string operation)
    {
        long start = Stopwatch.GetTimestamp();
        long deadline = start + (long)(Timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            int done = 0;
            Check(mpi.Test(request, &done, null), "MPI_Test on the " + operation);
            if (done != 0)
            {
                return;
            }

            long now = Stopwatch.GetTimestamp();
            if (now > deadline)
            {
                EndJob($"{operation} did not complete within {Seconds(Timeout)} s: another rank has died or stopped before reaching it.");
            }

            if (now - start < SpinTicks)
            {
                Thread.Yield();
            }
            else
            {
                Thread.Sleep(1);
            }
        }
    }

    private void EndJob(string message)
    {
        error.WriteLine($"error: rank {Rank} of {Size}: {message} Ending the job.");
        error.Flush();
        mpi.Abort(world, TimeoutExitCode);
        Environment.Exit(TimeoutExitCode);
    }

    /// <summary>Ends the process if the guarded native call has not returned within the timeout (MPI cannot abort before it has started).</summary>
    private Timer Watch(string what)
    {
        string rank = Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_RANK") ?? "?";
        return new Timer(
            _ =>
            {
                error.WriteLine($"error: rank {rank}: {what} within {Seconds(Timeout)} s. Ending this process.");
                error.Flush();
                Environment.Exit(TimeoutExitCode);
            },
            null,
            Timeout,
            System.Threading.Timeout.InfiniteTimeSpan);
    }

    private void Check(int code, string operation)
    {
        if (code != MpiLibrary.Success)
        {
            throw new MpiException(operation, code, mpi.Describe(code));
        }
    }

    private void EnsureOpen() => ObjectDisposedException.ThrowIf(finalized, this);

    private void CheckRank(int rank, string parameter)
    {
        if ((uint)rank >= (uint)Size)
        {
            throw new ArgumentOutOfRangeException(parameter, rank, $"The job has ranks 0 to {Size - 1}.");
        }
    }

    /// <summary>The offsets of each rank's part for a gather or scatter, after checking the counts.</summary>
    private int[] Displacements(ReadOnlySpan<int> counts, int mine, int room, string buffer, bool requireRoom)
    {
        if (counts.Length != Size)
        {
            throw new ArgumentException($"Give one count per rank: {Size}, not {counts.Length}.", nameof(counts));
        }

        if (counts[Rank] != mine)
        {
            throw new ArgumentException($"Rank {Rank}'s count is {counts[Rank]}, but its own buffer holds {mine}.", nameof(counts));
        }

        var displacements = new int[Size];
        long total = 0;
        for (int r = 0; r < Size; r++)
        {
            if (counts[r] < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(counts), counts[r], $"Rank {r}'s count is negative.");
            }

            if (total > int.MaxValue)
            {
                throw new ArgumentException($"The gathered values exceed MPI's int offsets ({int.MaxValue}).", nameof(counts));
            }

            displacements[r] = (int)total;
            total += counts[r];
        }

        if (requireRoom && room != total)
        {
            throw new ArgumentException($"The counts add up to {total} values, but '{buffer}' has room for {room}.", buffer);
        }

        return displacements;
    }

    private static long Bytes<T>(long count)
        where T : unmanaged => count * sizeof(T);

    private static string Describe(string operation, int count, Type type) =>
        $"{operation} of {count.ToString("N0", CultureInfo.InvariantCulture)} {type.Name} values";

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    private static TimeSpan TimeoutFromEnvironment()
    {
        string? text = Environment.GetEnvironmentVariable(TimeoutVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return DefaultTimeout;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) || !(seconds > 0) || double.IsInfinity(seconds))
        {
            throw new ArgumentException($"{TimeoutVariable} must be a positive number of seconds, not '{text}'.");
        }

        return TimeSpan.FromSeconds(seconds);
    }

    private enum VariableCollective
    {
        Allgather,
        Gather,
        Scatter,
    }
}
