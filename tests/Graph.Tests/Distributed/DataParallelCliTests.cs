using System.Globalization;
using Graph.Samples.Cli;
using Xunit;

namespace Graph.Tests.Distributed;

/// <summary>The chapter samples' command line with --data-parallel, in a real job of two ranks.</summary>
[Collection(MpiJobsCollection.Name)]
public sealed class DataParallelCliTests
{
    [MpiFact(NeedsSharedMnist = true)]
    public void Chapter9OnTwoRanksPrintsWhatOneProcessPrintsAndReportsTheExchange()
    {
        string[] arguments = ["ch09", "--iterations", "1", "--train-size", "200"];
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        Assert.Equal(0, ChaptersCli.Run(arguments, output, error));

        var job = MpiJob.Run([(2, ["dotnet", MpiJob.ChaptersProgram, .. arguments, "--data-parallel"])]).Succeeded();

        // Rank 0 prints, rank 1 is quiet; training on two shards per batch scores the same accuracies here.
        Assert.Equal(output.ToString(), job.Output);
        Assert.Contains("data-parallel: 2 ranks, 2 steps, ", job.Error, StringComparison.Ordinal);
        Assert.Contains("MPI: 2 ranks, rank 0 took part in ", job.Error, StringComparison.Ordinal);
    }
}
