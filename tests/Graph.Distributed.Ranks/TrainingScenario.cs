using System.Numerics;
using Graph.Distributed.Mpi;
using Graph.Distributed.Training;

namespace Graph.Distributed.Ranks;

/// <summary>
/// Trains each of <c>models=</c> (see <see cref="TrainingSetup{T}.Create"/>) in each of <c>precisions=</c> (double,
/// float) with each of <c>summations=</c> for <c>steps=</c> steps of <c>batch=</c> samples with
/// <see cref="DataParallelTrainer{T}"/>; every rank writes its losses and final values to
/// <c>{model}-{precision}-{summation}-rank{r}.bin</c>. Faults for the tests: <c>kill=R@S</c> kills rank R at step S, <c>stall=R@S</c> stops
/// it there; <c>hidden=</c> sets the hidden size (a different one per rank is a mismatched model).
/// </summary>
public static class TrainingScenario
{
    public static void Run(Communicator ranks, string folder, IReadOnlyDictionary<string, string> options)
    {
        foreach (string model in Scenarios.Text(options, "models", "tanh").Split(','))
        {
            foreach (string precision in Scenarios.Text(options, "precisions", "double").Split(','))
            {
                foreach (string summation in Scenarios.Text(options, "summations", nameof(Summation.Allreduce)).Split(','))
                {
                    string file = Path.Combine(folder, $"{model}-{precision}-{summation}-rank{ranks.Rank}.bin");
                    var order = Enum.Parse<Summation>(summation, ignoreCase: true);
                    switch (precision)
                    {
                        case "double":
                            Train<double>(ranks, file, model, order, options);
                            break;
                        case "float":
                            Train<float>(ranks, file, model, order, options);
                            break;
                        default:
                            throw new ArgumentException($"Unknown precision '{precision}'.", nameof(options));
                    }
                }
            }
        }
    }

    private static void Train<T>(Communicator ranks, string file, string model, Summation summation, IReadOnlyDictionary<string, string> options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int batch = Scenarios.Int(options, "batch", 6);
        int steps = Scenarios.Int(options, "steps", 3);
        var setup = TrainingSetup<T>.Create(model, summation, Scenarios.Int(options, "hidden", 16));
        var trainer = new DataParallelTrainer<T>(ranks, setup.Model, setup.Options);
        var losses = new double[steps];
        for (int step = 0; step < steps; step++)
        {
            Fault(ranks, options, step);
            losses[step] = double.CreateChecked(trainer.Step(TrainingSetup<T>.First(step, batch), batch, setup.LearningRate));
        }

        ResultFile.Write(file, losses, setup.Parameters);
    }

    private static void Fault(Communicator ranks, IReadOnlyDictionary<string, string> options, int step)
    {
        if (At(options, "kill", ranks.Rank, step))
        {
            Console.Out.Flush();
            System.Diagnostics.Process.GetCurrentProcess().Kill();
        }

        if (At(options, "stall", ranks.Rank, step))
        {
            Thread.Sleep(TimeSpan.FromMinutes(10));
        }
    }

    /// <summary>True when option <paramref name="name"/> is <c>R@S</c> for this rank and step.</summary>
    private static bool At(IReadOnlyDictionary<string, string> options, string name, int rank, int step) =>
        options.TryGetValue(name, out string? value) && value == $"{rank}@{step}";
}
