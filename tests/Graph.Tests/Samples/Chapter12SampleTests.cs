using System.Globalization;
using Graph.Samples.Chapter12;
using Graph.Samples.Examples;
using Graph.Tests.Datasets;
using Xunit;

namespace Graph.Tests.Samples;

/// <summary>
/// Chapter 12's examples print the book's lines (book-results E12.2 to E12.4) and train the bAbI network (E12.5) into
/// acceptance.md's bands; the bAbI runs need ../shared/data/babi.
/// </summary>
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

    [SharedBabiFact]
    public void BabiRnnPerplexityFallsFromAboutTheVocabularySizeInAShortRun()
    {
        var lines = SampleRun.Lines("ch12", "babi-rnn", new ExampleOptions { Iterations = 3001, Alpha = 0.01 });

        Assert.Equal(9, lines.Length);
        var perplexities = lines[..4].Select(Perplexity).ToArray();
        Assert.InRange(perplexities[0], 81.5, 82.5);
        Assert.True(perplexities[1] < perplexities[0] && perplexities[2] < perplexities[1] && perplexities[3] < perplexities[2], string.Join("\n", lines[..4]));
        Assert.True(perplexities[3] < 10, lines[3]);
        Assert.Equal("['sandra', 'moved', 'to', 'the', 'garden.']", lines[4]);
        Assert.StartsWith("Prev Input:sandra      True:moved          Pred:", lines[5]);
        Assert.StartsWith("Prev Input:the         True:garden.        Pred:", lines[8]);
    }

    /// <summary>acceptance.md, E12.5: first perplexity in [81.5, 82.5], the 30th in [3.7, 4.5], predictions is, to, the, bedroom.</summary>
    [SharedBabiFact]
    public void BabiRnnReachesTheBooksBandsAndPredictions()
    {
        var lines = SampleRun.Lines("ch12", "babi-rnn");

        Assert.Equal(35, lines.Length);
        Assert.All(lines[..30], line => Assert.StartsWith("Perplexity:", line));
        Assert.InRange(Perplexity(lines[0]), 81.5, 82.5);
        Assert.InRange(Perplexity(lines[29]), 3.7, 4.5);
        SampleRun.AssertLines(
            """
            ['sandra', 'moved', 'to', 'the', 'garden.']
            Prev Input:sandra      True:moved          Pred:is
            Prev Input:moved       True:to             Pred:to
            Prev Input:to          True:the            Pred:the
            Prev Input:the         True:garden.        Pred:bedroom.
            """,
            lines[30..]);
    }

    [Fact]
    public void BabiTrainingPrintsAPerplexityEveryThousandIterationsThenTheFifthSentencesPredictions()
    {
        string[][] tokens =
        [
            ["mary", "moved", "to", "the", "bathroom."], ["john", "went", "to", "the", "hallway."],
            ["where", "is", "mary?", "\tbathroom\t1"], ["daniel", "went", "back", "to", "the", "hallway."],
            ["sandra", "moved", "to", "the", "garden."],
        ];
        using var output = new StringWriter(CultureInfo.InvariantCulture);

        BabiTraining.Run(tokens, new BabiSettings(Seed: 1, Alpha: 0.001, Iterations: 2001), output);

        var lines = SampleRun.SplitLines(output.ToString());
        Assert.Equal(8, lines.Length);
        Assert.All(lines[..3], line => Assert.StartsWith("Perplexity:", line));

        // The vocabulary has 16 words; the first step predicts from the zero start vector, so every word gets 1/16, and
        // the later steps are nearly as uniform (the weights start within ±0.05): the first perplexity is about 16.
        Assert.InRange(Perplexity(lines[0]), 15.9, 16.1);
        Assert.Equal("['sandra', 'moved', 'to', 'the', 'garden.']", lines[3]);
        Assert.Equal(4, lines[4..].Count(line => line.StartsWith("Prev Input:", StringComparison.Ordinal)));
    }

    [Fact]
    public void BabiTrainingRefusesASentenceLongerThanTheNetworksSteps()
    {
        string[][] tokens = [["mary", "moved", "to", "the", "bathroom."], ["one", "two", "three", "four", "five", "six", "seven", "eight"]];

        var error = Assert.Throws<ArgumentException>(() => BabiTraining.Run(tokens, new BabiSettings(1, 0.001, 1), TextWriter.Null));

        Assert.Contains("A sentence of 7 words does not fit the network's 6 steps", error.Message, StringComparison.Ordinal);
    }

    private static double Perplexity(string line)
    {
        Assert.StartsWith("Perplexity:", line);
        return double.Parse(line["Perplexity:".Length..], CultureInfo.InvariantCulture);
    }
}
