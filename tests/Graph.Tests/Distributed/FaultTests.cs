using Graph.Distributed.Mpi;
using Graph.Tests.Datasets;
using Xunit;

namespace Graph.Tests.Distributed;

/// <summary>
/// A rank that dies, stops or never starts MPI ends the job with an error instead of hanging it; a rank started
/// with another model is refused.
/// </summary>
[Collection(MpiJobsCollection.Name)]
public sealed class FaultTests
{
    [MpiFact]
    public void AKilledRankEndsTheJobWithAnError()
    {
        using var folder = new TemporaryDirectory();

        var job = MpiJob.Ranks(2, "train", folder.Path, "models=tanh", "steps=4", "kill=1@1");

        Assert.NotEqual(0, job.ExitCode);
        Assert.Contains("rank 1", job.Everything, StringComparison.Ordinal);
        Assert.Contains("exited on signal 9 (Killed)", job.Everything, StringComparison.Ordinal);

        // mpirun ends the job on the death itself, well within the 60 s the collectives would wait.
        Assert.True(job.Elapsed < TimeSpan.FromSeconds(45), $"The job took {job.Elapsed.TotalSeconds:0.0} s to end.");
    }

    [MpiFact]
    public void AStoppedRankEndsTheJobAfterTheTimeout()
    {
        using var folder = new TemporaryDirectory();

        var job = MpiJob.Run(
            [(2, ["dotnet", MpiJob.RanksProgram, "train", folder.Path, "models=tanh", "steps=4", "stall=1@1"])],
            new Dictionary<string, string> { [Communicator.TimeoutVariable] = "3" });

        Assert.Equal(Communicator.TimeoutExitCode, job.ExitCode);
        Assert.Contains("error: rank 0 of 2: allreduce of ", job.Error, StringComparison.Ordinal);
        Assert.Contains("did not complete within 3 s: another rank has died or stopped before reaching it. Ending the job.", job.Error, StringComparison.Ordinal);
        Assert.True(job.Elapsed >= TimeSpan.FromSeconds(3) && job.Elapsed < TimeSpan.FromSeconds(45), $"The job took {job.Elapsed.TotalSeconds:0.0} s to end.");
    }

    [MpiFact]
    public void ARankThatNeverStartsMpiEndsTheJobAfterTheTimeout()
    {
        using var folder = new TemporaryDirectory();

        // Rank 1 is a process that never calls MPI_Init, so rank 0's start-up waits for it.
        var job = MpiJob.Run(
            [(1, ["dotnet", MpiJob.RanksProgram, "train", folder.Path, "models=tanh"]), (1, ["sleep", "600"])],
            new Dictionary<string, string> { [Communicator.TimeoutVariable] = "3" });

        Assert.Equal(Communicator.TimeoutExitCode, job.ExitCode);
        Assert.Contains("error: rank 0: MPI start-up (MPI_Init_thread): not every rank of the job started within 3 s. Ending this process.", job.Error, StringComparison.Ordinal);
        Assert.True(job.Elapsed < TimeSpan.FromSeconds(45), $"The job took {job.Elapsed.TotalSeconds:0.0} s to end.");
    }

    [MpiFact]
    public void ARankStartedWithAnotherModelIsRefusedBeforeTraining()
    {
        using var folder = new TemporaryDirectory();

        var job = MpiJob.Run(
        [
            (1, ["dotnet", MpiJob.RanksProgram, "train", folder.Path, "models=tanh", "hidden=16"]),
            (1, ["dotnet", MpiJob.RanksProgram, "train", folder.Path, "models=tanh", "hidden=17"]),
        ]);

        Assert.NotEqual(0, job.ExitCode);
        Assert.Contains("error: The ranks were started with different models or settings: rank 0 has 'Double Weights01[784,16] Weights12[16,10]", job.Error, StringComparison.Ordinal);
        Assert.Contains("rank 1 has 'Double Weights01[784,17] Weights12[17,10]", job.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(folder.Path));
    }
}
