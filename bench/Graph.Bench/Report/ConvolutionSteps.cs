using System.Diagnostics;
using System.Numerics;
using Graph.Bench.Torch;
using Graph.Runtime;
using Graph.Samples.Chapter10;
using Graph.Samples.Mnist;

namespace Graph.Bench.Report;

/// <summary>
/// Stopwatch timings of chapter 10's compiled CNN training step (16 kernels of 3 × 3 over 27 × 27 images, tanh,
/// dropout, 10,000-10 softmax) at batch 128 on the first 1,000 MNIST training images, float and double, and of the
/// runtime calls the float step makes, each timed alone with the step's shapes (and, for comparison, the im2col rows
/// and GEMMs that the direct convolution's two kernels replace); next to the same network in TorchSharp
/// (<see cref="TorchCnn"/>) on the same batches, where TorchSharp loads.
/// </summary>
public static class ConvolutionSteps
{
    private const int Batch = 128;

    /// <summary>The timed passes over the batches whose median is a step's time: seven gave steps from 4.45 to 5.38 ms in
    /// four runs of one build.</summary>
    private const int StepPasses = 31;

    public static void Run(TextWriter output)
    {
        double graph = Step<float>(output);
        Step<double>(output);
        Torch(output, graph);
        Parts(output);
    }

    private static void Torch(TextWriter output, double graphMicroseconds)
    {
        if (!TorchRuntime.IsAvailable)
        {
            output.WriteLine($"TorchSharp not run: {TorchRuntime.Status}");
            return;
        }

        var data = MnistSet<float>.Load(1000).Cropped(27);
        long[] classes = data.TrainClasses.Take(1000).Select(c => (long)c).ToArray();
        using var trainer = new TorchCnnTrainer(data.TrainImage(0, 1000).ToArray(), classes, Batch, 2.0 / Batch);
        void Epoch()
        {
            for (int b = 0; b < trainer.Batches; b++)
            {
                trainer.Step();
            }
        }

        WarmUp(Epoch, minimumCalls: 2, seconds: 1.5);
        double micro = Median(() => Epoch()) / trainer.Batches;
        output.WriteLine($"ch10 CNN step in TorchSharp (Single, batch {Batch}, one thread): {micro / 1000:0.00} ms per step; TorchSharp/Graph {micro / graphMicroseconds:0.00}x");
    }

    private static double Step<T>(TextWriter output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var data = MnistSet<T>.Load(1000).Cropped(27);
        var network = new MnistConvolutionNetwork<T>(1);
        var rate = T.CreateChecked(2.0 / Batch);
        int batches = 1000 / Batch;
        void Epoch()
        {
            for (int b = 0; b < batches; b++)
            {
                network.TrainStep(data.TrainImage(b * Batch, Batch), data.TrainLabel(b * Batch, Batch), rate, Batch);
            }
        }

        WarmUp(Epoch, minimumCalls: 10, seconds: 1.5);
        double micro = Median(() => Epoch(), StepPasses) / batches;
        output.WriteLine($"ch10 CNN TrainStep ({typeof(T).Name}, batch {Batch}): {micro / 1000:0.00} ms per step (median of {StepPasses} passes over {batches} batches, after 1.5 s of warm-up)");
        return micro;
    }

