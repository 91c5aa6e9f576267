using System.Runtime.InteropServices;

namespace Graph.Bench.Report;

/// <summary>
/// The calling thread's CPU time (Linux <c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>, nanosecond resolution): on a
/// machine shared with other work, the time a one-thread step really computed, without the time it waited for a core.
/// </summary>
public static partial class ThreadCpuTime
{
    private const int ClockThreadCpuTime = 3;

    /// <summary>Whether the clock can be read here.</summary>
    public static bool IsAvailable { get; } = OperatingSystem.IsLinux() && TryRead(out _);

    /// <summary>The thread's CPU time in seconds, or NaN where the clock cannot be read.</summary>
    public static double Seconds() => IsAvailable && TryRead(out double seconds) ? seconds : double.NaN;

    private static bool TryRead(out double seconds)
    {
        try
        {
            if (ClockGetTime(ClockThreadCpuTime, out Timespec time) == 0)
            {
                seconds = time.Seconds + (time.Nanoseconds * 1e-9);
                return true;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
        }

        seconds = double.NaN;
        return false;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out Timespec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
