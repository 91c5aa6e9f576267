using System.Diagnostics;
using System.Globalization;
using Graph.Bench.Benchmarks;
using Graph.Bench.Data;
using Graph.Bench.Numpy;
using Graph.Bench.Torch;
using Graph.Runtime;
using Graph.Samples.Chapter10;
using Graph.Samples.Chapter11;
using Graph.Samples.Mnist;

namespace Graph.Bench.Report;

/// <summary>µs per step: wall-clock, and the CPU time of the thread that computed it (NaN where not measured).</summary>
public readonly record struct Timing(double Wall, double Cpu)
{
    /// <summary>Not measured.</summary>
    public static Timing None { get; } = new(double.NaN, double.NaN);
}

/// <summary>
/// The table of the six networks' training steps (N1-N6, float, µs per step) in one run: the book's numpy code (float32
/// and the book's own float64, one BLAS thread), TorchSharp (one thread) and Graph at each thread count asked for, the
/// ratios, the share of the FMA peak the step's products reach, and which targets are met.
/// </summary>
/// <remarks>
/// Graph's thread counts, TorchSharp and numpy (in a process of its own per dtype, which runs its rounds when asked) are
/// timed in interleaved rounds (round after round of each, a fixed number of steps per round), so that the other
/// processes of a shared machine, and the machine's own drift in speed, weigh on all of them alike; each figure is the
/// median round.
/// </remarks>
public static class StepTable
{
    /// <summary>The MNIST training images the CNN cycles through in batches of 128 (and N2-N4 use the first 100 of).</summary>
    private const int MnistRecords = 1000;

    /// <summary>The IMDB reviews the sentiment step cycles through.</summary>
    private const int Reviews = 2000;

    /// <summary>Runs and prints the table: every network, or those whose ids <paramref name="nets"/> names.</summary>
    public static void Run(TextWriter output, IReadOnlyList<int> threadCounts, double seconds, IReadOnlySet<string>? nets = null)
    {
        double peak = PeakProbe.Measure(out string peakWidth);
        output.WriteLine($"FMA peak of one core: {peak:0.0} GFLOP/s ({peakWidth}, 12 independent chains, best of 50 calls)");

        var (mnist, corpus, reviews, vocabulary) = LoadData();
        using NumpyBaseline? numpy = NumpyBaseline.Start(out string numpyMissing);
        numpy?.WriteData(mnist, reviews, corpus.Labels, vocabulary);
        output.WriteLine(numpy is null ? $"numpy: not run: {numpyMissing}" : $"numpy: {numpy.Blas} (OPENBLAS_NUM_THREADS=1)");
        output.WriteLine();

        var rows = new List<Row>();
        foreach (NetCase net in Cases(mnist, corpus, reviews, vocabulary, TorchRuntime.IsAvailable).Where(n => nets is null || nets.Contains(n.Id)))
        {
            output.WriteLine($"{net.Id} {net.Description} ...");
            var configs = threadCounts.Select(t => (TimedConfig)new LocalSteps($"Graph {t}t", net.Graph, () => Parallelism.Threads = t)).ToList();
            LocalSteps? torchSteps = net.Torch is null ? null : new LocalSteps("TorchSharp", net.Torch, () => Parallelism.Threads = 1);
            if (torchSteps is not null)
            {
                configs.Add(torchSteps);
            }

            // numpy's rounds come between Graph's and TorchSharp's, so that all of them see the machine alike.
            string f32Error = "", f64Error = "";
            using NumpySteps? f32 = numpy is null ? null : numpy.Open(net.Id, "float32", 1, out f32Error);
            using NumpySteps? f64 = numpy is null ? null : numpy.Open(net.Id, "float64", 1, out f64Error);
            configs.AddRange(new[] { f32, f64 }.OfType<NumpySteps>());
            foreach (string error in new[] { f32Error, f64Error }.Where(e => e.Length > 0).Distinct())
            {
                output.WriteLine($"  numpy {net.Id}: {error}");
            }

            Timing[] medians = Interleaved(configs, seconds * configs.Count);
            net.Release();
            Timing Of(TimedConfig? config) => config is null ? Timing.None : medians[configs.IndexOf(config)];
            var products = threadCounts.Select(t => ProductRate(net.Products, t)).ToArray();
            rows.Add(new Row(net.Id, net.Description, Of(f32), Of(f64), Of(torchSteps), medians[..threadCounts.Count], products));
        }

        output.WriteLine();
        Print(output, rows, threadCounts, peak);
    }

