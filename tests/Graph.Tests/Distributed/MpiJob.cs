using System.Globalization;
using Xunit;

namespace Graph.Tests.Distributed;

/// <summary>
/// Starts real <c>mpirun</c> jobs on this machine over the loopback interface (TCP on <c>lo</c>, as root and with
/// more ranks than cores allowed) and waits for them within a limit.
/// </summary>
internal static class MpiJob
{
    /// <summary>The program the test jobs' ranks run, built beside the tests.</summary>
    public static string RanksProgram { get; } = Path.Combine(AppContext.BaseDirectory, "Graph.Distributed.Ranks.dll");

    /// <summary>The chapter samples' program, built beside the tests.</summary>
    public static string ChaptersProgram { get; } = Path.Combine(AppContext.BaseDirectory, "Graph.Samples.Chapters.dll");

    /// <summary>The path of <c>mpirun</c> on PATH, or null.</summary>
    public static string? Mpirun { get; } = FindOnPath("mpirun");

    /// <summary>True when the tests must run even without mpirun, and fail (the CI sets CI=true and installs Open MPI).</summary>
    public static bool Required => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Runs <paramref name="ranks"/> copies of the ranks program with <paramref name="arguments"/>.</summary>
    public static ChildProcess.Result Ranks(int ranks, params string[] arguments) => Run([(ranks, ["dotnet", RanksProgram, .. arguments])]);

    /// <summary>
    /// Runs one job of several programs (MPI's <c>a : b</c> form): each entry is a rank count and the command those
    /// ranks run.
    /// </summary>
    public static ChildProcess.Result Run(IReadOnlyList<(int Ranks, string[] Command)> programs, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? limit = null)
    {
        string mpirun = Mpirun ?? throw new InvalidOperationException(
            "mpirun is not installed: the distributed tests start real MPI jobs. Install Open MPI (apt-get install -y openmpi-bin libopenmpi-dev; .ci/run does).");
        var start = ChildProcess.Start(mpirun, ["--allow-run-as-root", "--oversubscribe", "--mca", "btl", "self,tcp", "--mca", "btl_tcp_if_include", "lo", "--mca", "oob_tcp_if_include", "lo"]);

        for (int i = 0; i < programs.Count; i++)
        {
            if (i > 0)
            {
                start.ArgumentList.Add(":");
            }

            start.ArgumentList.Add("-np");
            start.ArgumentList.Add(programs[i].Ranks.ToString(CultureInfo.InvariantCulture));
            foreach (string argument in programs[i].Command)
            {
                start.ArgumentList.Add(argument);
            }
        }

        // Under mpirun each rank's output is a terminal; TERM=dumb keeps .NET from writing terminal control codes into it.
        start.Environment["TERM"] = "dumb";
        start.Environment["GRAPH_MPI_TIMEOUT"] = "60";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return ChildProcess.Run(start, limit ?? TimeSpan.FromMinutes(2), $"The MPI job ({string.Join(' ', start.ArgumentList)})");
    }

    /// <summary>Fails with everything the job printed unless it ended with exit code 0.</summary>
    public static ChildProcess.Result Succeeded(this ChildProcess.Result result)
    {
        Assert.True(result.ExitCode == 0, $"The MPI job ended with exit code {result.ExitCode}:\n{result.Everything}");
        return result;
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);
}
