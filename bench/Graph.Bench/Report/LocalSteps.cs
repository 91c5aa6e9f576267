using System.Diagnostics;

namespace Graph.Bench.Report;

/// <summary>A step run on this thread, each round after <paramref name="prepare"/> (which sets the thread count).</summary>
public sealed class LocalSteps(string name, Action step, Action prepare) : TimedConfig(name)
{
    /// <summary>
    /// Warms up until tiered compilation has optimised every method of the step (at least 60 steps and a second), then
    /// times a third of a second of steps.
    /// </summary>
    public override double WarmUp()
    {
        prepare();
        long start = Stopwatch.GetTimestamp();
        for (int warm = 0; warm < 60 || Stopwatch.GetElapsedTime(start).TotalSeconds < 1; warm++)
        {
            step();
        }

        start = Stopwatch.GetTimestamp();
        int measured = 0;
        while (measured < 5 || Stopwatch.GetElapsedTime(start).TotalSeconds < 0.3)
        {
            step();
            measured++;
        }

        return Stopwatch.GetElapsedTime(start).TotalSeconds / measured;
    }

    /// <inheritdoc/>
    public override Timing Round(int steps)
    {
        prepare();
        double cpuStart = ThreadCpuTime.Seconds();
        long start = Stopwatch.GetTimestamp();
        for (int s = 0; s < steps; s++)
        {
            step();
        }

        return new Timing(Stopwatch.GetElapsedTime(start).TotalMicroseconds / steps, (ThreadCpuTime.Seconds() - cpuStart) * 1e6 / steps);
    }
}
