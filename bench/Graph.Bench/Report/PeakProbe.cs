using System.Diagnostics;
using Graph.Bench.Benchmarks;

namespace Graph.Bench.Report;

/// <summary>The single-core FMA peak, measured by the stopwatch commands with <see cref="FmaPeakBenchmark"/>'s probe.</summary>
public static class PeakProbe
{
    /// <summary>The peak in GFLOP/s: the best of 50 calls of the widest accelerated probe (12 independent FMA chains).</summary>
    public static double Measure(out string width)
    {
        var probe = new FmaPeakBenchmark();
        bool wide = System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated;
        width = wide ? "Vector512" : "Vector256";
        double best = double.MaxValue;
        for (int i = 0; i < 50; i++)
        {
            long start = Stopwatch.GetTimestamp();
            _ = wide ? probe.Fma512() : probe.Fma256();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }

        return FmaPeakBenchmark.Flops(wide ? 16 : 8) / best / 1e9;
    }
}
