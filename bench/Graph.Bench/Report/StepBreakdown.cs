using System.Diagnostics;
using Graph.Bench.Benchmarks;
using Graph.Bench.Data;
using Graph.Bench.Models;
using Graph.Runtime;

namespace Graph.Bench.Report;

/// <summary>One timed part of a Graph training step.</summary>
/// <param name="Part">What it is.</param>
/// <param name="Microseconds">The median time of one call.</param>
/// <param name="Flops">Its floating-point operations (0 where not a product).</param>
public sealed record BreakdownPart(string Part, double Microseconds, double Flops);

/// <summary>
/// A stopwatch profile of the generated training step: the runtime calls that the generated <c>TrainStep</c> makes
/// (the three GEMMs of the forward and backward pass, the two weight updates fused into the products of their
/// gradients, tanh, the dropout mask and the input checks) timed one by one with the same arguments, and the whole
/// <c>TrainStep</c> exactly as the benchmark calls it (what is left of it is the other generated loops, the loss and
/// the softmax). For comparison, the unfused step: <c>Backward</c>, which stores the gradients, then
/// <c>ApplyGradients</c>.
/// </summary>
public static class StepBreakdown
{
    /// <summary>Times the parts of one network's step.</summary>
    public static IReadOnlyList<BreakdownPart> Measure(NetworkBenchmark benchmark)
    {
        NetworkSpec spec = benchmark.Spec;
        int b = spec.Batch, n = spec.Inputs, h = spec.Hidden, o = spec.Outputs;
        BenchData data = BenchData.ForSpec(spec);
        IGraphNet model = benchmark.CreateGraph(NumpyRandom.FromSeed(spec.Seed));
        float[] x = data.InputBatch(0, b).ToArray(), y = data.TargetBatch(0, b).ToArray();
        float[] w01 = model.Parameters[0].Value.ToArray(), w12 = model.Parameters[1].Value.ToArray();
        float[] hidden = Filled(b * h, 0.25f), hidden2 = Filled(b * h, 0.5f), outputs = Filled(b * o, 0.1f);
        var random = NumpyRandom.FromSeed(7);

        // The weight updates are timed with a negligible rate, so the weights stay as they are while timing.
        const float rate = 1e-30f;
        var parts = new List<(string Name, double Flops, Action Action)>
        {
            ($"GEMM x·W01 ({b}×{n}·{n}×{h})", 2.0 * b * n * h,
                () => Kernels.Gemm<float>(false, false, b, h, n, x, n, w01, h, hidden, h, false)),
            ($"GEMM h·W12 ({b}×{h}·{h}×{o})", 2.0 * b * h * o,
                () => Kernels.Gemm<float>(false, false, b, o, h, hidden, h, w12, o, outputs, o, false)),
            ($"GEMM dY·W12ᵀ ({b}×{o}·{o}×{h})", 2.0 * b * h * o,
                () => Kernels.Gemm<float>(false, true, b, h, o, outputs, o, w12, o, hidden2, h, false)),
            ($"fused SGD W12 -= α·hᵀ·dY ({h}×{b}·{b}×{o})", 2.0 * b * h * o,
                () => Kernels.GemmSgdStep<float>(true, false, h, o, b, hidden, h, outputs, o, w12, o, rate)),
            ($"fused SGD W01 -= α·xᵀ·dH ({n}×{b}·{b}×{h})", 2.0 * b * n * h,
                () => Kernels.GemmSgdStep<float>(true, false, n, h, b, x, n, hidden2, h, w01, h, rate)),
        };

        if (spec.Activation == Activation.Tanh)
        {
            float[] activated = new float[b * h];
            parts.Add(($"tanh (Kernels.Tanh, {b * h} values)", 0, () => Kernels.Tanh<float>(hidden, activated)));
        }

        if (spec.Dropout)
        {
            parts.Add(($"dropout mask ({b * h} numpy randint draws)", 0,
                () => Kernels.DropoutMask<float>(hidden2, 0.5, random)));
        }

        // The images are checked through x·W01, the step's first product, as the generated step checks them.
        parts.Add(($"input checks (Guard.FiniteByProduct over x·W01's {b * h} values for x's {x.Length}, Guard.Finite over y's {y.Length})", 0, () =>
        {
            Guard.FiniteByProduct<float>(hidden, x, "x");
            Guard.Finite<float>(y, "y");
        }));
        int stepParts = parts.Count;
        parts.Add(("Backward + ApplyGradients (the unfused step, for comparison)", 0, () =>
        {
            model.Backward(x, y, b);
            model.ApplyGradients(rate);
        }));
        benchmark.Setup();
        parts.Add(("TrainStep, as benchmarked", 0, () => benchmark.GraphStep()));

        // Tiered compilation: run everything for a while first, so that every method is at tier 1 (with PGO)
        // before anything is timed, as BenchmarkDotNet's warm-up does.
        var warmUp = Stopwatch.StartNew();
        while (warmUp.ElapsedMilliseconds < 1500)
        {
            foreach (var part in parts)
            {
                for (int i = 0; i < 20; i++)
                {
                    part.Action();
                }
            }
        }

        double[] medians = InterleavedMedians(parts.Select(p => p.Action).ToArray());
        benchmark.Cleanup();
        var timed = parts.Select((p, i) => new BreakdownPart(p.Name, medians[i], p.Flops)).ToList();
        double step = timed[^1].Microseconds;
        double listed = timed.Take(stepParts).Sum(p => p.Microseconds);
        timed.Insert(stepParts, new BreakdownPart("rest of TrainStep: other generated loops, loss, softmax (TrainStep − above)", Math.Max(0, step - listed), 0));
        return timed;
    }

