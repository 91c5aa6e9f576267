using System.Globalization;
using Graph.Distributed.Ranks;
using Graph.Runtime.Crypto;
using Graph.Samples.Chapter15;
using Graph.Tests.Datasets;
using Xunit;

namespace Graph.Tests.Distributed;

/// <summary>Chapter 15's federated learning with Bob, Alice and Sue as three ranks, against one process, on made-up e-mails.</summary>
[Collection(MpiJobsCollection.Name)]
public sealed class FederatedRanksTests
{
    private const int Rounds = 2;

    [MpiFact]
    public void ThreeRanksPrintWhatOneProcessPrintsAveragedAndEncrypted()
    {
        using var folder = new TemporaryDirectory();

        MpiJob.Ranks(3, "federated", folder.Path, "aggregations=average,encrypted", $"rounds={Rounds}").Succeeded();

        Assert.Equal(OneProcess(new Averaging<double>()), File.ReadAllText(Path.Combine(folder.Path, "average.txt")));
        var keys = PaillierKeyPair.Generate(Chapter15Examples.AggregationKeyBits, allowInsecureKeySize: true);
        Assert.Equal(OneProcess(new EncryptedAggregation<double>(keys, bookQuirk: false)), File.ReadAllText(Path.Combine(folder.Path, "encrypted.txt")));
    }

    private static string OneProcess(FederatedAggregation<double> aggregation)
    {
        var data = SyntheticSpam.Dataset();
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        FederatedLearning.Run(data, SpamTraining.For<double>(data), Rounds, aggregation, output);
        return output.ToString();
    }
}
