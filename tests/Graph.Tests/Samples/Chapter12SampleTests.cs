using Graph.Tests.Datasets;
using Xunit;

namespace Graph.Tests.Samples;

/// <summary>Chapter 12's examples print the book's lines (book-results E12.2 to E12.4); E12.4 needs ../shared/data/babi.</summary>
public sealed class Chapter12SampleTests
{
    [Fact]
    public void IdentityPrintsTheBooksMatricesAndSums() =>
        SampleRun.AssertLines(
            """
            [[1. 0. 0.]
             [0. 1. 0.]
             [0. 0. 1.]]
            ----------------
            [1. 2. 3.]
            [0.1 0.2 0.3]
            [-1.  -0.5  0. ]
            [0. 0. 0.]
            ---------------
            [13 15 17]
            [13. 15. 17.]
            """,
            SampleRun.Lines("ch12", "identity"));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(12345)]
    public void ForwardSoftmaxPrintsNineNinthsWhateverTheOutputWeights(int seed) =>
        SampleRun.AssertLines(
            """
            [[0.11111111 0.11111111 0.11111111 0.11111111 0.11111111 0.11111111
              0.11111111 0.11111111 0.11111111]]
            """,
            SampleRun.Lines("ch12", "forward-softmax", new Graph.Samples.Examples.ExampleOptions { Seed = seed }));

    [SharedBabiFact]
    public void BabiTokensPrintsTheBooksFirstThreeTokenLists() =>
        SampleRun.AssertLines(
            """
            [['mary', 'moved', 'to', 'the', 'bathroom.'], ['john', 'went', 'to', 'the', 'hallway.'], ['where', 'is', 'mary?', '\tbathroom\t1']]
            """,
            SampleRun.Lines("ch12", "babi-tokens"));
}
