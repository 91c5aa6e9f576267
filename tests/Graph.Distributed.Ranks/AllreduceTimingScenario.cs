using System.Diagnostics;
using System.Globalization;
using Graph.Distributed.Mpi;

namespace Graph.Distributed.Ranks;

/// <summary>
/// Times the trainer's exchange alone: <c>repeat=</c> allreduces of a buffer of <c>count=</c> doubles back to back
/// (after a barrier, so no rank waits for another's computation), then as many barriers. Rank 0 writes the mean
/// time of each to <c>allreduce.txt</c> and prints it (docs/distributed.md).
/// </summary>
public static class AllreduceTimingScenario
{
    public static void Run(Communicator ranks, string folder, IReadOnlyDictionary<string, string> options)
    {
        int count = Scenarios.Int(options, "count", 79_401);
        int repeat = Scenarios.Int(options, "repeat", 200);
        var buffer = new double[count];
        ranks.Barrier();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < repeat; i++)
        {
            ranks.AllreduceSum<double>(buffer);
        }

        double allreduce = clock.Elapsed.TotalMilliseconds / repeat;
        ranks.Barrier();
        clock.Restart();
        for (int i = 0; i < repeat; i++)
        {
            ranks.Barrier();
        }

        double barrier = clock.Elapsed.TotalMilliseconds / repeat;
        if (ranks.IsRoot)
        {
            string line = string.Create(CultureInfo.InvariantCulture,
                $"{ranks.Size} ranks: allreduce of {count:N0} doubles ({8L * count:N0} bytes) {allreduce:0.000} ms, barrier {barrier:0.000} ms (mean of {repeat})");
            Console.WriteLine(line);
            File.WriteAllText(Path.Combine(folder, "allreduce.txt"), line + Environment.NewLine);
        }
    }
}
