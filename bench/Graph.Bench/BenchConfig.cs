using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Order;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Graph.Bench.Torch;
using Perfolizer.Horology;
using System.Runtime.Intrinsics;

namespace Graph.Bench;

/// <summary>
/// BenchmarkDotNet's configuration: in-process (the TorchSharp native library and the model code are already loaded
/// and patched here; a generated child project would need both again), one launch, 3 warm-up and 15 measured
/// iterations of about 200 ms each, medians reported in µs, allocations counted.
/// </summary>
public static class BenchConfig
{
    /// <summary>Where BenchmarkDotNet writes its logs and reports.</summary>
    public static string ArtifactsPath { get; } = Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts");

    /// <summary>The configuration, with TorchSharp and Vector512 cases filtered out where they cannot run.</summary>
    public static IConfig Create(bool verbose)
    {
        var job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(15)
            .WithIterationTime(TimeInterval.FromMilliseconds(200))
            .WithId("short");

        return ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddColumn(StatisticColumn.Median)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddLogger(verbose ? ConsoleLogger.Default : new QuietLogger(ConsoleLogger.Default))
            .AddExporter(MarkdownExporter.GitHub)
            .AddFilter(new SimpleFilter(Runnable))
            .WithSummaryStyle(SummaryStyle.Default.WithTimeUnit(TimeUnit.Microsecond))
            .WithArtifactsPath(ArtifactsPath)
            .WithOrderer(new DefaultOrderer(SummaryOrderPolicy.Declared, MethodOrderPolicy.Alphabetical))
            .WithOptions(ConfigOptions.JoinSummary | ConfigOptions.DisableLogFile);
    }

    private static bool Runnable(BenchmarkDotNet.Running.BenchmarkCase benchmark) =>
        benchmark.Descriptor.WorkloadMethod.Name switch
        {
            "TorchSharpStep" => TorchRuntime.IsAvailable,
            "Fma512" => Vector512.IsHardwareAccelerated,
            _ => true,
        };

    /// <summary>Passes on BenchmarkDotNet's headers, results and errors, and drops the per-iteration lines.</summary>
    private sealed class QuietLogger(ILogger inner) : ILogger
    {
        private bool lineOpen;

        public string Id => "quiet";

        public int Priority => 0;

        public void Write(LogKind logKind, string text)
        {
            if (Keep(logKind))
            {
                inner.Write(logKind, text);
                lineOpen = true;
            }
        }

        public void WriteLine()
        {
            if (lineOpen)
            {
                inner.WriteLine();
                lineOpen = false;
            }
        }

        public void WriteLine(LogKind logKind, string text)
        {
            if (Keep(logKind))
            {
                inner.WriteLine(logKind, text);
                lineOpen = false;
            }
        }

        public void Flush() => inner.Flush();

        private static bool Keep(LogKind kind) => kind is LogKind.Error or LogKind.Warning or LogKind.Header or LogKind.Statistic;
    }
}
