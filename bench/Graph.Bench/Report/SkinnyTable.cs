using System.Diagnostics;
using Graph.Runtime;

namespace Graph.Bench.Report;

/// <summary>
/// Two ways of running the direct GEMM kernel side by side on the networks' products, float, one thread, as GFLOP/s
/// and a share of the FMA peak: <c>skinny</c>, its two register-tile plans on the skinny products (a batch of 16 to
/// 128 rows against a weight matrix), <see cref="GemmDirectTiles.Rows6Vectors2"/> (6 rows × 2 vectors, the plan of the
/// 256-bit path) and <see cref="GemmDirectTiles.Rows8Vectors3"/> (up to 8 rows × 3 vectors, the 512-bit plan);
/// <c>tails</c>, its ways of computing the last n mod W columns on the products that have them,
/// <see cref="GemmDirectTail.PerRow"/> (one vector per row of C) and the one the shape gets
/// (<see cref="GemmDirectTail.Auto"/>: the transposed product when A is stored transposed, dot products along the
/// depth for a plain A); <c>prefetch</c>, the kernel without and with its prefetch of B (<see cref="GemmPrefetch"/>:
/// the first tile of each strip of columns asks for the strip's row 16 steps ahead of the one it reads) on the skinny
/// products, in the default plan.
/// </summary>
/// <remarks>
/// In the first table each call takes the next of <see cref="CycledOperands"/> distinct A, B and C, as a recurrent
/// step cycles through its weight matrices, so that B comes from the last-level cache (or memory) rather than from L1
/// or L2; the second table calls on one set, which stays in the caches it fits. A timing is the thread CPU time of
/// one round of calls over every operand set, per call, after a warm-up; the two ways are timed in alternating rounds
/// and each figure is the median round.
/// </remarks>
public static class SkinnyTable
{
    /// <summary>The distinct operand sets each shape cycles through in the first table (the second uses one).</summary>
    private const int CycledOperands = 8;

    /// <summary>The rounds per plan (alternating).</summary>
    private const int Rounds = 41;

    /// <summary>The tile plans compared by <c>skinny</c>.</summary>
    private static readonly (string Name, GemmOptions Options)[] Plans =
    [
        ("6×2", new GemmOptions(Kernel: GemmKernel.Direct, Tiles: GemmDirectTiles.Rows6Vectors2)),
        ("8×3", new GemmOptions(Kernel: GemmKernel.Direct, Tiles: GemmDirectTiles.Rows8Vectors3)),
    ];

    /// <summary>The ways of computing the last columns compared by <c>tails</c>.</summary>
    private static readonly (string Name, GemmOptions Options)[] Tails =
    [
        ("per row", new GemmOptions(Kernel: GemmKernel.Direct, Tail: GemmDirectTail.PerRow)),
        ("by shape", new GemmOptions(Kernel: GemmKernel.Direct, Tail: GemmDirectTail.Auto)),
    ];

    /// <summary>The prefetch of B compared by <c>prefetch</c>: never, and where the kernel does it.</summary>
    private static readonly (string Name, GemmOptions Options)[] Prefetches =
    [
        ("no prefetch", new GemmOptions(Kernel: GemmKernel.Direct, Prefetch: GemmPrefetch.Never)),
        ("prefetch", new GemmOptions(Kernel: GemmKernel.Direct, Prefetch: GemmPrefetch.Auto)),
    ];

    /// <summary>The products of <c>tails</c>: those whose n is not a multiple of the vector width.</summary>
    private static readonly (string Name, bool TransA, bool TransB, int M, int N, int K)[] TailShapes =
    [
        ("N3 x·W01, batch 100", false, false, 100, 100, 784),
        ("N3 xᵀ·dH, batch 100", true, false, 784, 100, 100),
        ("N3 hᵀ·dY, batch 100", true, false, 100, 10, 100),
        ("N3 h·W12, batch 100", false, false, 100, 10, 100),
        ("N5 W12 grad", true, false, 10000, 10, 128),
        ("batch 16 · W01", false, false, 16, 100, 784),
        ("batch 128 · W01", false, false, 128, 100, 784),
        ("batch 128, xᵀ·dH", true, false, 784, 100, 128),
    ];

    /// <summary>Runs and prints the tile plans' tables: the operands cycled, as in a step, then one set of operands (in cache).</summary>
    public static void Run(TextWriter output) => Run(output, Plans, SkinnyShapes(), "Auto's plan", DefaultPlan().ToString());

    /// <summary>Runs and prints the prefetch's tables, as <see cref="Run(TextWriter)"/>.</summary>
    public static void RunPrefetch(TextWriter output) => Run(output, Prefetches, SkinnyShapes(), "Auto's plan", DefaultPlan().ToString());

    /// <summary>Runs and prints the last columns' tables, as <see cref="Run(TextWriter)"/>.</summary>
    public static void RunTails(TextWriter output) => Run(output, Tails, TailShapes, "by shape at this width", null);

