using System.Diagnostics;
using System.Globalization;
using Graph.Runtime;

namespace Graph.Bench.Report;

/// <summary>
/// What a second thread costs and gains on this machine, apart from any network: the core-to-core round trip of a
/// cache line, reading a buffer the other core has just written, an empty two-part call on the runtime's worker pool,
/// N3's two large products (the forward <c>x·W01</c>, by the kernel the runtime picks and by row bands, and the update
/// of <c>W01</c> from <c>xᵀ·dH</c>) each alone and one after the other as a step runs them, and the CNN's
/// numpy-stream dropout mask (and the skip over its words that a later part of a split mask makes), each at one and two threads in alternating rounds (median of the rounds' medians,
/// wall-clock).
/// </summary>
public static class ThreadCosts
{
    private const int Rounds = 5;

    public static void Run(TextWriter output)
    {
        output.WriteLine($"core-to-core round trip of a cache line: {CoreRoundTrip.Measure()}");
        output.WriteLine($"N3's hidden layer (100×100 floats) read: {CoreHandoff.Measure(40_000)}");
        output.WriteLine($"N3's W01 (784×100 floats) read: {CoreHandoff.Measure(313_600)}");
        output.WriteLine($"an empty call of two parts on the worker pool, two threads: {EmptyCall():0} ns");
        output.WriteLine();

        var random = new Random(3);
        float[] x = Filled(100 * 784, () => random.Next(4) == 0 ? (float)random.NextDouble() : 0f);
        float[] w = Filled(784 * 100, () => (float)random.NextDouble() * 0.1f);
        float[] h = new float[100 * 100];
        float[] dh = Filled(100 * 100, () => (float)random.NextDouble() * 0.01f);
        float[] mask = new float[128 * 10000];
        var stream = new NumpyRandom(1);
        var rowBands = new GemmOptions(Kernel: GemmKernel.Direct);
        void Forward() => Kernels.Gemm<float>(false, false, 100, 100, 784, x, 784, w, 100, h, 100, false);
        void ForwardByRows() => Kernels.Gemm<float>(false, false, 100, 100, 784, x, 784, w, 100, h, 100, false, rowBands);
        void Update() => Kernels.GemmSgdStep<float>(true, false, 784, 100, 100, x, 784, dh, 100, w, 100, 0f);

        output.WriteLine("| work | 1 thread | 2 threads | 2 vs 1 |");
        output.WriteLine("|---|---:|---:|---:|");
        Row(output, $"N3 x·W01 [100×784]·[784×100] ({Kernels.ChooseGemmKernel<float>(false, false, 100, 100, 784)}, the default)", Forward);
        Row(output, "N3 x·W01 by row bands (Direct)", ForwardByRows);
        Row(output, "N3 W01 -= α·xᵀ·dH [784×100]·[100×100]", Update);
        Row(output, "the two in turn, as a step runs them", () =>
        {
            Forward();
            Update();
        });
        Row(output, "the two in turn, x·W01 by row bands", () =>
        {
            ForwardByRows();
            Update();
        });
        Row(output, "numpy-stream dropout mask, 1.28M floats (the CNN's)", () => Kernels.DropoutMask<float>(mask, 0.5, stream));
        uint[] state = new uint[MersenneTwister.StateLength];
        int next = stream.Generator.SaveState(state);
        Row(output, "the same 1.28M words skipped (twisted, not tempered: a later part of a split mask)", () => next = MersenneTwister.Skip(state, next, mask.Length));
        output.WriteLine();
        output.WriteLine("µs per call, wall-clock, median of the rounds' medians (rounds alternate the thread counts).");
        output.WriteLine($"core-to-core round trip at the end: {CoreRoundTrip.Measure()}");
    }

    private static float[] Filled(int length, Func<float> value)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = value();
        }

        return values;
    }

    private static void Row(TextWriter output, string name, Action action)
    {
        var medians = new Dictionary<int, List<double>> { [1] = [], [2] = [] };
        for (int round = 0; round < Rounds; round++)
        {
            foreach (int threads in new[] { 1, 2 })
            {
                Parallelism.Threads = threads;
                medians[threads].Add(Median(action));
            }
        }

        double one = Statistics.Median(medians[1]), two = Statistics.Median(medians[2]);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {one:0.0} | {two:0.0} | {one / two:0.00}x |"));
    }

    /// <summary>The median time of one call over about 0.3 s of calls, after a few calls to warm up.</summary>
    private static double Median(Action action)
    {
        for (int i = 0; i < 5; i++)
        {
            action();
        }

        var times = new List<double>();
        long start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start).TotalSeconds < 0.3)
        {
            long call = Stopwatch.GetTimestamp();
            action();
            times.Add(Stopwatch.GetElapsedTime(call).TotalMicroseconds);
        }

        return Statistics.Median(times);
    }

    /// <summary>Nanoseconds per empty two-part call of <see cref="ParallelLoop"/> on two threads.</summary>
    private static double EmptyCall()
    {
        Parallelism.Threads = 2;
        var loop = default(NothingLoop);
        for (int i = 0; i < 1000; i++)
        {
            ParallelLoop.Run(ref loop, 2, 1 << 20);
        }

        var runs = new List<double>();
        for (int run = 0; run < 9; run++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < 10_000; i++)
            {
                ParallelLoop.Run(ref loop, 2, 1 << 20);
            }

            runs.Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / 10_000);
        }

        Parallelism.Threads = 1;
        return Statistics.Median(runs);
    }

    /// <summary>A loop whose items do nothing: what remains is the pool's own cost.</summary>
    private struct NothingLoop : IParallelLoop
    {
        public readonly void Run(int start, int end)
        {
        }
    }
}
