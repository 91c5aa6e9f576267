using Xunit;

namespace Graph.Tests.Samples;

/// <summary>Chapter 3's examples print exactly the book's lines (book-results E3.1 to E3.7).</summary>
public sealed class Chapter03SampleTests
{
    [Theory]
    [InlineData("single-input", "0.8500000000000001")]
    [InlineData("multi-input", "0.9800000000000001")]
    [InlineData("multi-output", "[0.195, 0.13, 0.5850000000000001]")]
    [InlineData("multi-in-multi-out", "[0.555, 0.9800000000000001, 0.9650000000000001]")]
    [InlineData("stacked", "[0.21350000000000002, 0.14500000000000002, 0.5065]")]
    [InlineData("stacked-numpy", "[0.2135 0.145  0.5065]")]
    public void PrintsTheBooksPrediction(string example, string book) =>
        SampleRun.AssertLines(book, SampleRun.Lines("ch03", example));

    /// <summary>E3.2 (pure Python <c>w_sum</c>) and E3.3 (numpy <c>dot</c>) are one example: both blocks print this.</summary>
    [Fact]
    public void MultiInputIsBothTheWSumAndTheNumpyBlock()
    {
        var chapter = Graph.Samples.Examples.ExampleRegistry.FindChapter("ch03")!;
        Assert.Same(
            Graph.Samples.Examples.ExampleRegistry.FindExample(chapter, "E3.2"),
            Graph.Samples.Examples.ExampleRegistry.FindExample(chapter, "E3.3"));
    }
}