    /// <summary>Prints the table, the products' share of the peak, and the targets.</summary>
    private static void Print(TextWriter output, List<Row> rows, IReadOnlyList<int> threadCounts, double peak)
    {
        string threads = string.Join(" | ", threadCounts.Select(t => $"Graph {t}t"));
        output.WriteLine($"| net | numpy f32 | numpy f64 | TorchSharp | {threads} | Graph 1t vs numpy f32 / f64 | Graph 1t vs TorchSharp | {string.Join(" | ", threadCounts.Skip(1).Select(t => $"{t}t vs 1t"))} | products, % of peak ({string.Join(", ", threadCounts.Select(t => $"{t}t"))}) |");
        output.WriteLine($"|---|---:|---:|---:|{string.Concat(threadCounts.Select(_ => "---:|"))}---:|---:|{string.Concat(threadCounts.Skip(1).Select(_ => "---:|"))}---:|");
        foreach (Row row in rows)
        {
            double one = row.Graph[0].Wall;
            output.WriteLine($"| {row.Id} {row.Description} | {Micro(row.NumpyFloat.Wall)} | {Micro(row.NumpyDouble.Wall)} | {Micro(row.Torch.Wall)} | " +
                $"{string.Join(" | ", row.Graph.Select(g => Micro(g.Wall)))} | {Ratio(row.NumpyFloat.Wall / one)} / {Ratio(row.NumpyDouble.Wall / one)} | {Ratio(row.Torch.Wall / one)} | " +
                $"{string.Concat(row.Graph.Skip(1).Select(g => $"{Ratio(one / g.Wall)} | "))}" +
                $"{string.Join(", ", row.Products.Select(p => $"{p / peak * 100:0}%"))} |");
        }

        output.WriteLine();
        output.WriteLine("µs per training step, float (numpy also in the book's float64), wall-clock, median of interleaved rounds. Products: the");
        output.WriteLine("step's GEMM calls timed alone with its shapes, total flops over total time, as a share of the FMA peak of one core (per core");
        output.WriteLine("at 2t and up). The flops count every element of A, the zeros that the kernel skips too (the images' blank pixels in");
        output.WriteLine("N3's and N4's x·W01 and xᵀ·dH), so a step whose products skip zeros can pass 100%.");
        output.WriteLine();
        output.WriteLine("The one-thread columns again as the CPU time the computing thread used (µs per step, median round): on a machine shared");
        output.WriteLine("with other work this leaves out the time the thread waited for a core, so it is what an idle machine's wall-clock would show.");
        output.WriteLine();
        output.WriteLine("| net | numpy f32 | numpy f64 | TorchSharp | Graph 1t | Graph 1t vs numpy f32 / f64 | Graph 1t vs TorchSharp |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (Row row in rows)
        {
            double one = row.Graph[0].Cpu;
            output.WriteLine($"| {row.Id} | {Micro(row.NumpyFloat.Cpu)} | {Micro(row.NumpyDouble.Cpu)} | {Micro(row.Torch.Cpu)} | {Micro(one)} | " +
                $"{Ratio(row.NumpyFloat.Cpu / one)} / {Ratio(row.NumpyDouble.Cpu / one)} | {Ratio(row.Torch.Cpu / one)} |");
        }

        output.WriteLine();
        output.WriteLine("Targets (issue 11), one thread unless said; wall-clock ratio (CPU-time ratio):");
        Row? Get(string id) => rows.SingleOrDefault(r => r.Id == id);
        void Target(string what, Func<Row, Timing> other, string id, double goal)
        {
            if (Get(id) is not { } row)
            {
                output.WriteLine($"- {what}: {id} not run");
                return;
            }

            double wall = other(row).Wall / row.Graph[0].Wall, cpu = other(row).Cpu / row.Graph[0].Cpu;
            output.WriteLine($"- {what}: {Ratio(wall)} ({Ratio(cpu)}) — {Verdict(wall, goal)} ({Verdict(cpu, goal)} by CPU time)");
        }

        foreach (string id in new[] { "N3", "N4" })
        {
            Target($"{id} ≥ 2x numpy f32", r => r.NumpyFloat, id, 2);
            Target($"{id} ≥ 2x numpy f64 (the book's dtype)", r => r.NumpyDouble, id, 2);
            Target($"{id} ≥ 3x TorchSharp", r => r.Torch, id, 3);
        }

        Target("N5 ≥ 10x numpy f32", r => r.NumpyFloat, "N5", 10);
        Target("N5 ≥ 10x numpy f64 (the book's dtype)", r => r.NumpyDouble, "N5", 10);
        Target("N5 ≥ 5x TorchSharp", r => r.Torch, "N5", 5);
        Target("N2 ≥ 10x numpy f32", r => r.NumpyFloat, "N2", 10);
        Target("N2 ≥ 10x numpy f64 (the book's dtype)", r => r.NumpyDouble, "N2", 10);
        int two = threadCounts.ToList().IndexOf(2);
        if (two > 0)
        {
            foreach (string id in new[] { "N3", "N4", "N5" }.Where(id => Get(id) is not null))
            {
                double speedup = Get(id)!.Graph[0].Wall / Get(id)!.Graph[two].Wall;
                output.WriteLine($"- {id} at 2 threads ≥ 1.7x its 1-thread speed (wall-clock): {Ratio(speedup)} — {Verdict(speedup, 1.7)}");
            }
        }
    }

    internal static string Verdict(double ratio, double goal) =>
        double.IsNaN(ratio) ? "not measured" : ratio >= goal ? "met" : $"missed ({Ratio(goal)} wanted)";

    /// <summary>The records the networks step through: MNIST's first images, the IMDB corpus, its first reviews as word indices and the vocabulary's size.</summary>
    internal static (MnistSet<float> Mnist, ImdbCorpus Corpus, int[][] Reviews, int Vocabulary) LoadData()
    {
        var mnist = MnistSet<float>.Load(MnistRecords);
        var corpus = ImdbCorpus.Load();
        var (vocabulary, allReviews) = SentimentTraining.Prepare(corpus);
        return (mnist, corpus, allReviews.Take(Reviews).ToArray(), vocabulary.Count);
    }

    /// <summary>The six networks, each with its Graph step, its TorchSharp step (with <paramref name="torch"/>, where TorchSharp loads) and its products.</summary>
    internal static IEnumerable<NetCase> Cases(MnistSet<float> mnist, ImdbCorpus corpus, int[][] reviews, int vocabulary, bool torch)
    {
        foreach (NetworkBenchmark benchmark in NetworkBenchmark.All())
        {
            benchmark.Setup();
            NetworkSpec spec = benchmark.Spec;
            yield return new NetCase(spec.Id, spec.Description, () => benchmark.GraphStep(),
                torch && TorchRuntime.IsAvailable ? benchmark.TorchSharpStep : null, MlpProducts(spec), benchmark.Cleanup,
                profile => benchmark.GraphModel.Profile = profile);
        }

        yield return Convolution(mnist, torch);
        yield return Sentiment(corpus, reviews, vocabulary, torch);
    }

    /// <summary>N5: chapter 10's CNN at batch 128 over the first 1,000 images (27 × 27 crops), as the samples train it.</summary>
    private static NetCase Convolution(MnistSet<float> mnist, bool withTorch)
    {
        const int batch = 128;
        var data = mnist.Cropped(27);
        var network = new MnistConvolutionNetwork<float>(1);
        float rate = 2f / batch;
        int batches = MnistRecords / batch, next = 0;
        void Step()
        {
            network.TrainStep(data.TrainImage(next * batch, batch), data.TrainLabel(next * batch, batch), rate, batch);
            next = next + 1 == batches ? 0 : next + 1;
        }

        TorchCnnTrainer? torch = withTorch && TorchRuntime.IsAvailable
            ? new TorchCnnTrainer(data.TrainImage(0, batches * batch).ToArray(), data.TrainClasses.Take(batches * batch).Select(c => (long)c).ToArray(), batch, rate)
            : null;
        int positions = 625 * batch;

        // The convolution and its kernels' gradient as the step computes them: from the first batch's images in place.
        var random = new Random(5);
        float[] Fill(int length) => Enumerable.Range(0, length).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        float[] images = data.TrainImage(0, batch).ToArray(), kernels = Fill(144), gradient = Fill(positions * 16);
        float[] convolution = new float[positions * 16], kernelGradient = new float[144];
        float[] mask = Fill(batch * 10000), hidden = Fill(batch * 10000), outputGradient = Fill(batch * 10), weights = Fill(100000);
        double convolutionFlops = 2.0 * positions * 16 * 9;
        var products = new List<Product>
        {
            new("conv from the images [positions×9]·[9×16]", convolutionFlops, () => Kernels.Convolve<float>(images, kernels, convolution, batch, 27, 27, 1, 3, 3, 16)),
            Product.Gemm("h·W12", false, false, batch, 10, 10000),
            new("dY·W12ᵀ handed to dH·mask·(1−h²)", 2.0 * batch * 10000 * 10, () =>
            {
                var derivative = new TanhDerivativeConsumer { Mask = mask, Hidden = hidden, Gradient = gradient };
                Kernels.GemmInto<float, TanhDerivativeConsumer>(true, batch, 10000, 10, outputGradient, 10, weights, 10, ref derivative);
            }),
            Product.SgdStep("W12 -= α·hᵀ·dY", true, false, 10000, 10, batch),
            new("kernels' gradient from the images [9×positions]·[positions×16]", convolutionFlops, () => Kernels.ConvolutionKernelGradient<float>(images, gradient, kernelGradient, batch, 27, 27, 1, 3, 3, 16)),
        };
        return new NetCase("N5", $"chapter 10 CNN, batch {batch}", Step, torch is null ? null : torch.Step, products, () => torch?.Dispose(),
            profile => network.Profile = profile);
    }

    /// <summary>N6: chapter 11's sentiment network, one review per step over the first reviews, the full vocabulary.</summary>
    private static NetCase Sentiment(ImdbCorpus corpus, int[][] reviews, int vocabulary, bool withTorch)
    {
        var network = new SentimentNetwork<float>(1, vocabulary, 100);
        float[][] labels = [[0f], [1f]];
        int next = 0;
        void Step()
        {
            network.TrainStep(reviews[next], labels[corpus.Labels[next]], 0.01f);
            next = next + 1 == reviews.Length ? 0 : next + 1;
        }

        TorchSentimentTrainer? torch = withTorch && TorchRuntime.IsAvailable ? new TorchSentimentTrainer(reviews, corpus.Labels, vocabulary, 100, 0.01) : null;
        var products = new List<Product>
        {
            Product.Gemm("h·W12", false, false, 1, 1, 100),
            Product.Gemm("dY·W12ᵀ", false, true, 1, 100, 1),
            Product.SgdStep("W12 -= α·hᵀ·dY", true, false, 100, 1, 1),
        };
        return new NetCase("N6", "chapter 11 sentiment, batch 1", Step, torch is null ? null : torch.Step, products, () => torch?.Dispose(),
            profile => network.Profile = profile);
    }

    /// <summary>The five products of a two-layer perceptron's step, as the generated TrainStep calls them.</summary>
    private static List<Product> MlpProducts(NetworkSpec spec)
    {
        int b = spec.Batch, n = spec.Inputs, h = spec.Hidden, o = spec.Outputs;
        float[] x = BenchData.ForSpec(spec).InputBatch(0, b).ToArray();
        return
        [
            Product.Gemm("x·W01", false, false, b, h, n, x),
            Product.Gemm("h·W12", false, false, b, o, h),
            Product.Gemm("dY·W12ᵀ", false, true, b, h, o),
            Product.SgdStep("W12 -= α·hᵀ·dY", true, false, h, o, b),
            Product.SgdStep("W01 -= α·xᵀ·dH", true, false, n, h, b, x),
        ];
    }

    /// <summary>The GFLOP/s of a step's products together at <paramref name="threads"/> threads: each timed alone
    /// (median of repeated calls), total flops over total time.</summary>
    private static double ProductRate(IReadOnlyList<Product> products, int threads)
    {
        Parallelism.Threads = threads;
        double flops = 0, seconds = 0;
        foreach (Product product in products)
        {
            long warm = Stopwatch.GetTimestamp();
            for (int i = 0; i < 60 || Stopwatch.GetElapsedTime(warm).TotalSeconds < 0.2; i++)
            {
                product.Call();
            }

            int calls = (int)Math.Clamp(2e7 / product.Flops, 3, 20000);
            var samples = new double[15];
            for (int s = 0; s < samples.Length; s++)
            {
                long start = Stopwatch.GetTimestamp();
                for (int c = 0; c < calls; c++)
                {
                    product.Call();
                }

                samples[s] = Stopwatch.GetElapsedTime(start).TotalSeconds / calls;
            }

            Array.Sort(samples);
            flops += product.Flops;
            seconds += samples[samples.Length / 2];
        }

        Parallelism.Threads = 1;
        return flops / seconds / 1e9 / threads;
    }

    /// <summary>
    /// The median µs per step of each configuration, wall-clock and the CPU time of the thread that ran it, timed in
    /// interleaved rounds: after each configuration's warm-up, each round runs every configuration for its own fixed
    /// number of steps (about 1/20 of its share of the time), until <paramref name="seconds"/> pass (at least 5 rounds,
    /// at most 100).
    /// </summary>
    internal static Timing[] Interleaved(IReadOnlyList<TimedConfig> configs, double seconds)
    {
        int[] steps = [.. configs.Select(c => Math.Max(1, (int)(seconds / configs.Count / 20 / c.WarmUp())))];
        var rounds = configs.Select(_ => new List<Timing>()).ToArray();
        long begin = Stopwatch.GetTimestamp();
        while (rounds[0].Count < 5 || (Stopwatch.GetElapsedTime(begin).TotalSeconds < seconds && rounds[0].Count < 100))
        {
            for (int c = 0; c < configs.Count; c++)
            {
                rounds[c].Add(configs[c].Round(steps[c]));
            }
        }

        Parallelism.Threads = 1;
        return [.. rounds.Select(r => new Timing(Statistics.Median(r.Select(t => t.Wall)), Statistics.Median(r.Select(t => t.Cpu))))];
    }

    private static string Micro(double microseconds) =>
        double.IsNaN(microseconds) ? "n/a" : microseconds.ToString(microseconds < 10 ? "0.000" : microseconds < 1000 ? "0.0" : "#,0", CultureInfo.InvariantCulture);

    internal static string Ratio(double ratio) => double.IsNaN(ratio) ? "n/a" : $"{ratio:0.0#}x";

    /// <summary>One network of the table; <see cref="Profile"/> sets its Graph model's step profile.</summary>
    internal sealed record NetCase(string Id, string Description, Action Graph, Action? Torch, IReadOnlyList<Product> Products, Action Release, Action<StepProfile?> Profile);

    /// <summary>One network's results: µs per step, and the products' GFLOP/s per core at each thread count.</summary>
    private sealed record Row(string Id, string Description, Timing NumpyFloat, Timing NumpyDouble, Timing Torch, Timing[] Graph, double[] Products);

    /// <summary>A product of a step, callable alone with its shapes on arrays of its own.</summary>
    internal sealed record Product(string Name, double Flops, Action Call)
    {
        public static Product Gemm(string name, bool transA, bool transB, int m, int n, int k, float[]? a = null)
        {
            var (x, y, c) = Operands(m, n, k, a);
            return new(name, 2.0 * m * n * k, () => Kernels.Gemm<float>(transA, transB, m, n, k, x, transA ? m : k, y, transB ? k : n, c, n, false));
        }

        public static Product SgdStep(string name, bool transA, bool transB, int m, int n, int k, float[]? a = null)
        {
            var (x, y, c) = Operands(m, n, k, a);
            return new(name, 2.0 * m * n * k, () => Kernels.GemmSgdStep<float>(transA, transB, m, n, k, x, transA ? m : k, y, transB ? k : n, c, n, 1e-30f));
        }

        private static (float[] A, float[] B, float[] C) Operands(int m, int n, int k, float[]? a)
        {
            var random = new Random(m + n + k);
            float[] Fill(int length) => Enumerable.Range(0, length).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
            return (a ?? Fill(m * k), Fill(k * n), Fill(m * n));
        }
    }
}
