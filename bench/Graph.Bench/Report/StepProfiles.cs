using System.Diagnostics;
using Graph.Runtime;

namespace Graph.Bench.Report;

/// <summary>
/// The <c>profile</c> command: each network's generated training step (the table's N1-N6, on the same records) with a
/// <see cref="StepProfile"/> set, at each thread count, so each step's time is measured where it runs, after the steps
/// before it, rather than alone (the <c>breakdown</c> command). Rounds with and without the profile alternate, and the
/// step's median µs either way is printed beside the profile: the difference is what the profile's own readings cost.
/// </summary>
internal static class StepProfiles
{
    /// <summary>Rounds of each kind (with and without the profile) per network and thread count.</summary>
    private const int Rounds = 6;

    /// <summary>The warm-up before each network and thread count is timed, as the <c>cnn</c> command's.</summary>
    private const double WarmUpSeconds = 3;

    public static void Run(TextWriter output, IReadOnlyList<int> threadCounts, double seconds, IReadOnlySet<string>? nets)
    {
        var (mnist, corpus, reviews, vocabulary) = StepTable.LoadData();
        foreach (var net in StepTable.Cases(mnist, corpus, reviews, vocabulary, torch: false).Where(n => nets is null || nets.Contains(n.Id)))
        {
            foreach (int threads in threadCounts)
            {
                Parallelism.Threads = threads;
                var profile = new StepProfile();
                // Warm-up, half with the profile: .NET compiles the kernels fully while the first seconds run.
                net.Profile(profile);
                RunFor(net.Graph, WarmUpSeconds / 2);
                net.Profile(null);
                RunFor(net.Graph, WarmUpSeconds / 2);
                profile.Reset();
                double roundSeconds = seconds / Rounds / 2;
                var plain = new double[Rounds];
                var profiled = new double[Rounds];
                for (int r = 0; r < Rounds; r++)
                {
                    plain[r] = RunFor(net.Graph, roundSeconds);
                    net.Profile(profile);
                    profiled[r] = RunFor(net.Graph, roundSeconds);
                    net.Profile(null);
                }

                output.WriteLine($"{net.Id} {net.Description}, {threads} thread{(threads == 1 ? "" : "s")}: the step {Statistics.Median(plain):0.###} µs without the profile, {Statistics.Median(profiled):0.###} µs with it (medians of {Rounds} rounds each, in turn)");
                output.WriteLine();
                output.WriteLine(profile.ToString());
            }

            net.Release();
        }

        Parallelism.Threads = 1;
    }

    /// <summary>Runs the step for about <paramref name="seconds"/> (at least 3 times) and returns its mean µs.</summary>
    private static double RunFor(Action step, double seconds)
    {
        long start = Stopwatch.GetTimestamp();
        int steps = 0;
        while (steps < 3 || Stopwatch.GetElapsedTime(start).TotalSeconds < seconds)
        {
            step();
            steps++;
        }

        return Stopwatch.GetElapsedTime(start).TotalMicroseconds / steps;
    }
}
