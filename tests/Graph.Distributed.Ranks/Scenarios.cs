using System.Globalization;
using Graph.Distributed.Mpi;
using Graph.Distributed.Training;

namespace Graph.Distributed.Ranks;

/// <summary>
/// The scenarios a test job runs: <c>collectives</c>, <c>train</c> and <c>federated</c>, and the timing
/// <c>allreduce</c>, each given an output folder and <c>name=value</c> options. MPI starts first; each rank writes its results into the folder.
/// </summary>
public static class Scenarios
{
    public static int Run(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("Usage: Graph.Distributed.Ranks collectives|train|federated|allreduce <output folder> [name=value ...]");
            return 2;
        }

        var options = args.Skip(2).Select(a => a.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : string.Empty, StringComparer.Ordinal);
        string folder = args[1];
        Directory.CreateDirectory(folder);
        using var ranks = Communicator.World();
        try
        {
            switch (args[0])
            {
                case "collectives":
                    CollectivesScenario.Run(ranks, folder);
                    break;
                case "train":
                    TrainingScenario.Run(ranks, folder, options);
                    break;
                case "federated":
                    FederatedScenario.Run(ranks, folder, options);
                    break;
                case "allreduce":
                    AllreduceTimingScenario.Run(ranks, folder, options);
                    break;
                default:
                    Console.Error.WriteLine($"Unknown scenario '{args[0]}'.");
                    return 2;
            }
        }
        catch (ModelMismatchException mismatch)
        {
            // Every rank found the mismatch in the same collective; rank 0 says what it is.
            if (ranks.IsRoot)
            {
                Console.Error.WriteLine("error: " + mismatch.Message);
            }

            return 1;
        }

        return 0;
    }

    /// <summary>The option's integer value, or <paramref name="fallback"/> when it is not given.</summary>
    public static int Int(IReadOnlyDictionary<string, string> options, string name, int fallback) =>
        options.TryGetValue(name, out string? text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    /// <summary>The option's text, or <paramref name="fallback"/> when it is not given.</summary>
    public static string Text(IReadOnlyDictionary<string, string> options, string name, string fallback) =>
        options.TryGetValue(name, out string? text) ? text : fallback;
}
