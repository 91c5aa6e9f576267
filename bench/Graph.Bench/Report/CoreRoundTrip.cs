using System.Diagnostics;
using System.Globalization;

namespace Graph.Bench.Report;

/// <summary>
/// How long one cache line takes to go from one core to another and back: two threads hand a counter back and forth,
/// each waiting (spinning) for the other's write. On a machine whose two cores share a cache it is some tens of
/// nanoseconds; where they sit far apart (other chiplets, or vCPUs the host places apart) several hundred, and every
/// line that one thread writes and another reads costs half of it. The two-thread columns depend on it, and on a
/// virtual machine it can change while the bench runs, so the bench prints it before and after.
/// </summary>
public static class CoreRoundTrip
{
    private const int Rounds = 200_000;

    /// <summary>The round trip in nanoseconds, the median of five runs of <see cref="Rounds"/> hand-overs, as text.</summary>
    public static string Measure()
    {
        if (Environment.ProcessorCount < 2)
        {
            return "n/a (one processor)";
        }

        var runs = new double[5];
        for (int run = 0; run < runs.Length; run++)
        {
            runs[run] = OneRun();
        }

        Array.Sort(runs);
        return string.Create(CultureInfo.InvariantCulture, $"{runs[2]:0} ns (five runs: {string.Join(", ", runs.Select(ns => ns.ToString("0", CultureInfo.InvariantCulture)))})");
    }

    private static double OneRun()
    {
        var line = new long[16];
        var partner = new Thread(() =>
        {
            for (long i = 0; i < Rounds; i++)
            {
                while (Volatile.Read(ref line[8]) != (2 * i) + 1)
                {
                }

                Volatile.Write(ref line[8], (2 * i) + 2);
            }
        })
        { IsBackground = true };
        partner.Start();
        long start = Stopwatch.GetTimestamp();
        for (long i = 0; i < Rounds; i++)
        {
            Volatile.Write(ref line[8], (2 * i) + 1);
            while (Volatile.Read(ref line[8]) != (2 * i) + 2)
            {
            }
        }

        double nanoseconds = Stopwatch.GetElapsedTime(start).TotalNanoseconds / Rounds;
        partner.Join();
        return nanoseconds;
    }
}
