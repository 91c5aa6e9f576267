using System.Globalization;
using Graph.Distributed.Mpi;
using Graph.Runtime.Crypto;
using Graph.Samples.Chapter15;

namespace Graph.Distributed.Ranks;

/// <summary>
/// Chapter 15's federated learning on <see cref="SyntheticSpam"/> with Bob, Alice and Sue as the three ranks
/// (<see cref="FederatedRanks"/>), with each of <c>aggregations=</c>: <c>average</c> or <c>encrypted</c> (the true
/// aggregate under a 128-bit Paillier key held by Sue), <c>rounds=</c> rounds. Rank 0 writes what it prints to
/// <c>{aggregation}.txt</c>.
/// </summary>
public static class FederatedScenario
{
    public static void Run(Communicator ranks, string folder, IReadOnlyDictionary<string, string> options)
    {
        foreach (string kind in Scenarios.Text(options, "aggregations", "average").Split(','))
        {
            Run(ranks, folder, kind, Scenarios.Int(options, "rounds", 2));
        }
    }

    private static void Run(Communicator ranks, string folder, string kind, int rounds)
    {
        FederatedAggregation<double> aggregation = kind == "encrypted"
            ? new EncryptedAggregation<double>(() => PaillierKeyPair.Generate(Chapter15Examples.AggregationKeyBits, allowInsecureKeySize: true), bookQuirk: false)
            : new Averaging<double>();
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        FederatedRanks.Run(ranks, SyntheticSpam.Dataset, rounds, aggregation, ranks.IsRoot ? output : TextWriter.Null);
        if (ranks.IsRoot)
        {
            File.WriteAllText(Path.Combine(folder, $"{kind}.txt"), output.ToString());
        }
    }
}