    /// <summary>Prints one network's breakdown as a markdown table.</summary>
    public static void Print(NetworkSpec spec, IReadOnlyList<BreakdownPart> parts, TextWriter output)
    {
        double whole = parts[^1].Microseconds;
        output.WriteLine($"{spec.Id} ({spec.Description}): where the Graph step's time goes (stopwatch: median of 15 interleaved samples of ≥ 10 ms; each runtime call timed alone with the step's shapes)");
        output.WriteLine();
        output.WriteLine("| part | µs | % of step | GFLOP/s |");
        output.WriteLine("|---|---:|---:|---:|");
        foreach (var p in parts)
        {
            string rate = p.Flops > 0 ? $"{p.Flops / (p.Microseconds * 1e3):0.0}" : "";
            bool total = p.Part.StartsWith("TrainStep", StringComparison.Ordinal);
            string name = total ? $"**{p.Part}**" : p.Part;
            output.WriteLine($"| {name} | {Format.Micro(p.Microseconds)} | {100 * p.Microseconds / whole:0}% | {rate} |");
        }

        output.WriteLine();
    }

    private static float[] Filled(int length, float value)
    {
        var array = new float[length];
        Array.Fill(array, value);
        return array;
    }

    /// <summary>
    /// The median time per call of each action: 15 rounds, each taking one sample of every action in turn (so that
    /// a disturbance of the machine falls on all parts alike), each sample at least 10 ms of back-to-back calls.
    /// </summary>
    private static double[] InterleavedMedians(Action[] actions)
    {
        var calls = new int[actions.Length];
        for (int a = 0; a < actions.Length; a++)
        {
            calls[a] = 1;
            while (Sample(actions[a], calls[a]) * calls[a] < 10_000)
            {
                calls[a] *= 2;
            }
        }

        var samples = new double[actions.Length][];
        for (int a = 0; a < actions.Length; a++)
        {
            samples[a] = new double[15];
        }

        for (int round = 0; round < 15; round++)
        {
            for (int a = 0; a < actions.Length; a++)
            {
                samples[a][round] = Sample(actions[a], calls[a]);
            }
        }

        return samples.Select(s =>
        {
            Array.Sort(s);
            return s[s.Length / 2];
        }).ToArray();
    }

    /// <summary>Microseconds per call over <paramref name="calls"/> back-to-back calls.</summary>
    private static double Sample(Action action, int calls)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++)
        {
            action();
        }

        return Stopwatch.GetElapsedTime(start).TotalMicroseconds / calls;
    }
}
