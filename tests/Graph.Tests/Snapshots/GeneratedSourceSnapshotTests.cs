using Graph.Tests.Generator;
using Xunit;

namespace Graph.Tests.Snapshots;

/// <summary>
/// The generated source of every sample model, compared with its approved snapshot, so that any change in what
/// the compiler emits is a diff to review.
/// </summary>
public sealed class GeneratedSourceSnapshotTests
{
    public static TheoryData<string> SampleModels()
    {
        var data = new TheoryData<string>();
        foreach (string file in ModelFiles())
        {
            data.Add(Path.GetRelativePath(TestData.RepositoryRoot, file).Replace('\\', '/'));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SampleModels))]
    public void GeneratedSourceMatchesTheApprovedSnapshot(string modelFile)
    {
        var result = GeneratorHarness.Run(File.ReadAllText(Path.Combine(TestData.RepositoryRoot, modelFile)));
        Assert.Empty(result.Exceptions);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.CompileErrors);
        var (hintName, source) = Assert.Single(result.Sources);
        Snapshot.Verify(hintName.Replace(".g.cs", string.Empty), source);
    }

    [Fact]
    public void EverySampleModelHasASnapshotAndNoSnapshotIsStale()
    {
        var expected = ModelFiles().Select(f => ModelName(File.ReadAllText(f))).OrderBy(n => n, StringComparer.Ordinal).ToList();
        var approved = Directory.GetFiles(Path.Combine(TestData.RepositoryRoot, "tests", "Graph.Tests", "Snapshots", "Approved"), "*.approved.cs")
            .Select(f => Path.GetFileName(f)[..^".approved.cs".Length])
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToList();
        Assert.Equal(expected, approved);
    }

    /// <summary>
    /// The sample files that declare a model, one model per file as the samples are laid out, and the test models of
    /// <c>Snapshots/Models</c> (forms no sample uses yet).
    /// </summary>
    private static IEnumerable<string> ModelFiles() =>
        Directory.GetFiles(Path.Combine(TestData.RepositoryRoot, "samples"), "*.cs", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(Path.Combine(TestData.RepositoryRoot, "tests", "Graph.Tests", "Snapshots", "Models"), "*.cs"))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && File.ReadAllText(f).Contains("[Model", StringComparison.Ordinal))
            .OrderBy(f => f, StringComparer.Ordinal);

    private static string ModelName(string source)
    {
        var result = GeneratorHarness.Run(source);
        return result.Sources.Single().Key.Replace(".g.cs", string.Empty);
    }
}
