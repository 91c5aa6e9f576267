using System.Diagnostics;
using System.Globalization;
using Graph.Bench.Benchmarks;
using Graph.Runtime;

namespace Graph.Bench.Report;

/// <summary>
/// How the machine's speed drifts while one process runs: one network's Graph step (N1-N4, one thread) timed for a
/// while in rounds of a tenth of a millisecond, the median round of each quarter of a second printed in order. On a
/// virtual machine whose host shares its cores, the same code runs at two or more speeds in turns lasting seconds; a
/// comparison is fair only where both sides are timed over the same stretch (<see cref="StepTable.Interleaved"/>).
/// </summary>
public static class SpeedDrift
{
    /// <summary>The length of a window, in seconds.</summary>
    private const double Window = 0.25;

    /// <summary>The length of a round of steps within a window, in seconds: long against the clock's resolution.</summary>
    private const double RoundLength = 1e-4;

    /// <summary>A window this much slower than the fastest counts as slow.</summary>
    private const double SlowFactor = 1.2;

    /// <summary>Times network <paramref name="net"/> (N1 to N4) for <paramref name="seconds"/> seconds and prints the
    /// windows' medians and how many of them were slow.</summary>
    public static void Run(TextWriter output, string net, double seconds)
    {
        NetworkBenchmark benchmark = NetworkBenchmark.All().SingleOrDefault(b => b.Spec.Id == net)
            ?? throw new ArgumentException($"drift times N1, N2, N3 or N4, not '{net}'.", nameof(net));
        Parallelism.Threads = 1;
        benchmark.Setup();
        var step = new LocalSteps($"Graph {net} 1t", () => benchmark.GraphStep(), () => Parallelism.Threads = 1);
        double each = step.WarmUp();
        int steps = Math.Max(1, (int)(RoundLength / each));
        int rounds = Math.Max(1, (int)(Window / (steps * each)));
        var medians = new List<double>();
        long begin = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(begin).TotalSeconds < seconds)
        {
            var times = new List<double>(rounds);
            for (int r = 0; r < rounds; r++)
            {
                times.Add(step.Round(steps).Wall);
            }

            medians.Add(Statistics.Median(times));
        }

        benchmark.Cleanup();
        double fastest = medians.Min();
        int slow = medians.Count(m => m > fastest * SlowFactor);
        output.WriteLine($"{net} {benchmark.Spec.Description}, Graph on one thread: the median step (µs) of each {Window} s window, in order:");
        output.WriteLine();
        foreach (double[] line in medians.Chunk(12))
        {
            output.WriteLine(string.Join(" ", line.Select(m => m.ToString(m < 10 ? "0.000" : "0.0", CultureInfo.InvariantCulture))));
        }

        output.WriteLine();
        output.WriteLine($"{medians.Count} windows: fastest {Format(fastest)} µs, median {Format(Statistics.Median(medians))}, slowest {Format(medians.Max())}; " +
            $"{slow} of {medians.Count} more than {SlowFactor:0.0}x the fastest.");
    }

    private static string Format(double microseconds) => microseconds.ToString(microseconds < 10 ? "0.000" : "0.0", CultureInfo.InvariantCulture);
}
