using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Graph.Bench.Report;

/// <summary>
/// What it costs one core to read a buffer that the other core has just written, against reading a buffer it wrote
/// itself: the price of every kernel that reads what a kernel split differently wrote before it. One thread fills the
/// buffer and hands it over through a flag; the other times a sum over it. The sum runs eight independent vector chains, so
/// that it waits on memory rather than on additions; the local figure is the same sum
/// on the same thread after it filled the buffer itself.
/// </summary>
public static class CoreHandoff
{
    private const int Rounds = 2_000;

    /// <summary>Where the sums go, so that no read is optimised away.</summary>
    private static float s_sink;

    /// <summary>The median read time of <paramref name="bytes"/> bytes written by the other core and by the reading core, as text.</summary>
    public static string Measure(int bytes)
    {
        if (Environment.ProcessorCount < 2)
        {
            return "n/a (one processor)";
        }

        var buffer = new float[bytes / sizeof(float)];
        double crossing = Statistics.Median(Handoff(buffer));
        double local = Statistics.Median(Local(buffer));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{bytes / 1024} KB written by the other core: {crossing:0.0} µs ({bytes / crossing / 1000:0.0} GB/s); written by the reading core: {local:0.0} µs ({bytes / local / 1000:0.0} GB/s)");
    }

    /// <summary>Read times (µs) of the buffer, each time just filled by the other thread.</summary>
    private static double[] Handoff(float[] buffer)
    {
        var times = new double[Rounds];
        var flag = new long[16];
        var reader = new Thread(() =>
        {
            for (long i = 0; i < Rounds; i++)
            {
                while (Volatile.Read(ref flag[8]) != (2 * i) + 1)
                {
                }

                times[i] = TimedSum(buffer);
                Volatile.Write(ref flag[8], (2 * i) + 2);
            }
        })
        { IsBackground = true };
        reader.Start();
        for (long i = 0; i < Rounds; i++)
        {
            buffer.AsSpan().Fill(i);
            Volatile.Write(ref flag[8], (2 * i) + 1);
            while (Volatile.Read(ref flag[8]) != (2 * i) + 2)
            {
            }
        }

        reader.Join();
        return times;
    }

    /// <summary>Read times (µs) of the buffer, each time just filled by the reading thread.</summary>
    private static double[] Local(float[] buffer)
    {
        var times = new double[Rounds];
        for (int i = 0; i < Rounds; i++)
        {
            buffer.AsSpan().Fill(i);
            times[i] = TimedSum(buffer);
        }

        return times;
    }

    /// <summary>The time (µs) of a sum over the buffer in eight independent 512-bit chains, so that it waits on memory, not on additions.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double TimedSum(float[] buffer)
    {
        long start = Stopwatch.GetTimestamp();
        Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
        Vector512<float> s4 = default, s5 = default, s6 = default, s7 = default;
        var span = buffer.AsSpan();
        int step = 8 * Vector512<float>.Count;
        for (int i = 0; i <= span.Length - step; i += step)
        {
            s0 += Vector512.Create<float>(span.Slice(i, 16));
            s1 += Vector512.Create<float>(span.Slice(i + 16, 16));
            s2 += Vector512.Create<float>(span.Slice(i + 32, 16));
            s3 += Vector512.Create<float>(span.Slice(i + 48, 16));
            s4 += Vector512.Create<float>(span.Slice(i + 64, 16));
            s5 += Vector512.Create<float>(span.Slice(i + 80, 16));
            s6 += Vector512.Create<float>(span.Slice(i + 96, 16));
            s7 += Vector512.Create<float>(span.Slice(i + 112, 16));
        }

        double microseconds = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        s_sink += Vector512.Sum(((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7)));
        return microseconds;
    }
}
