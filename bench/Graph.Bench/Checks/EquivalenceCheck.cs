using System.Diagnostics;
using Graph.Bench.Benchmarks;
using Graph.Bench.Data;
using Graph.Bench.Models;
using Graph.Bench.Naive;
using Graph.Bench.Torch;
using Graph.Runtime;

namespace Graph.Bench.Checks;

/// <summary>
/// Before anything is timed: one training step of each network from the same weights on the same batch, in Graph,
/// TorchSharp and the naive loops, must give the same loss and the same weight update (within float tolerance), so
/// that the timings compare the same computation. Dropout masks come from a copy of Graph's generator: Graph and
/// the naive loops draw the same mask, and TorchSharp multiplies by that mask in place of <c>nn.Dropout</c>.
/// </summary>
public static class EquivalenceCheck
{
    /// <summary>The largest relative difference of the loss accepted.</summary>
    public const double LossTolerance = 1e-4;

    /// <summary>The largest difference of a weight update, relative to the largest update, accepted.</summary>
    public const double UpdateTolerance = 1e-3;

    /// <summary>Runs the check for every network; prints one line each and returns whether all passed.</summary>
    public static bool Run(TextWriter output)
    {
        output.WriteLine("Sanity check: one step from the same weights and batch; loss and weight update compared with Graph's");
        output.WriteLine($"(pass: |loss - Graph's| <= {LossTolerance:0e0} * max(1, |loss|) and max |update - Graph's| <= {UpdateTolerance:0e0} * max |Graph's update|)");
        bool ok = true;
        NetworkBenchmark[] benchmarks = NetworkBenchmark.All();
        foreach (var benchmark in benchmarks)
        {
            ok &= Check(benchmark, output);
        }

        if (TorchRuntime.IsAvailable)
        {
            output.WriteLine(TorchThreadUse());
        }

        output.WriteLine(ok ? "Sanity check passed." : "SANITY CHECK FAILED: the timings below do not compare the same computation.");
        output.WriteLine();
        return ok;
    }

    private static bool Check(NetworkBenchmark benchmark, TextWriter output)
    {
        NetworkSpec spec = benchmark.Spec;
        BenchData data = BenchData.ForSpec(spec);
        IGraphNet graph = benchmark.CreateGraph(NumpyRandom.FromSeed(spec.Seed));
        float[] w01 = graph.Parameters[0].Value.ToArray();
        float[] w12 = graph.Parameters[1].Value.ToArray();

        float[]? mask = null;
        if (spec.Dropout)
        {
            var copy = NumpyRandom.FromSeed(spec.Seed);
            _ = benchmark.CreateGraph(copy);
            mask = new float[spec.Batch * spec.Hidden];
            Kernels.DropoutMask<float>(mask, 0.5, copy);
        }

        var naiveRandom = NumpyRandom.FromSeed(spec.Seed);
        _ = benchmark.CreateGraph(naiveRandom);
        var naive = new NaiveMlp(spec, w01, w12, naiveRandom);

        var x = data.InputBatch(0, spec.Batch);
        var y = data.TargetBatch(0, spec.Batch);
        float graphLoss = graph.TrainStep(x, y, spec.LearningRate, spec.Batch);
        float naiveLoss = naive.TrainStep(x, y);

        var graphUpdate = Update(w01, w12, graph.Parameters[0].Value, graph.Parameters[1].Value);
        double scale = graphUpdate.Max(Math.Abs);
        bool ok = true;
        string line = $"  {spec.Id}  loss Graph {graphLoss,-11:G7}";

        string Compare(string name, float loss, double[] update)
        {
            double lossDiff = Math.Abs(loss - graphLoss);
            double updateDiff = update.Zip(graphUpdate, (u, g) => Math.Abs(u - g)).Max();
            bool pass = lossDiff <= LossTolerance * Math.Max(1, Math.Abs(graphLoss)) && updateDiff <= UpdateTolerance * scale;
            ok &= pass;
            return $" | {name} {loss,-11:G7} |Δloss| {lossDiff:0.0e0} max|Δupdate| {updateDiff / scale:0.0e0}×max {(pass ? "ok" : "MISMATCH")}";
        }

        line += Compare("naive", naiveLoss, Update(w01, w12, naive.Weights01, naive.Weights12));
        if (TorchRuntime.IsAvailable)
        {
            using var torchTrainer = new TorchTrainer(spec, data, w01, w12);
            float torchLoss = torchTrainer.StepWithMask(0, mask);
            var (t01, t12) = torchTrainer.Model.ReadWeights();
            line += Compare("TorchSharp", torchLoss, Update(w01, w12, t01, t12));
        }
        else
        {
            line += " | TorchSharp skipped";
        }

        output.WriteLine(line + (spec.Dropout ? "  (same dropout mask)" : ""));
        return ok;
    }

