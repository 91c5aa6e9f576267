namespace Graph.Tests.Datasets;

/// <summary>
/// Where the tests find the real data sets, as the samples' locator does: <c>$GRAPH_DATA/name</c> first, then
/// <c>shared/data/name</c> beside the repository. A test that needs one is skipped where it is absent, except under
/// <c>CI=true</c>, where it runs and fails with a message saying what is missing (a CI run that skipped the data tests
/// would prove nothing about them).
/// </summary>
public static class SharedData
{
    /// <summary>Whether absent data fails the tests that need it instead of skipping them: <c>CI=true</c>.</summary>
    public static bool MustBePresent => IsCi(Environment.GetEnvironmentVariable);

    /// <summary>Whether the environment says CI: the variable <c>CI</c> is <c>true</c> (any case) or <c>1</c>.</summary>
    public static bool IsCi(Func<string, string?> getEnvironmentVariable) =>
        getEnvironmentVariable("CI") is string ci && (ci.Equals("true", StringComparison.OrdinalIgnoreCase) || ci == "1");

    /// <summary>The folders searched for a data set, in order: under <c>GRAPH_DATA</c> when it is set, then under the shared folder.</summary>
    public static IReadOnlyList<string> Candidates(string dataset, Func<string, string?> getEnvironmentVariable, string? sharedDirectory)
    {
        var candidates = new List<string>();
        if (getEnvironmentVariable("GRAPH_DATA") is string graphData && !string.IsNullOrWhiteSpace(graphData))
        {
            candidates.Add(Path.Combine(graphData, dataset));
        }

        if (sharedDirectory is not null)
        {
            candidates.Add(Path.Combine(sharedDirectory, "data", dataset));
        }

        return candidates;
    }

    /// <summary>The first folder of <paramref name="dataset"/> that exists, or null.</summary>
    public static string? Find(string dataset) =>
        Candidates(dataset, Environment.GetEnvironmentVariable, TestData.SharedDirectory).FirstOrDefault(System.IO.Directory.Exists);

    /// <summary>Why a test that needs <paramref name="dataset"/> is skipped, or null when it runs (the data is there, or CI requires it).</summary>
    public static string? SkipReason(string dataset, bool found, bool ci) =>
        found || ci ? null : $"The {dataset} data is not present (looked under $GRAPH_DATA/{dataset} and ../shared/data/{dataset}); CI=true makes this a failure.";

    /// <summary>The folder of <paramref name="dataset"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The data is absent (a test runs without it only under CI=true, to fail).</exception>
    public static string Directory(string dataset)
    {
        var candidates = Candidates(dataset, Environment.GetEnvironmentVariable, TestData.SharedDirectory);
        return candidates.FirstOrDefault(System.IO.Directory.Exists) ?? throw new DirectoryNotFoundException(
            $"The {dataset} data is missing: " +
            (candidates.Count == 0 ? "GRAPH_DATA is not set and there is no ../shared beside the repository. " : $"looked in {string.Join(", ", candidates)}. ") +
            $"Put it in ../shared/data/{dataset} beside the repository or set GRAPH_DATA to a folder holding '{dataset}'.");
    }
}

/// <summary>A fact that needs one of the real data sets (see <see cref="SharedData"/>).</summary>
public abstract class SharedDataFactAttribute : Xunit.FactAttribute
{
    /// <summary>Skips the test where <paramref name="dataset"/> is absent, unless CI=true.</summary>
    protected SharedDataFactAttribute(string dataset)
    {
        Skip = SharedData.SkipReason(dataset, SharedData.Find(dataset) is not null, SharedData.MustBePresent);
    }
}
