using Graph.Bench.Data;
using Graph.Runtime;

namespace Graph.Bench.Report;

/// <summary>
/// Stopwatch timings of the runtime's kernels on the networks' shapes: every product of N2-N5 with each GEMM kernel
/// (float, one thread, as a share of the FMA peak) and with the automatic choice on two threads; the dropout masks
/// (numpy's stream drawn one word at a time as before, in bulk, and Philox on one and two threads); im2col and tanh (float,
/// and double against Math.Tanh of each element).
/// </summary>
/// <remarks>
/// One-thread figures are the calling thread's CPU time (the best of repeated calls): on a shared machine that leaves
/// out the time spent waiting for a core. Two-thread figures are wall-clock (the median of repeated calls), the only
/// measure of a split; they are as good as the machine is idle.
/// </remarks>
public static class KernelTable
{
    /// <summary>Runs and prints the tables.</summary>
    public static void Run(TextWriter output)
    {
        double peak = PeakProbe.Measure(out string width);
        output.WriteLine($"FMA peak of one core: {peak:0.0} GFLOP/s ({width})");
        output.WriteLine();
        Products(output, peak);
        output.WriteLine();
        ImageProducts(output, peak);
        output.WriteLine();
        Masks(output);
    }

    private static void Products(TextWriter output, double peak)
    {
        var shapes = new (string Net, string Name, bool TransA, bool TransB, int M, int N, int K, bool Sgd)[]
        {
            ("N2", "x·W01", false, false, 1, 40, 784, false),
            ("N2", "W01 -= α·xᵀ·dH", true, false, 784, 40, 1, true),
            ("N3", "x·W01", false, false, 100, 100, 784, false),
            ("N3", "h·W12", false, false, 100, 10, 100, false),
            ("N3", "dY·W12ᵀ", false, true, 100, 100, 10, false),
            ("N3", "W12 -= α·hᵀ·dY", true, false, 100, 10, 100, true),
            ("N3", "W01 -= α·xᵀ·dH", true, false, 784, 100, 100, true),
            ("skinny", "batch 8 · W01", false, false, 8, 100, 784, false),
            ("skinny", "batch 32 · W01", false, false, 32, 100, 784, false),
            ("skinny", "batch 128 · W01", false, false, 128, 100, 784, false),
            ("N5", "conv [80000×9]·[9×16]", false, false, 80000, 16, 9, false),
            ("N5", "h·W12", false, false, 128, 10, 10000, false),
            ("N5", "dY·W12ᵀ", false, true, 128, 10000, 10, false),
            ("N5", "W12 -= α·hᵀ·dY", true, false, 10000, 10, 128, true),
            ("N5", "kernels -= α·colsᵀ·dH", true, false, 9, 16, 80000, true),
            ("N3", "x·W01 without the ragged columns", false, false, 96, 96, 784, false),
            ("square", "512³", false, false, 512, 512, 512, false),
        };
        GemmKernel[] kernels = [GemmKernel.Packed, GemmKernel.Direct, GemmKernel.SplitDepth, GemmKernel.RowByRow, GemmKernel.Auto];
        output.WriteLine($"| net | product (m×n×k) | {string.Join(" | ", kernels)} | Auto picks | Auto, 2 threads (wall) |");
        output.WriteLine($"|---|---|{string.Concat(kernels.Select(_ => "---:|"))}---|---:|");
        var random = new Random(1);
        foreach (var s in shapes)
        {
            float[] a = Enumerable.Range(0, s.M * s.K).Select(_ => (float)random.NextDouble()).ToArray();
            float[] b = Enumerable.Range(0, s.K * s.N).Select(_ => (float)random.NextDouble()).ToArray();
            float[] c = new float[s.M * s.N];
            int lda = s.TransA ? s.M : s.K, ldb = s.TransB ? s.K : s.N;
            double flops = 2.0 * s.M * s.N * s.K;
            Action Call(GemmKernel kernel) => s.Sgd
                ? () => Kernels.GemmSgdStep<float>(kernel, s.TransA, s.TransB, s.M, s.N, s.K, a, lda, b, ldb, c, s.N, 1e-30f)
                : () => Kernels.Gemm<float>(kernel, s.TransA, s.TransB, s.M, s.N, s.K, a, lda, b, ldb, c, s.N, false);
            int calls = (int)Math.Clamp(3e8 / flops, 5, 5000);
            Parallelism.Threads = 1;
            var cells = new List<string>();
            foreach (GemmKernel kernel in kernels)
            {
                bool applies = kernel != GemmKernel.RowByRow || s.M <= 8;
                double seconds = applies ? CallTimes.BestCpuSeconds(Call(kernel), calls) : double.NaN;
                cells.Add(applies ? $"{seconds * 1e6:0.0} µs, {flops / seconds / 1e9 / peak * 100:0}%" : "");
            }

            Parallelism.Threads = 2;
            double wall = CallTimes.MedianWallSeconds(Call(GemmKernel.Auto), calls);
            Parallelism.Threads = 1;
            output.WriteLine($"| {s.Net} | {s.Name} ({s.M}×{s.N}×{s.K}) | {string.Join(" | ", cells)} | {Kernels.ChooseGemmKernel<float>(s.TransA, s.TransB, s.M, s.N, s.K)} | {wall * 1e6:0.0} µs |");
        }

        output.WriteLine();
        output.WriteLine("float, one thread: the best of repeated calls in thread CPU time, and its share of the FMA peak (2mnk flops);");
        output.WriteLine("GemmSgdStep for the updates (Auto takes the outer product for a depth of 1). RowByRow only where C has few rows.");
    }

