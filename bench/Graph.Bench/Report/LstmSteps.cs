using System.Globalization;
using Graph.Bench.Checks;
using Graph.Bench.Data;
using Graph.Bench.Models;
using Graph.Bench.Numpy;
using Graph.Bench.Torch;
using Graph.Runtime;

namespace Graph.Bench.Report;

/// <summary>
/// The character LSTM's training step (chapter 14: vocab 62, embedding 512, hidden 512, 25 steps, float, one thread) at
/// batch 32 and at the book's batch 16: Graph's generated TrainStep of <see cref="CharacterLstm"/>, TorchSharp's
/// nn.LSTM (<see cref="TorchLstmTrainer"/>) and the book's own numpy framework (<c>book_steps.py</c> LSTM16, LSTM32),
/// the ratios, and the share of one core's FMA peak that each step's products reach (Graph's step computes fewer:
/// its input products are rows of the table products <c>Embed·W</c>, <see cref="LstmData.GraphStepFlops"/>).
/// </summary>
/// <remarks>
/// Graph, TorchSharp and numpy (in its own process, one OpenBLAS thread) at both batch sizes are timed in interleaved
/// rounds (<see cref="StepTable.Interleaved"/>), each figure the median round.
/// </remarks>
public static class LstmSteps
{
    private static readonly int[] Batches = [32, 16];

    /// <summary>Runs the check and the timings and prints the table; returns false when the check failed.</summary>
    /// <param name="threads">Graph's thread count (TorchSharp and numpy run on one thread).</param>
    public static bool Run(TextWriter output, double seconds, int threads)
    {
        ArgumentNullException.ThrowIfNull(output);
        double peak = PeakProbe.Measure(out string peakWidth);
        output.WriteLine($"FMA peak of one core: {peak:0.0} GFLOP/s ({peakWidth}, 12 independent chains, best of 50 calls)");
        output.WriteLine($"TorchSharp: {TorchRuntime.Status}");
        using NumpyBaseline? numpy = NumpyBaseline.Start(out string numpyMissing);
        output.WriteLine(numpy is null ? $"numpy: not run: {numpyMissing}" : $"numpy: {numpy.Blas} (OPENBLAS_NUM_THREADS=1)");
        bool same = LstmEquivalenceCheck.Run(output);
        output.WriteLine();

        var configs = new List<TimedConfig>();
        var trainers = new List<TorchLstmTrainer>();
        var books = new List<NumpySteps>();
        var perBatch = new List<(int Batch, TimedConfig Graph, TimedConfig? Torch, TimedConfig? Numpy)>();
        foreach (int batch in Batches)
        {
            var data = new LstmData(batch);
            var graph = new CharacterLstm(seed: 1);
            int next = 0;
            void GraphStep()
            {
                graph.TrainStep(data.Chars[next], data.Targets[next], data.H0, data.C0, LstmData.LearningRate, batch);
                next = next + 1 == data.Chars.Length ? 0 : next + 1;
            }

            var graphSteps = new LocalSteps($"Graph {batch}", GraphStep, () => Parallelism.Threads = threads);
            configs.Add(graphSteps);
            LocalSteps? torchSteps = null;
            if (TorchRuntime.IsAvailable)
            {
                var torch = new TorchLstmTrainer(LstmWeights.From(graph.Parameters), data);
                trainers.Add(torch);
                torchSteps = new LocalSteps($"TorchSharp {batch}", () => torch.Step(), () => Parallelism.Threads = 1);
                configs.Add(torchSteps);
            }

            // The book's framework in its own process, its rounds between the others'.
            string error = "";
            NumpySteps? book = numpy is null ? null : numpy.Open($"LSTM{batch}", "float32", 1, out error);
            if (book is null && numpy is not null)
            {
                output.WriteLine($"  numpy LSTM{batch}: {error}");
            }
            else if (book is not null)
            {
                books.Add(book);
                configs.Add(book);
            }

            perBatch.Add((batch, graphSteps, torchSteps, book));
        }

        output.WriteLine($"timing {string.Join(", ", configs.Select(c => c.Name))} in interleaved rounds ...");
        Timing[] medians = StepTable.Interleaved(configs, seconds * configs.Count);
        foreach (IDisposable process in trainers.Cast<IDisposable>().Concat(books))
        {
            process.Dispose();
        }

        Timing Of(TimedConfig? config) => config is null ? Timing.None : medians[configs.IndexOf(config)];
        var rows = perBatch.Select(b => new Row(b.Batch, Of(b.Numpy), Of(b.Torch), Of(b.Graph))).ToList();
        output.WriteLine();
        Print(output, rows, peak);
        return same;
    }