    private static void Parts(TextWriter output)
    {
        int positions = 625 * Batch;
        var random = NumpyRandom.FromSeed(1);
        float[] image = MnistSet<float>.Load(1000).Cropped(27).TrainImage(0, Batch).ToArray();
        float[] columns = new float[positions * 9], kernels = new float[144], hidden = new float[Batch * 10000], gradient = new float[Batch * 10000];
        float[] activated = new float[Batch * 10000], weights = new float[100000], outputs = new float[Batch * 10];
        Array.Fill(hidden, 0.25f);
        Array.Fill(outputs, 0.1f);
        var parts = new (string Name, Action Action)[]
        {
            ("convolution from the images (Kernels.Convolve, 128 MNIST images of 27×27, 16 kernels of 3×3)", () => Kernels.Convolve<float>(image, kernels, hidden, Batch, 27, 27, 1, 3, 3, 16)),
            ("tanh (Kernels.Tanh, 1.28M values)", () => Kernels.Tanh<float>(hidden, activated)),
            ("dropout mask (1.28M numpy randint draws)", () => Kernels.DropoutMask<float>(activated, 0.5, random)),
            ("GEMM h·W12 [128×10000]·[10000×10]", () => Kernels.Gemm<float>(false, false, Batch, 10, 10000, hidden, 10000, weights, 10, outputs, 10, false)),
            ("dY·W12ᵀ [128×10]·[10×10000] handed to dH·mask·(1−h²) (Kernels.GemmInto)", () =>
            {
                var derivative = new TanhDerivativeConsumer { Mask = activated, Hidden = hidden, Gradient = gradient };
                Kernels.GemmInto<float, TanhDerivativeConsumer>(true, Batch, 10000, 10, outputs, 10, weights, 10, ref derivative);
            }),
            ("of which: W12 copied untransposed (Kernels.Transpose, 10000×10)", () => Kernels.Transpose<float>(weights, gradient, 10000, 10, 1)),
            ("not in the step: GEMM dY·W12ᵀ [128×10]·[10×10000] stored", () => Kernels.Gemm<float>(false, true, Batch, 10000, 10, outputs, 10, weights, 10, activated, 10000, false)),
            ("fused SGD W12 -= α·hᵀ·dY [10000×128]·[128×10]", () => Kernels.GemmSgdStep<float>(true, false, 10000, 10, Batch, hidden, 10000, outputs, 10, weights, 10, 1e-30f)),
            ("kernel gradient from the images (Kernels.ConvolutionKernelGradient)", () => Kernels.ConvolutionKernelGradient<float>(image, hidden, kernels, Batch, 27, 27, 1, 3, 3, 16)),
            ("not in the step: im2col rows of the same images (3×3 windows)", () => Kernels.Im2Col<float>(image, columns, Batch, 27, 27, 1, 3, 3)),
            ("not in the step: GEMM conv on the rows [80000×9]·[9×16]", () => Kernels.Gemm<float>(false, false, positions, 16, 9, columns, 9, kernels, 16, hidden, 16, false)),
            ("not in the step: GEMM kernel gradient on the rows colsᵀ·dH [9×80000]·[80000×16]", () => Kernels.Gemm<float>(true, false, 9, 16, positions, columns, 9, hidden, 16, kernels, 16, false)),
        };
        foreach (var (name, action) in parts)
        {
            WarmUp(action, minimumCalls: 60, seconds: 0.5);
            output.WriteLine($"  {name}: {Median(action) / 1000:0.000} ms");
        }

        TestPassLogits(output);
    }

    /// <summary>
    /// The product that scores the test images, in double as the sample runs it: the hidden layer of 500 MNIST test
    /// images (exact zeros wherever a 3 × 3 window is blank, 60% of it, whatever the kernels) by W12.
    /// </summary>
    private static void TestPassLogits(TextWriter output)
    {
        const int images = 500;
        var random = NumpyRandom.FromSeed(1);
        double[] test = MnistSet<double>.Load(1000).Cropped(27).TestImages.AsSpan(0, images * 729).ToArray();
        double[] kernels = [.. Enumerable.Range(0, 144).Select(_ => (0.02 * random.RandomSample()) - 0.01)];
        double[] weights = [.. Enumerable.Range(0, 100000).Select(_ => (0.2 * random.RandomSample()) - 0.1)];
        double[] hidden = new double[images * 10000], logits = new double[images * 10];
        Kernels.ConvolveTanh<double>(test, kernels, hidden, images, 27, 27, 1, 3, 3, 16);
        double zeros = hidden.Count(value => value == 0) / (double)hidden.Length;
        void Action() => Kernels.Gemm<double>(false, false, images, 10, 10000, hidden, 10000, weights, 10, logits, 10, false);
        WarmUp(Action, minimumCalls: 20, seconds: 0.5);
        output.WriteLine($"  the test pass's logits, double: GEMM h·W12 [{images}×10000]·[10000×10] over {images} test images' hidden layer ({zeros:P0} zeros): {Median(Action) / 1000:0.000} ms");
    }

    /// <summary>
    /// Calls <paramref name="action"/> until tiered compilation has optimised what it runs: at least
    /// <paramref name="minimumCalls"/> calls and <paramref name="seconds"/> seconds. A kernel called once per step runs
    /// its first calls at tier 0 or in its on-stack-replaced loop (the 1.28M-value tanh took 1.8-4.0 ms in its first
    /// hundred calls, 0.8 ms after).
    /// </summary>
    private static void WarmUp(Action action, int minimumCalls, double seconds)
    {
        long start = Stopwatch.GetTimestamp();
        for (int calls = 0; calls < minimumCalls || Stopwatch.GetElapsedTime(start).TotalSeconds < seconds; calls++)
        {
            action();
        }
    }

    /// <summary>The median microseconds of <paramref name="calls"/> timed calls of <paramref name="action"/>.</summary>
    private static double Median(Action action, int calls = 7)
    {
        var samples = new double[calls];
        for (int i = 0; i < samples.Length; i++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
        }

        Array.Sort(samples);
        return samples[samples.Length / 2];
    }
}
