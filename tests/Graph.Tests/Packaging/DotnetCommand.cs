using Xunit;

namespace Graph.Tests.Packaging;

/// <summary>Runs the <c>dotnet</c> command line as a user would, in a folder outside the repository.</summary>
internal static class DotnetCommand
{
    /// <summary>The configuration the test assembly was built in, which <c>dotnet pack --no-build</c> packs.</summary>
#if DEBUG
    public const string Configuration = "Debug";
#else
    public const string Configuration = "Release";
#endif

    /// <summary>
    /// Runs <c>dotnet arguments</c> in <paramref name="directory"/> and returns what it printed; fails the test with
    /// the command and its output when it exits with another code than 0 or runs past <paramref name="limit"/>.
    /// </summary>
    public static string Run(string directory, TimeSpan limit, params string[] arguments)
    {
        var start = ChildProcess.Start("dotnet", arguments);
        start.WorkingDirectory = directory;

        // The test host runs under `dotnet test`, whose MSBuild settings would leak into a user's build; a build
        // server or node left behind would outlive the test.
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["UseSharedCompilation"] = "false";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";

        string command = "dotnet " + string.Join(' ', arguments);
        var result = ChildProcess.Run(start, limit, $"`{command}` in {directory}");
        Assert.True(result.ExitCode == 0, $"`{command}` in {directory} exited with {result.ExitCode}:\n{result.Output}\n{result.Error}");
        return result.Output;
    }
}
