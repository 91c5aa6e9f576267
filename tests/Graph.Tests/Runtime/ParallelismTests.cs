using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Runtime;

/// <summary>The <see cref="Parallelism.Threads"/> setting and the worker pool that runs kernels' parts.</summary>
public sealed class ParallelismTests
{
    [Theory]
    [InlineData(null, 2, 2)]
    [InlineData("", 8, 8)]
    [InlineData("1", 8, 1)]
    [InlineData(" 3 ", 2, 3)]
    [InlineData("256", 2, 256)]
    public void Default_comes_from_GRAPH_THREADS_else_every_core(string? variable, int processors, int expected) =>
        Assert.Equal(expected, Parallelism.DefaultThreads(variable, processors));

    [Theory]
    [InlineData("0")]
    [InlineData("-2")]
    [InlineData("two")]
    [InlineData("257")]
    [InlineData("1.5")]
    public void A_bad_GRAPH_THREADS_is_a_clear_error(string variable)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Parallelism.DefaultThreads(variable, 2));
        Assert.Contains("GRAPH_THREADS", error.Message);
        Assert.Contains($"'{variable}'", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(257)]
    public void Threads_outside_1_to_256_are_refused(int threads) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Parallelism.Threads = threads);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Every_part_runs_exactly_once(int threads)
    {
        var counts = new int[1000];
        using (Parallelism.Use(threads))
        {
            for (int repeat = 0; repeat < 50; repeat++)
            {
                Count(counts, 1 + (repeat * 19 % counts.Length));
            }
        }

        int expected(int part) => Enumerable.Range(0, 50).Count(repeat => part < 1 + (repeat * 19 % counts.Length));
        for (int part = 0; part < counts.Length; part++)
        {
            Assert.Equal(expected(part), counts[part]);
        }
    }

    /// <summary>
    /// Calls back to back whose part counts alternate between few and many: a worker still finishing one call must not
    /// take a number it claimed then for a part of the next call, which would run that part twice.
    /// </summary>
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Back_to_back_calls_of_different_sizes_run_each_part_once(int threads)
    {
        var counts = new int[64];
        const int Calls = 4000;
        using (Parallelism.Use(threads))
        {
            for (int call = 0; call < Calls; call++)
            {
                Count(counts, call % 2 == 0 ? 3 : counts.Length);
            }
        }

        for (int part = 0; part < counts.Length; part++)
        {
            Assert.Equal(part < 3 ? Calls : Calls / 2, counts[part]);
        }
    }

    [Fact]
    public void Calls_from_two_threads_at_once_both_complete()
    {
        var left = new int[500];
        var right = new int[500];
        using var start = new Barrier(2);
        void Hammer(int[] counts)
        {
            using (Parallelism.Use(2))
            {
                start.SignalAndWait();
                for (int repeat = 0; repeat < 200; repeat++)
                {
                    Count(counts, counts.Length);
                }
            }
        }

        var other = new Thread(() => Hammer(right));
        other.Start();
        Hammer(left);
        other.Join();
        Assert.All(left, count => Assert.Equal(200, count));
        Assert.All(right, count => Assert.Equal(200, count));
    }

    [Fact]
    public void A_failing_part_rethrows_on_the_caller_after_every_part_ran()
    {
        var counts = new int[64];
        using (Parallelism.Use(2))
        {
            var error = Assert.Throws<InvalidOperationException>(() => RunFailing(counts, failingPart: 37));
            Assert.Equal("part 37", error.Message);
        }

        Assert.All(counts, count => Assert.Equal(1, count));
    }

    [Fact]
    public void A_failing_call_made_while_the_pool_is_busy_runs_every_part()
    {
        // Another thread holds the pool with a call whose first part waits; this thread's call then runs inline.
        Volatile.Write(ref s_holding, 0);
        Volatile.Write(ref s_release, 0);
        var holder = new Thread(() =>
        {
            using (Parallelism.Use(2))
            {
                var work = new HoldingWork();
                WorkerPool.Run(ref work, 2);
            }
        });
        holder.Start();
        try
        {
            SpinWait.SpinUntil(() => Volatile.Read(ref s_holding) == 1);
            var counts = new int[64];
            using (Parallelism.Use(2))
            {
                var error = Assert.Throws<InvalidOperationException>(() => RunFailing(counts, failingPart: 37));
                Assert.Equal("part 37", error.Message);
            }

            Assert.All(counts, count => Assert.Equal(1, count));
        }
        finally
        {
            Volatile.Write(ref s_release, 1);
            holder.Join();
        }
    }

    [Fact]
    public unsafe void Each_thread_starts_with_its_own_block_of_parts()
    {
        // Two threads, four parts: the caller's block is parts 0 and 1, the worker's 2 and 3. Each part takes long
        // enough that the worker is awake (or started: this may be the pool's first call) before its block could be
        // taken from it. A call made while another test's call holds the pool runs inline, so such an attempt (no
        // part on another thread) is made again, for as long as the other tests running beside this one may hold it.
        int caller = Environment.CurrentManagedThreadId;
        int[] workerParts = [];
        var patience = System.Diagnostics.Stopwatch.StartNew();
        while (workerParts.Length == 0 && patience.Elapsed < TimeSpan.FromSeconds(60))
        {
            var threadOfPart = new int[4];
            var startOrder = new int[4];
            int started = 0;
            using (Parallelism.Use(2))
            {
                fixed (int* threads = threadOfPart, order = startOrder)
                {
                    var work = new RecordingWork { ThreadOfPart = threads, StartOrder = order, Started = &started };
                    WorkerPool.Run(ref work, 4);
                }
            }

            Assert.All(threadOfPart, thread => Assert.NotEqual(0, thread));
            workerParts = [.. Enumerable.Range(0, 4).Where(part => threadOfPart[part] != caller).OrderBy(part => startOrder[part])];
        }

        Assert.NotEmpty(workerParts);
        Assert.Contains(workerParts[0], new[] { 2, 3 });
    }

    [Fact]
    public void A_call_with_threads_allocates_nothing()
    {
        var counts = new int[100];
        using (Parallelism.Use(2))
        {
            Count(counts, counts.Length);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int repeat = 0; repeat < 100; repeat++)
            {
                Count(counts, counts.Length);
            }

            Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        }
    }

    private static unsafe void Count(int[] counts, int parts)
    {
        fixed (int* pointer = counts)
        {
            var work = new CountingWork { Counts = pointer };
            WorkerPool.Run(ref work, parts);
        }
    }

    private static unsafe void RunFailing(int[] counts, int failingPart)
    {
        fixed (int* pointer = counts)
        {
            var work = new FailingWork { Counts = pointer, FailingPart = failingPart };
            WorkerPool.Run(ref work, counts.Length);
        }
    }

    private unsafe struct CountingWork : IParallelWork
    {
        public int* Counts;

        public readonly void Run(int part) => Interlocked.Increment(ref Counts[part]);
    }

    /// <summary>Records which thread ran each part and in what order the parts started; each part takes 50 ms.</summary>
    private unsafe struct RecordingWork : IParallelWork
    {
        public int* ThreadOfPart;
        public int* StartOrder;
        public int* Started;

        public readonly void Run(int part)
        {
            StartOrder[part] = Interlocked.Increment(ref *Started);
            ThreadOfPart[part] = Environment.CurrentManagedThreadId;
            Thread.Sleep(50);
        }
    }

    private static int s_holding;
    private static int s_release;

    /// <summary>Part 0 marks the pool held and waits for the release.</summary>
    private struct HoldingWork : IParallelWork
    {
        public readonly void Run(int part)
        {
            if (part == 0)
            {
                Volatile.Write(ref s_holding, 1);
                SpinWait.SpinUntil(() => Volatile.Read(ref s_release) == 1);
            }
        }
    }

    private unsafe struct FailingWork : IParallelWork
    {
        public int* Counts;
        public int FailingPart;

        public readonly void Run(int part)
        {
            Interlocked.Increment(ref Counts[part]);
            if (part == FailingPart)
            {
                throw new InvalidOperationException($"part {part}");
            }
        }
    }
}
