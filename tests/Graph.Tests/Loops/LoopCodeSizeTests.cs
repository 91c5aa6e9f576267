using Graph.Tests.Generator;
using Graph.Tests.Snapshots;
using Xunit;

namespace Graph.Tests.Loops;

/// <summary>
/// A loop kept as a loop: the generated file does not grow with the steps. Chapter 14's LSTM at the book's 25 steps
/// (its snapshot is the sample's, in Snapshots/Approved) and at 100 steps (snapshot in Snapshots/Loops).
/// </summary>
public sealed class LoopCodeSizeTests
{
    private const string StepsDeclaration = "public const int Steps = 25;";

    [Fact]
    public void TheLstmFileIsTheSameSizeAt25And100Steps()
    {
        string source = File.ReadAllText(Path.Combine(TestData.RepositoryRoot, "samples", "Chapters", "Chapter14", "ShakespeareLstm.cs"));
        Assert.Contains(StepsDeclaration, source, StringComparison.Ordinal);
        string at25 = Generated(source);
        string at100 = Generated(source.Replace(StepsDeclaration, "public const int Steps = 100;", StringComparison.Ordinal));

        int lines25 = Lines(at25);
        int lines100 = Lines(at100);
        Assert.True(lines25 <= 3000, $"the 25-step LSTM's file has {lines25} lines");
        Assert.True(Math.Abs(lines100 - lines25) <= 50, $"the 100-step LSTM's file has {lines100} lines, the 25-step one's {lines25}");
        Assert.Contains("for (int step = 0; step <= 99; step++)", at100, StringComparison.Ordinal);
        Snapshot.Verify("ShakespeareLstm100", at100, "cs", "Loops");
    }

    private static string Generated(string source)
    {
        var result = GeneratorHarness.Run(source);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.CompileErrors);
        return Assert.Single(result.Sources).Value;
    }

    private static int Lines(string text) => text.Count(c => c == '\n');
}
