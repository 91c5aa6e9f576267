using System.Diagnostics;
using Graph.Runtime;
using Graph.Samples.Mnist;

namespace Graph.Bench.Report;

/// <summary>
/// <c>convolutions</c>: a convolution's forward product and kernels' gradient computed from the images
/// (<c>Kernels.Convolve</c>, <c>Kernels.ConvolutionKernelGradient</c>) against im2col and the two GEMMs on its rows,
/// float, one thread, on single-channel and multi-channel shapes: the evidence for the compiler's rule
/// (<c>DirectConvolution.Applies</c>: one channel, at most 25 taps). A training step forms the rows once and reads them
/// twice, so the im2col way's total is im2col + both GEMMs. Each figure is the median of 15 timed rounds after a
/// warm-up, the two ways alternating.
/// </summary>
public static class ConvolutionTable
{
    private const int Rounds = 15;

    /// <summary>The shapes: name, images, height, width, channels, kernel height and width, kernels, MNIST images or random.</summary>
    private static readonly (string Name, int Count, int Height, int Width, int Channels, int KernelHeight, int KernelWidth, int Kernels, bool Mnist)[] Shapes =
    [
        ("chapter 10: MNIST 27×27, 16 of 3×3", 128, 27, 27, 1, 3, 3, 16, true),
        ("MNIST 27×27, 8 of 3×3", 128, 27, 27, 1, 3, 3, 8, true),
        ("MNIST 27×27, 32 of 3×3", 128, 27, 27, 1, 3, 3, 32, true),
        ("dense 28×28, 16 of 4×3", 64, 28, 28, 1, 4, 3, 16, false),
        ("dense 28×28, 8 of 5×5", 64, 28, 28, 1, 5, 5, 8, false),
        ("dense 16×16×2, 16 of 3×3", 64, 16, 16, 2, 3, 3, 16, false),
        ("dense 16×16×3, 32 of 2×2", 64, 16, 16, 3, 2, 2, 32, false),
        ("dense 16×16×3, 32 of 3×3", 64, 16, 16, 3, 3, 3, 32, false),
    ];

    public static void Run(TextWriter output)
    {
        output.WriteLine("| shape | taps | im2col | GEMM forward | GEMM kernels' gradient | im2col way | Convolve | ConvolutionKernelGradient | from the images | im2col way / from the images |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var mnist = MnistSet<float>.Load(1000).Cropped(27);
        foreach (var shape in Shapes)
        {
            var random = new Random(5);
            int taps = shape.KernelHeight * shape.KernelWidth * shape.Channels;
            int positions = (shape.Height - shape.KernelHeight + 1) * (shape.Width - shape.KernelWidth + 1);
            float[] image = shape.Mnist
                ? mnist.TrainImage(0, shape.Count).ToArray()
                : Enumerable.Range(0, shape.Count * shape.Height * shape.Width * shape.Channels).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
            float[] kernels = Enumerable.Range(0, taps * shape.Kernels).Select(_ => ((float)random.NextDouble() * 0.02f) - 0.01f).ToArray();
            float[] gradient = Enumerable.Range(0, shape.Count * positions * shape.Kernels).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
            float[] columns = new float[shape.Count * positions * taps], result = new float[gradient.Length], kernelGradient = new float[kernels.Length];
            var ways = new Action[]
            {
                () => Kernels.Im2Col<float>(image, columns, shape.Count, shape.Height, shape.Width, shape.Channels, shape.KernelHeight, shape.KernelWidth),
                () => Kernels.Gemm<float>(false, false, shape.Count * positions, shape.Kernels, taps, columns, taps, kernels, shape.Kernels, result, shape.Kernels, false),
                () => Kernels.Gemm<float>(true, false, taps, shape.Kernels, shape.Count * positions, columns, taps, gradient, shape.Kernels, kernelGradient, shape.Kernels, false),
                () => Kernels.Convolve<float>(image, kernels, result, shape.Count, shape.Height, shape.Width, shape.Channels, shape.KernelHeight, shape.KernelWidth, shape.Kernels),
                () => Kernels.ConvolutionKernelGradient<float>(image, gradient, kernelGradient, shape.Count, shape.Height, shape.Width, shape.Channels, shape.KernelHeight, shape.KernelWidth, shape.Kernels),
            };
            double[] micro = Medians(ways);
            double rows = micro[0] + micro[1] + micro[2], direct = micro[3] + micro[4];
            output.WriteLine($"| {shape.Name} ({shape.Count} images) | {taps} | {micro[0]:0} | {micro[1]:0} | {micro[2]:0} | {rows:0} | {micro[3]:0} | {micro[4]:0} | {direct:0} | {rows / direct:0.00}x |");
        }

        output.WriteLine();
        output.WriteLine("µs per call, float, one thread (the thread's CPU time where Linux gives it; median of 15 rounds, each way once per round in turn).");
    }

    /// <summary>The median thread CPU time of each action over <see cref="Rounds"/> rounds that call each in turn, after a warm-up.</summary>
    private static double[] Medians(Action[] actions)
    {
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed.TotalSeconds < 0.5)
        {
            foreach (var action in actions)
            {
                action();
            }
        }

        var samples = actions.Select(_ => new double[Rounds]).ToArray();
        for (int round = 0; round < Rounds; round++)
        {
            for (int a = 0; a < actions.Length; a++)
            {
                samples[a][round] = Time(actions[a]);
            }
        }

        return samples.Select(s => s.Order().ElementAt(Rounds / 2)).ToArray();
    }

    /// <summary>The microseconds of one call: the thread's CPU time where the system gives it, else the wall clock.</summary>
    private static double Time(Action action)
    {
        if (ThreadCpuTime.IsAvailable)
        {
            double start = ThreadCpuTime.Seconds();
            action();
            return (ThreadCpuTime.Seconds() - start) * 1e6;
        }

        long begin = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(begin).TotalMicroseconds;
    }
}