    /// <summary>
    /// N3's two products with the images (the forward product and the first layer's fused update), on the MNIST
    /// images where they are found, with the direct kernel skipping the images' zeros (<see cref="GemmZeros.Skip"/>)
    /// and multiplying every pixel (<see cref="GemmZeros.Dense"/>), and the automatic choice on two threads.
    /// </summary>
    private static void ImageProducts(TextWriter output, double peak)
    {
        var data = BenchData.Mnist(100, 1);
        float[] x = data.Inputs;
        int nonZeros = x.Count(v => v != 0);
        var random = new Random(2);
        float[] w = Enumerable.Range(0, 784 * 100).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        float[] dH = Enumerable.Range(0, 100 * 100).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        float[] h = new float[100 * 100];
        float[] updated = (float[])w.Clone();
        var products = new (string Name, Func<GemmOptions, Action> Call)[]
        {
            ("x·W01 (100×100×784)", o => () => Kernels.Gemm<float>(false, false, 100, 100, 784, x, 784, w, 100, h, 100, false, o)),
            ("W01 -= α·xᵀ·dH (784×100×100)", o => () => Kernels.GemmSgdStep<float>(true, false, 784, 100, 100, x, 784, dH, 100, updated, 100, 1e-30f, o)),
        };
        output.WriteLine($"N3's products with {data.Source} ({nonZeros * 100.0 / x.Length:0.0}% of the pixels nonzero):");
        output.WriteLine();
        output.WriteLine("| product | zeros skipped | dense | dense / skipped | Auto, 2 threads (wall) |");
        output.WriteLine("|---|---:|---:|---:|---:|");
        double flops = 2.0 * 100 * 100 * 784;
        foreach (var (name, call) in products)
        {
            Parallelism.Threads = 1;
            double skipped = CallTimes.BestCpuSeconds(call(new GemmOptions(Zeros: GemmZeros.Skip)), 500);
            double dense = CallTimes.BestCpuSeconds(call(new GemmOptions(Zeros: GemmZeros.Dense)), 500);
            Parallelism.Threads = 2;
            double wall = CallTimes.MedianWallSeconds(call(default), 500);
            Parallelism.Threads = 1;
            output.WriteLine($"| {name} | {skipped * 1e6:0.0} µs | {dense * 1e6:0.0} µs, {flops / dense / 1e9 / peak * 100:0}% | {dense / skipped:0.00}x | {wall * 1e6:0.0} µs |");
        }

        output.WriteLine();
        output.WriteLine("float, one thread, the best of repeated calls in thread CPU time; the share of the FMA peak counts every pixel's flops.");
    }

