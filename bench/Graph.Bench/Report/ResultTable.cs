using System.Globalization;
using BenchmarkDotNet.Reports;
using Graph.Bench.Benchmarks;
using Graph.Bench.Data;

namespace Graph.Bench.Report;

/// <summary>The bench's own table, from BenchmarkDotNet's medians: per network and per GEMM size, with the performance targets.</summary>
public static class ResultTable
{
    /// <summary>The GEMM size whose efficiency the target names, and the fraction of peak it asks for.</summary>
    private const int GemmTargetSize = 512;
    private const double GemmTargetFraction = 0.80;

    /// <summary>Writes the tables for whatever the summary holds.</summary>
    public static void Print(Summary summary, TextWriter output)
    {
        var medians = summary.Reports
            .Where(r => r.ResultStatistics is not null)
            .ToDictionary(
                r => Key(r.BenchmarkCase.Descriptor.Type.Name, r.BenchmarkCase.Descriptor.WorkloadMethod.Name, r.BenchmarkCase.Parameters["N"]),
                r => (Median: r.ResultStatistics!.Median / 1e3, Allocated: r.GcStats.GetBytesAllocatedPerOperation(r.BenchmarkCase)));

        double Median(string type, string method, object? n = null) =>
            medians.TryGetValue(Key(type, method, n), out var m) ? m.Median : double.NaN;

        var networks = new (string Type, NetworkSpec Spec)[]
        {
            (nameof(N1Streetlights), NetworkSpec.N1), (nameof(N2MnistRelu), NetworkSpec.N2),
            (nameof(N3MnistDropout), NetworkSpec.N3), (nameof(N4MnistTanhSoftmax), NetworkSpec.N4),
        };

        if (networks.Any(n => !double.IsNaN(Median(n.Type, "GraphStep"))))
        {
            output.WriteLine("Training step, float32, single thread, median µs per step (BenchmarkDotNet, this run)");
            output.WriteLine();
            output.WriteLine("| net | Graph µs | TorchSharp µs | naive µs | TorchSharp/Graph | naive/Graph | Graph alloc B/step | target | time target | ratio target |");
            output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---|---|---|");
            foreach (var (type, spec) in networks)
            {
                double graph = Median(type, "GraphStep"), torch = Median(type, "TorchSharpStep"), naive = Median(type, "NaiveStep");
                if (double.IsNaN(graph))
                {
                    continue;
                }

                long? allocated = medians.TryGetValue(Key(type, "GraphStep", null), out var g) ? g.Allocated : null;
                double speedup = torch / graph;
                string time = graph <= spec.TargetMicroseconds
                    ? $"met ({Format.Micro(graph)} ≤ {spec.TargetMicroseconds.ToString(CultureInfo.InvariantCulture)})"
                    : $"missed by {Format.Ratio(graph / spec.TargetMicroseconds)} (+{Format.Micro(graph - spec.TargetMicroseconds)} µs)";
                string ratio = double.IsNaN(speedup) ? "not measured (TorchSharp skipped)"
                    : speedup >= spec.TargetSpeedupOverTorch ? $"met ({Format.Ratio(speedup)})"
                    : $"missed: {Format.Ratio(speedup)}, {Format.Ratio(spec.TargetSpeedupOverTorch / speedup)} short";
                output.WriteLine($"| {spec.Id} {spec.Description} | {Format.Micro(graph)} | {Format.Micro(torch)} | {Format.Micro(naive)} | " +
                    $"{Format.Ratio(speedup)} | {Format.Ratio(naive / graph)} | {(allocated is { } a ? a.ToString(CultureInfo.InvariantCulture) : "?")} | " +
                    $"≤ {spec.TargetMicroseconds.ToString(CultureInfo.InvariantCulture)} µs, ≥ {spec.TargetSpeedupOverTorch.ToString(CultureInfo.InvariantCulture)}× TorchSharp | {time} | {ratio} |");
            }

            output.WriteLine();
        }

        double peak256 = FmaPeakBenchmark.Flops(8) / (Median(nameof(FmaPeakBenchmark), "Fma256") * 1e3);
        double peak512 = FmaPeakBenchmark.Flops(16) / (Median(nameof(FmaPeakBenchmark), "Fma512") * 1e3);
        double peak = double.IsNaN(peak512) ? peak256 : Math.Max(peak256, double.IsNaN(peak256) ? 0 : peak512);
        if (!double.IsNaN(peak))
        {
            output.WriteLine($"FMA peak, one core: {peak:0.0} GFLOP/s " +
                $"(Vector256 ×{FmaPeakBenchmark.Chains} chains: {Gflops(peak256)}; Vector512: {(double.IsNaN(peak512) ? "not hardware-accelerated, not run" : Gflops(peak512))})");
            output.WriteLine();
        }

        int[] sizes = [128, 256, 512, 1024];
        if (sizes.Any(n => !double.IsNaN(Median(nameof(GemmBenchmark), "Sgemm", n))))
        {
            output.WriteLine("GEMM, Kernels.Gemm<float>, C = A·B, n×n×n, single thread");
            output.WriteLine();
            output.WriteLine("| n | µs | GFLOP/s | % of FMA peak | target |");
            output.WriteLine("|---:|---:|---:|---:|---|");
            foreach (int n in sizes)
            {
                double micro = Median(nameof(GemmBenchmark), "Sgemm", n);
                double gflops = GemmBenchmark.Flops(n) / (micro * 1e3);
                double fraction = gflops / peak;
                string target = n != GemmTargetSize || double.IsNaN(fraction) ? ""
                    : fraction >= GemmTargetFraction ? $"≥ 80% of peak: met ({Format.Percent(fraction)})"
                    : $"≥ 80% of peak: missed by {100 * (GemmTargetFraction - fraction):0} points ({Format.Percent(fraction)})";
                output.WriteLine($"| {n} | {Format.Micro(micro)} | {gflops:0.0} | {Format.Percent(fraction)} | {target} |");
            }

            output.WriteLine();
        }
    }

    private static string Gflops(double value) => double.IsNaN(value) ? "—" : $"{value:0.0} GFLOP/s";

    private static string Key(string type, string method, object? n) => $"{type}.{method}.{n}";
}