    private static void Run(TextWriter output, (string Name, GemmOptions Options)[] ways,
        (string Name, bool TransA, bool TransB, int M, int N, int K)[] shapes, string choiceHeader, string? plan)
    {
        double peak = PeakProbe.Measure(out string width);
        output.WriteLine($"FMA peak of one core: {peak:0.0} GFLOP/s ({width})");
        output.WriteLine();
        Table(output, peak, CycledOperands, ways, shapes, choiceHeader, plan);
        output.WriteLine();
        Table(output, peak, 1, ways, shapes, choiceHeader, plan);
        output.WriteLine($"- load average (1, 5, 15 min) at the end: {MachineInfo.LoadAverage()}");
    }

    private static (string Name, bool TransA, bool TransB, int M, int N, int K)[] SkinnyShapes() =>
        new (string Name, bool TransA, bool TransB, int M, int N, int K)[]
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

    private static void Table(TextWriter output, double peak, int operands, (string Name, GemmOptions Options)[] ways,
        (string Name, bool TransA, bool TransB, int M, int N, int K)[] shapes, string choiceHeader, string? plan)
    {
        output.WriteLine($"| product | m×n×k | {string.Join(" | ", ways.Select(w => w.Name))} | ratio | Auto's kernel, {choiceHeader} |");
        output.WriteLine("|---|---|---:|---:|---:|---|");
        var random = new Random(1);
        Parallelism.Threads = 1;
        foreach (var s in shapes)
        {
            int lda = s.TransA ? s.M : s.K, ldb = s.TransB ? s.K : s.N;
            float[][] a = [.. Enumerable.Range(0, operands).Select(_ => Fill(random, s.M * s.K))];
            float[][] b = [.. Enumerable.Range(0, operands).Select(_ => Fill(random, s.K * s.N))];
            float[][] c = [.. Enumerable.Range(0, operands).Select(_ => new float[s.M * s.N])];
            void Round(GemmOptions options)
            {
                for (int i = 0; i < operands; i++)
                {
                    Kernels.Gemm<float>(s.TransA, s.TransB, s.M, s.N, s.K, a[i], lda, b[i], ldb, c[i], s.N, false, options);
                }
            }

            var samples = ways.Select(_ => new double[Rounds]).ToArray();

            // At least 100 rounds and half a second of each plan, so that tiered compilation has replaced every
            // method the calls run with its optimised code before anything is timed.
            long warmStart = Stopwatch.GetTimestamp();
            for (int warm = 0; warm < 100 || Stopwatch.GetElapsedTime(warmStart).TotalSeconds < 1; warm++)
            {
                foreach (var way in ways)
                {
                    Round(way.Options);
                }
            }

            for (int round = 0; round < Rounds; round++)
            {
                for (int p = 0; p < ways.Length; p++)
                {
                    double start = ThreadCpuTime.Seconds();
                    Round(ways[p].Options);
                    samples[p][round] = (ThreadCpuTime.Seconds() - start) / operands;
                }
            }

            double flops = 2.0 * s.M * s.N * s.K;
            double[] medians = [.. samples.Select(Statistics.Median)];
            string Cell(double seconds) => $"{seconds * 1e6:0.0} µs, {flops / seconds / 1e9:0} GFLOP/s, {flops / seconds / 1e9 / peak * 100:0}%";
            output.WriteLine($"| {s.Name} | {s.M}×{s.N}×{s.K}{(s.TransA ? ", Aᵀ" : "")}{(s.TransB ? ", Bᵀ" : "")} | {Cell(medians[0])} | {Cell(medians[1])} | {medians[0] / medians[1]:0.00}x | {Kernels.ChooseGemmKernel<float>(s.TransA, s.TransB, s.M, s.N, s.K)}, {plan ?? TailChoice(s.TransA, s.M, s.N, s.K)} |");
        }

        output.WriteLine();
        output.WriteLine($"float, one thread, the direct kernel; each shape cycles through {operands} distinct A, B and C; the median of {Rounds} rounds in thread CPU");
        output.WriteLine($"time per call; ratio: the {ways[0].Name} time over the {ways[1].Name} time. A transposed B is copied untransposed first (in both).");
    }

    /// <summary>The plan <see cref="GemmDirectTiles.Auto"/> takes for float at this machine's widest vector.</summary>
    private static GemmDirectTiles DefaultPlan() =>
        GemmCore.ResolveTiles<float>(GemmDirectTiles.Auto, GemmCore.VectorCount<float>(GemmWidth.Auto));

    /// <summary>How <see cref="GemmDirectTail.Auto"/> computes the last columns of this float shape at this machine's widest vector.</summary>
    private static string TailChoice(bool transA, int m, int n, int k)
    {
        int width = GemmCore.VectorCount<float>(GemmWidth.Auto);
        return n % width == 0 ? "no last columns" : GemmCore.ChooseTail<float>(GemmDirectTail.Auto, transA, m, n % width, k, width).ToString();
    }

    private static float[] Fill(Random random, int length) =>
        [.. Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() - 0.5))];
}