    private static void Masks(TextWriter output)
    {
        const int length = 1_280_000;
        var mask = new float[length];
        var numpy = NumpyRandom.FromSeed(1);
        var philox = new Philox4x32(1);
        Parallelism.Threads = 1;
        double scalar = CallTimes.BestCpuSeconds(() =>
        {
            // The mask as it was drawn before the bulk draws: one word at a time.
            for (int i = 0; i < mask.Length; i++)
            {
                mask[i] = (numpy.NextUInt32() & 1) * 2f;
            }
        }, 20);
        double bulk = CallTimes.BestCpuSeconds(() => Kernels.DropoutMask<float>(mask, 0.5, numpy), 20);
        double philoxOne = CallTimes.BestCpuSeconds(() => Kernels.DropoutMask<float>(mask, 0.5, philox), 20);
        Parallelism.Threads = 2;
        double philoxTwo = CallTimes.MedianWallSeconds(() => Kernels.DropoutMask<float>(mask, 0.5, philox), 20);
        Parallelism.Threads = 1;
        var image = Enumerable.Range(0, 128 * 729).Select(i => (float)(i % 7)).ToArray();
        var columns = new float[128 * 625 * 9];
        double im2col = CallTimes.BestCpuSeconds(() => Kernels.Im2Col<float>(image, columns, 128, 27, 27, 1, 3, 3), 20);
        Parallelism.Threads = 2;
        double im2colTwo = CallTimes.MedianWallSeconds(() => Kernels.Im2Col<float>(image, columns, 128, 27, 27, 1, 3, 3), 20);
        Parallelism.Threads = 1;
        var hidden = Enumerable.Range(0, length).Select(i => (float)((i % 97) - 48) / 16).ToArray();
        double tanh = CallTimes.BestCpuSeconds(() => Kernels.Tanh<float>(hidden, mask), 20);
        Parallelism.Threads = 2;
        double tanhTwo = CallTimes.MedianWallSeconds(() => Kernels.Tanh<float>(hidden, mask), 20);
        Parallelism.Threads = 1;
        var hiddenDouble = hidden.Select(v => (double)v).ToArray();
        var activatedDouble = new double[length];
        double tanhEach = CallTimes.BestCpuSeconds(() =>
        {
            // The double tanh as the runtime computed it before its vector lanes: Math.Tanh of each element.
            for (int i = 0; i < hiddenDouble.Length; i++)
            {
                activatedDouble[i] = Math.Tanh(hiddenDouble[i]);
            }
        }, 20);
        double tanhDouble = CallTimes.BestCpuSeconds(() => Kernels.Tanh<double>(hiddenDouble, activatedDouble), 20);
        Parallelism.Threads = 2;
        double tanhDoubleTwo = CallTimes.MedianWallSeconds(() => Kernels.Tanh<double>(hiddenDouble, activatedDouble), 20);
        Parallelism.Threads = 1;
        output.WriteLine("| kernel (the CNN's batch of 128) | one thread (CPU) | two threads (wall) |");
        output.WriteLine("|---|---:|---:|");
        output.WriteLine($"| dropout mask, 1.28M numpy randint(2) draws, one word at a time | {scalar * 1e3:0.000} ms | |");
        output.WriteLine($"| dropout mask, 1.28M numpy randint(2) draws, Kernels.DropoutMask (bulk, vectorised) | {bulk * 1e3:0.000} ms | |");
        output.WriteLine($"| dropout mask, 1.28M Philox4x32-10 words, Kernels.DropoutMask | {philoxOne * 1e3:0.000} ms | {philoxTwo * 1e3:0.000} ms |");
        output.WriteLine($"| im2col, 128 images of 27×27, 3×3 windows | {im2col * 1e3:0.000} ms | {im2colTwo * 1e3:0.000} ms |");
        output.WriteLine($"| tanh over the 1.28M hidden values (Kernels.Tanh) | {tanh * 1e3:0.000} ms | {tanhTwo * 1e3:0.000} ms |");
        output.WriteLine($"| tanh over the same values in double, Math.Tanh of each element | {tanhEach * 1e3:0.000} ms | |");
        output.WriteLine($"| tanh over the same values in double (Kernels.Tanh: {(DoubleTanh.IsSupported ? "vector lanes with Math.Tanh's bits" : "Math.Tanh of each element, the lanes not used here")}) | {tanhDouble * 1e3:0.000} ms | {tanhDoubleTwo * 1e3:0.000} ms |");
    }
}
