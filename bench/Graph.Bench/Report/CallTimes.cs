using System.Diagnostics;

namespace Graph.Bench.Report;

/// <summary>How long one call of a kernel takes, after a warm-up: the best thread CPU time of one thread's calls, or the
/// median wall-clock time of calls that split across threads.</summary>
public static class CallTimes
{
    /// <summary>
    /// Calls <paramref name="call"/> at least 100 times and for at least half a second, so that tiered compilation has
    /// replaced every method it runs with its optimised code (compiled in the background) before anything is timed.
    /// </summary>
    public static void WarmUp(Action call)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < 100 || Stopwatch.GetElapsedTime(start).TotalSeconds < 0.5; i++)
        {
            call();
        }
    }

    /// <summary>The best thread CPU time of one call over <paramref name="calls"/> calls, after <see cref="WarmUp"/>.</summary>
    public static double BestCpuSeconds(Action call, int calls)
    {
        WarmUp(call);

        double best = double.MaxValue;
        for (int i = 0; i < calls; i++)
        {
            double start = ThreadCpuTime.Seconds();
            call();
            best = Math.Min(best, ThreadCpuTime.Seconds() - start);
        }

        return best;
    }

    /// <summary>The median wall-clock time of one call over <paramref name="calls"/> calls, after <see cref="WarmUp"/>.</summary>
    public static double MedianWallSeconds(Action call, int calls)
    {
        WarmUp(call);

        var samples = new double[calls];
        for (int i = 0; i < calls; i++)
        {
            long start = Stopwatch.GetTimestamp();
            call();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        Array.Sort(samples);
        return samples[calls / 2];
    }
}
