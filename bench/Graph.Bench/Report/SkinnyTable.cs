using System.Diagnostics;
using Graph.Runtime;

namespace Graph.Bench.Report;

/// <summary>
/// The direct GEMM kernel's two register-tile plans side by side on the networks' skinny products (a batch of 16 to
/// 128 rows against a weight matrix): <see cref="GemmDirectTiles.Rows6Vectors2"/> (6 rows × 2 vectors, the plan of the
/// 256-bit path) and <see cref="GemmDirectTiles.Rows8Vectors3"/> (up to 8 rows × 3 vectors, the 512-bit plan), float,
/// one thread, as GFLOP/s and a share of the FMA peak.
/// </summary>
/// <remarks>
/// In the first table each call takes the next of <see cref="CycledOperands"/> distinct A, B and C, as a recurrent
/// step cycles through its weight matrices, so that B comes from the last-level cache (or memory) rather than from L1
/// or L2; the second table calls on one set, which stays in the caches it fits. A timing is the thread CPU time of
/// one round of calls over every operand set, per call, after a warm-up; the two plans are timed in alternating rounds
/// and each figure is the median round.
/// </remarks>
public static class SkinnyTable
{
    /// <summary>The distinct operand sets each shape cycles through in the first table (the second uses one).</summary>
    private const int CycledOperands = 8;

    /// <summary>The rounds per plan (alternating).</summary>
    private const int Rounds = 41;

    /// <summary>Runs and prints the tables: the operands cycled, as in a step, then one set of operands (in cache).</summary>
    public static void Run(TextWriter output)
    {
        double peak = PeakProbe.Measure(out string width);
        output.WriteLine($"FMA peak of one core: {peak:0.0} GFLOP/s ({width})");
        output.WriteLine();
        Table(output, peak, CycledOperands);
        output.WriteLine();
        Table(output, peak, 1);
        output.WriteLine($"- load average (1, 5, 15 min) at the end: {MachineInfo.LoadAverage()}");
    }

    private static void Table(TextWriter output, double peak, int operands)
    {
        var shapes = new (string Name, bool TransA, bool TransB, int M, int N, int K)[]
        {
            ("LSTM h·Wh, batch 16", false, false, 16, 512, 512),
            ("LSTM h·Wh, batch 32", false, false, 32, 512, 512),
            ("LSTM h·[4 gates], batch 16", false, false, 16, 2048, 512),
            ("LSTM h·[4 gates], batch 32", false, false, 32, 2048, 512),
            ("dY·Wᵀ, W 512×2048, batch 16", false, true, 16, 512, 2048),
            ("LSTM [4 inputs]·W, batch 16", false, false, 16, 512, 2048),
            ("LSTM hᵀ·dGates, batch 16", true, false, 512, 2048, 16),
            ("LSTM hᵀ·dGates, batch 32", true, false, 512, 2048, 32),
            ("LSTM Σ hᵀ·dGate over 22 steps, batch 16", true, false, 512, 512, 22 * 16),
            ("LSTM Σ hᵀ·dGate over 22 steps, batch 32", true, false, 512, 512, 22 * 32),
            ("N3 x·W01, batch 100", false, false, 100, 100, 784),
            ("N3 h·W12, batch 100", false, false, 100, 10, 100),
            ("N3 xᵀ·dH, batch 100", true, false, 784, 100, 100),
            ("N3 hᵀ·dY, batch 100", true, false, 100, 10, 100),
            ("N3 dY·W12ᵀ, batch 100", false, true, 100, 100, 10),
            ("N5 dY·W12ᵀ, batch 128", false, true, 128, 10000, 10),
            ("N5 h·W12", false, false, 128, 10, 10000),
            ("N5 W12 grad", true, false, 10000, 10, 128),
            ("N5 conv", false, false, 80000, 16, 9),
            ("batch 16 · W01", false, false, 16, 100, 784),
            ("batch 128 · W01", false, false, 128, 100, 784),
        };
        GemmDirectTiles[] plans = [GemmDirectTiles.Rows6Vectors2, GemmDirectTiles.Rows8Vectors3];
        output.WriteLine($"| product | m×n×k | {string.Join(" | ", plans)} | ratio | Auto's plan |");
        output.WriteLine("|---|---|---:|---:|---:|---|");
        var random = new Random(1);
        Parallelism.Threads = 1;
        foreach (var s in shapes)
        {
            int lda = s.TransA ? s.M : s.K, ldb = s.TransB ? s.K : s.N;
            float[][] a = [.. Enumerable.Range(0, operands).Select(_ => Fill(random, s.M * s.K))];
            float[][] b = [.. Enumerable.Range(0, operands).Select(_ => Fill(random, s.K * s.N))];
            float[][] c = [.. Enumerable.Range(0, operands).Select(_ => new float[s.M * s.N])];
            void Round(GemmDirectTiles plan)
            {
                var options = new GemmOptions(Kernel: GemmKernel.Direct, Tiles: plan);
                for (int i = 0; i < operands; i++)
                {
                    Kernels.Gemm<float>(s.TransA, s.TransB, s.M, s.N, s.K, a[i], lda, b[i], ldb, c[i], s.N, false, options);
                }
            }

            var samples = plans.Select(_ => new double[Rounds]).ToArray();

            // At least 100 rounds and half a second of each plan, so that tiered compilation has replaced every
            // method the calls run with its optimised code before anything is timed.
            long warmStart = Stopwatch.GetTimestamp();
            for (int warm = 0; warm < 100 || Stopwatch.GetElapsedTime(warmStart).TotalSeconds < 1; warm++)
            {
                foreach (GemmDirectTiles plan in plans)
                {
                    Round(plan);
                }
            }

            for (int round = 0; round < Rounds; round++)
            {
                for (int p = 0; p < plans.Length; p++)
                {
                    double start = ThreadCpuTime.Seconds();
                    Round(plans[p]);
                    samples[p][round] = (ThreadCpuTime.Seconds() - start) / operands;
                }
            }

            double flops = 2.0 * s.M * s.N * s.K;
            double[] medians = [.. samples.Select(Median)];
            string Cell(double seconds) => $"{seconds * 1e6:0.0} µs, {flops / seconds / 1e9:0} GFLOP/s, {flops / seconds / 1e9 / peak * 100:0}%";
            output.WriteLine($"| {s.Name} | {s.M}×{s.N}×{s.K}{(s.TransA ? ", Aᵀ" : "")}{(s.TransB ? ", Bᵀ" : "")} | {Cell(medians[0])} | {Cell(medians[1])} | {medians[0] / medians[1]:0.00}x | {Kernels.ChooseGemmKernel<float>(s.TransA, s.TransB, s.M, s.N, s.K)}, {DefaultPlan()} |");
        }

        output.WriteLine();
        output.WriteLine($"float, one thread, the direct kernel; each shape cycles through {operands} distinct A, B and C; the median of {Rounds} rounds in thread CPU");
        output.WriteLine("time per call; ratio: the 6×2 plan's time over the 8×3 plan's. A transposed B is copied untransposed first (in both).");
    }

    /// <summary>The plan <see cref="GemmDirectTiles.Auto"/> takes for float at this machine's widest vector.</summary>
    private static GemmDirectTiles DefaultPlan() =>
        GemmCore.ResolveTiles<float>(GemmDirectTiles.Auto, GemmCore.VectorCount<float>(GemmWidth.Auto));

    private static float[] Fill(Random random, int length) =>
        [.. Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() - 0.5))];

    private static double Median(double[] samples)
    {
        double[] sorted = [.. samples];
        Array.Sort(sorted);
        return sorted[sorted.Length / 2];
    }
}