    private static double[] Update(float[] before01, float[] before12, float[] after01, float[] after12) =>
        [.. before01.Zip(after01, (b, a) => (double)a - b), .. before12.Zip(after12, (b, a) => (double)a - b)];

    /// <summary>
    /// CPU time over wall time while TorchSharp trains N3, next to the same for Graph (single-threaded by
    /// construction): about 1 when one thread works, more when other threads of the process work too. Where Linux
    /// shows the threads (/proc/self/task), the busy ones are named with their share of a core.
    /// </summary>
    private static string TorchThreadUse()
    {
        var spec = NetworkSpec.N3;
        var data = BenchData.ForSpec(spec);
        IGraphNet graph = new N3MnistDropout().CreateGraph(NumpyRandom.FromSeed(spec.Seed));
        using var trainer = new TorchTrainer(spec, data, graph.Parameters[0].Value.ToArray(), graph.Parameters[1].Value.ToArray());
        var x = data.Inputs;
        var y = data.Targets;
        string own = CpuOverWall(() => graph.TrainStep(x, y, spec.LearningRate, spec.Batch));
        string torch = CpuOverWall(trainer.Step);
        return $"  threads: {TorchRuntime.Status}; CPU time / wall time while training N3: TorchSharp {torch}; Graph {own}";
    }

    private static string CpuOverWall(Action step)
    {
        // Warm up for a while first: the JIT's background compilation would otherwise count as a second thread.
        var warmUp = Stopwatch.StartNew();
        while (warmUp.ElapsedMilliseconds < 500)
        {
            step();
        }

        var process = Process.GetCurrentProcess();
        TimeSpan cpu = process.TotalProcessorTime;
        var threadsBefore = ThreadTicks();
        var clock = Stopwatch.StartNew();
        while (clock.ElapsedMilliseconds < 1000)
        {
            step();
        }

        process.Refresh();
        double wall = clock.Elapsed.TotalSeconds;
        double ratio = (process.TotalProcessorTime - cpu).TotalSeconds / wall;
        var busy = ThreadTicks()
            .Select(t => (t.Value.Name, Share: (t.Value.Ticks - (threadsBefore.TryGetValue(t.Key, out var b) ? b.Ticks : 0)) / 100.0 / wall))
            .Where(t => t.Share >= 0.05)
            .OrderByDescending(t => t.Share)
            .Select(t => $"{t.Name} {t.Share:0.00}");
        string threads = string.Join(", ", busy);
        return threads.Length > 0 ? $"{ratio:0.00} ({threads})" : $"{ratio:0.00}";
    }

    /// <summary>Each thread's name and CPU ticks (1/100 s) from /proc/self/task; empty elsewhere.</summary>
    private static Dictionary<string, (string Name, long Ticks)> ThreadTicks()
    {
        var result = new Dictionary<string, (string, long)>();
        try
        {
            if (!Directory.Exists("/proc/self/task"))
            {
                return result;
            }

            foreach (string task in Directory.EnumerateDirectories("/proc/self/task"))
            {
                string stat = File.ReadAllText(Path.Combine(task, "stat"));
                int close = stat.LastIndexOf(')');
                string name = stat[(stat.IndexOf('(') + 1)..close];

                // After "pid (comm) ", utime and stime are the 12th and 13th fields.
                string[] fields = stat[(close + 2)..].Split(' ');
                result[Path.GetFileName(task)] = (name, long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture)
                    + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        catch (IOException)
        {
        }

        return result;
    }
}
