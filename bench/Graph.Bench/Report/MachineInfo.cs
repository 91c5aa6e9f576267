using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Graph.Bench.Torch;
using Graph.Runtime;

namespace Graph.Bench.Report;

/// <summary>The facts a result needs beside it: CPU, runtime, vector widths, threads.</summary>
public static class MachineInfo
{
    /// <summary>The facts as "name: value" lines.</summary>
    public static IReadOnlyList<(string Name, string Value)> Facts()
    {
        return
        [
            ("CPU", CpuModel()),
            ("logical processors", Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("OS", RuntimeInformation.OSDescription),
            (".NET", $"{RuntimeInformation.FrameworkDescription} ({RuntimeInformation.ProcessArchitecture}), tiered PGO {(Environment.GetEnvironmentVariable("DOTNET_TieredPGO") ?? "default")}"),
            ("Vector512.IsHardwareAccelerated", Vector512.IsHardwareAccelerated.ToString()),
            ("Vector256.IsHardwareAccelerated", Vector256.IsHardwareAccelerated.ToString()),
            ("Vector<float>.Count", Vector<float>.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("x86 FMA / AVX2 / AVX-512F", $"{Fma.IsSupported} / {Avx2.IsSupported} / {Avx512F.IsSupported}"),
            ("threads", $"Graph: Parallelism.Threads = {Parallelism.Threads} (the table sets each column's count; --threads); the naive loops are plain loops; TorchSharp runs with torch.set_num_threads(1) and set_num_interop_threads(1); numpy with OPENBLAS_NUM_THREADS=1"),
            ("TorchSharp", TorchRuntime.Status),
            ("core-to-core round trip of a cache line (two threads)", CoreRoundTrip.Measure()),
            ("load average (1, 5, 15 min) at start", LoadAverage()),
        ];
    }

    /// <summary>
    /// A reading of how busy the machine is: all CPUs' busy time from /proc/stat and this process's own CPU time.
    /// Two readings give the CPU that other processes used in between (<see cref="OtherLoad"/>).
    /// </summary>
    public readonly record struct CpuReading(double BusySeconds, double OwnSeconds, long Timestamp)
    {
        /// <summary>Reads the counters now (zeros where /proc/stat is not there).</summary>
        public static CpuReading Now()
        {
            double busy = 0;
            try
            {
                if (File.Exists("/proc/stat"))
                {
                    // cpu  user nice system idle iowait irq softirq steal ...: busy = all but idle and iowait.
                    string[] fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    long[] ticks = fields.Skip(1).Take(8).Select(f => long.Parse(f, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
                    busy = (ticks.Sum() - ticks[3] - ticks[4]) / 100.0;
                }
            }
            catch (IOException)
            {
            }

            return new CpuReading(busy, System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, System.Diagnostics.Stopwatch.GetTimestamp());
        }
    }

    /// <summary>The average number of cores other processes kept busy between two readings (NaN without /proc/stat).</summary>
    public static double OtherLoad(CpuReading start, CpuReading end)
    {
        double wall = System.Diagnostics.Stopwatch.GetElapsedTime(start.Timestamp, end.Timestamp).TotalSeconds;
        return start.BusySeconds == 0 || wall <= 0 ? double.NaN
            : Math.Max(0, (end.BusySeconds - start.BusySeconds) - (end.OwnSeconds - start.OwnSeconds)) / wall;
    }

    /// <summary>/proc/loadavg's first three numbers: above ~0 means other work shared the cores during the run.</summary>
    public static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    private static string CpuModel()
    {
        try
        {
            if (File.Exists("/proc/cpuinfo"))
            {
                string[] lines = File.ReadAllLines("/proc/cpuinfo");
                string Field(string key) => lines.FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
                string mhz = Field("cpu MHz");
                bool hypervisor = Field("flags").Split(' ').Contains("hypervisor");
                return $"{Field("model name")} (vendor {Field("vendor_id")}, family {Field("cpu family")} model {Field("model")} stepping {Field("stepping")}, {mhz} MHz reported{(hypervisor ? ", virtual machine" : "")})";
            }
        }
        catch (IOException)
        {
        }

        return RuntimeInformation.ProcessArchitecture.ToString();
    }
}