    private static void Print(TextWriter output, List<Row> rows, double peak)
    {
        output.WriteLine("| batch | numpy, the book's framework (f32) | TorchSharp nn.LSTM | Graph | Graph vs TorchSharp | Graph vs numpy | GFLOP per step | Graph's GFLOP per step | Graph, % of peak | TorchSharp, % of peak |");
        output.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (Row row in rows)
        {
            double flops = LstmData.StepFlops(row.Batch), graphFlops = LstmData.GraphStepFlops(row.Batch);
            output.WriteLine($"| {row.Batch} | {Milli(row.Numpy.Wall)} | {Milli(row.Torch.Wall)} | {Milli(row.Graph.Wall)} | " +
                $"{StepTable.Ratio(row.Torch.Wall / row.Graph.Wall)} | {StepTable.Ratio(row.Numpy.Wall / row.Graph.Wall)} | {flops / 1e9:0.00} | {graphFlops / 1e9:0.00} | " +
                $"{Share(graphFlops, row.Graph.Wall, peak)} | {Share(flops, row.Torch.Wall, peak)} |");
        }

        output.WriteLine();
        output.WriteLine("ms per training step, float, one thread, wall-clock, median of interleaved rounds (numpy in its own process, its");
        output.WriteLine("rounds between the others'). GFLOP per step: the products' flops as numpy and TorchSharp compute them,");
        output.WriteLine("3 × 2 × batch × 25 × (4·512·(512 + 512) + 512·62). Graph's GFLOP per step: its compiled step's, whose input products");
        output.WriteLine("are rows of the table products Embed·W (3 × 2 × 4·62·512·512, then 3 × 2 × batch × 25 × (4·512·512 + 512·62)).");
        output.WriteLine("% of peak: each one's flops over its step's time, as a share of the FMA peak of one core.");
        output.WriteLine();
        output.WriteLine("The same as the CPU time of the computing thread (leaves out the time it waited for a core on a shared machine):");
        output.WriteLine();
        output.WriteLine("| batch | numpy (f32) | TorchSharp | Graph | Graph vs TorchSharp | Graph vs numpy | Graph, % of peak |");
        output.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
        foreach (Row row in rows)
        {
            output.WriteLine($"| {row.Batch} | {Milli(row.Numpy.Cpu)} | {Milli(row.Torch.Cpu)} | {Milli(row.Graph.Cpu)} | " +
                $"{StepTable.Ratio(row.Torch.Cpu / row.Graph.Cpu)} | {StepTable.Ratio(row.Numpy.Cpu / row.Graph.Cpu)} | {Share(LstmData.GraphStepFlops(row.Batch), row.Graph.Cpu, peak)} |");
        }

        output.WriteLine();
        output.WriteLine("Targets, one thread; wall-clock ratio (CPU-time ratio):");
        foreach (Row row in rows)
        {
            void Target(string what, Timing other, double goal)
            {
                double wall = other.Wall / row.Graph.Wall, cpu = other.Cpu / row.Graph.Cpu;
                output.WriteLine($"- batch {row.Batch}, {what}: {StepTable.Ratio(wall)} ({StepTable.Ratio(cpu)}) — {StepTable.Verdict(wall, goal)} ({StepTable.Verdict(cpu, goal)} by CPU time)");
            }

            Target("Graph at least as fast as TorchSharp's nn.LSTM", row.Torch, 1);
            Target("Graph ≥ 3x the book's numpy framework (f32)", row.Numpy, 3);
        }
    }

    private static string Milli(double microseconds) =>
        double.IsNaN(microseconds) ? "n/a" : (microseconds / 1000).ToString("0.0", CultureInfo.InvariantCulture) + " ms";

    private static string Share(double flops, double microseconds, double peak) =>
        double.IsNaN(microseconds) ? "n/a" : $"{flops / (microseconds * 1e-6) / 1e9 / peak * 100:0.0}%";

    /// <summary>One batch size's µs per step.</summary>
    private sealed record Row(int Batch, Timing Numpy, Timing Torch, Timing Graph);
}
