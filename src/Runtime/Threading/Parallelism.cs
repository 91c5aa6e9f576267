using System.Globalization;

namespace Graph.Runtime;

/// <summary>
/// How many threads the runtime's kernels may use: GEMM, im2col/col2im, pooling, the vectorised activations and the
/// dropout masks split their work across up to <see cref="Threads"/> threads (the calling thread and the workers of
/// one fixed pool), when the work is large enough to pay for it.
/// </summary>
/// <remarks>
/// <para>Results never depend on the thread count: work is split into parts fixed by the problem alone (rows of an
/// output, chunks of a buffer), each part computed exactly as one thread would compute it, and sums across parts
/// added in part order. One thread and four threads give the same bits.</para>
/// <para>The default is read once from the environment variable <c>GRAPH_THREADS</c> (as <c>OMP_NUM_THREADS</c> is
/// elsewhere); without it, every core the process may use (<see cref="Environment.ProcessorCount"/>).</para>
/// </remarks>
public static class Parallelism
{
    /// <summary>The environment variable that sets the default of <see cref="Threads"/>.</summary>
    public const string EnvironmentVariable = "GRAPH_THREADS";

    /// <summary>The largest thread count accepted.</summary>
    public const int MaxThreads = 256;

    /// <summary>The thread count; 0 until the default has been read from the environment.</summary>
    private static int s_threads;

    [ThreadStatic]
    private static int t_override;

    /// <summary>
    /// The number of threads the kernels may use, the caller's included: 1 runs everything on the calling thread.
    /// Setting it takes effect from the next kernel call, on every thread.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1 or above <see cref="MaxThreads"/>.</exception>
    /// <exception cref="InvalidOperationException">Read while <c>GRAPH_THREADS</c> holds something other than a
    /// thread count, and no value has been set.</exception>
    public static int Threads
    {
        get
        {
            int threads = Volatile.Read(ref s_threads);
            if (threads == 0)
            {
                threads = DefaultThreads(Environment.GetEnvironmentVariable(EnvironmentVariable), Environment.ProcessorCount);
                int earlier = Interlocked.CompareExchange(ref s_threads, threads, 0);
                threads = earlier != 0 ? earlier : threads;
            }

            return threads;
        }

        set
        {
            CheckThreads(value, nameof(value));
            Volatile.Write(ref s_threads, value);
        }
    }

    /// <summary>The thread count for kernels called from this thread: an override in scope here, else <see cref="Threads"/>.</summary>
    internal static int CurrentThreads => t_override > 0 ? t_override : Threads;

    /// <summary>
    /// Makes kernels called from this thread use <paramref name="threads"/> threads until the returned scope is
    /// disposed, whatever <see cref="Threads"/> (or <c>GRAPH_THREADS</c>) says: a command's <c>--threads</c> for the
    /// work it runs on its own thread, or two thread counts compared side by side in one process.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is below 1 or above <see cref="MaxThreads"/>.</exception>
    public static ThreadsScope Use(int threads)
    {
        CheckThreads(threads, nameof(threads));
        int previous = t_override;
        t_override = threads;
        return new ThreadsScope(previous);
    }

    /// <summary>
    /// The default thread count: <paramref name="variable"/> (the value of <c>GRAPH_THREADS</c>) when it is a whole
    /// number from 1 to <see cref="MaxThreads"/>, else <paramref name="processors"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The variable is set to something other than such a number.</exception>
    internal static int DefaultThreads(string? variable, int processors)
    {
        if (string.IsNullOrWhiteSpace(variable))
        {
            return Math.Clamp(processors, 1, MaxThreads);
        }

        if (int.TryParse(variable.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int threads) && threads is >= 1 and <= MaxThreads)
        {
            return threads;
        }

        throw new InvalidOperationException(
            $"{EnvironmentVariable} is '{variable}', but it must be a whole number of threads from 1 to {MaxThreads} (or unset, for every core).");
    }

    private static void CheckThreads(int threads, string name)
    {
        if (threads is < 1 or > MaxThreads)
        {
            throw new ArgumentOutOfRangeException(name, threads, $"The thread count must be from 1 to {MaxThreads}.");
        }
    }

    /// <summary>The scope of a <see cref="Use"/>: disposing it restores the previous thread-count override of the thread that created it.</summary>
    public readonly struct ThreadsScope : IDisposable
    {
        private readonly int previous;

        internal ThreadsScope(int previous) => this.previous = previous;

        /// <summary>Restores the previous override.</summary>
        public void Dispose() => t_override = previous;
    }
}
