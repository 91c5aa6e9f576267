using Graph.Distributed.Ranks;
using Graph.Tests.Datasets;
using Xunit;

namespace Graph.Tests.Distributed;

/// <summary>Every collective of the MPI binding in a real job of three ranks.</summary>
[Collection(MpiJobsCollection.Name)]
public sealed class CollectivesTests
{
    [MpiFact]
    public void ThreeRanksExchangeDoublesFloatsIntsAndBytesAndAnMpiErrorBecomesAnException()
    {
        using var folder = new TemporaryDirectory();

        MpiJob.Ranks(3, "collectives", folder.Path).Succeeded();

        for (int rank = 0; rank < 3; rank++)
        {
            var lines = File.ReadAllLines(Path.Combine(folder.Path, $"rank{rank}.txt"));
            string[] scattered = ["0", "1 2", "3 4 5"];
            Assert.Equal(
                [
                    $"rank {rank} of 3",
                    "broadcast double: 1.5 -2.25 1E+300",
                    "allreduce float: 6 1.5 -3",
                    "allreduce int: 3 30",
                    "rank-order sum double: " + CollectivesScenario.Join([
                        (CollectivesScenario.Term(0) + CollectivesScenario.Term(1)) + CollectivesScenario.Term(2),
                        ((0.1 * 1) + (0.1 * 2)) + (0.1 * 3)]),
                    "allgather int: 0 0 1 1 2 4",
                    "allgatherv double: 0 1 1.25 2 2.25 2.5",
                    "gatherv byte: " + (rank == 0 ? "<rank 0><rank 1><rank 2>" : string.Empty),
                    "scatterv int: " + scattered[rank],
                ],
                lines[..^1]);

            // Rank 0 sent four values where the others expected two: MPI reports the truncation on the receivers.
            Assert.Equal(
                rank == 0 ? "mismatched broadcast: no error" : "mismatched broadcast: MPI_Test on the broadcast of 2 Int32 values failed: MPI_ERR_TRUNCATE: message truncated (MPI error 15).",
                lines[^1]);
        }
    }
}
