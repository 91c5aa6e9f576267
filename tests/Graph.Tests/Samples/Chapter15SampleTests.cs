using System.Globalization;
using Graph.Runtime.Datasets;
using Graph.Samples.Chapter15;
using Graph.Samples.Examples;
using Graph.Tests.Datasets;
using Xunit;

namespace Graph.Tests.Samples;

/// <summary>
/// Chapter 15: the leak of one e-mail's words and Paillier's 5 + 3 exactly, and runs on the shared Enron-Spam
/// files (skipped where ../shared/data/enron_spam is absent).
/// </summary>
/// <remarks>
/// The shared files are a substitute for the book's spam.txt and ham.txt: the same corpus in a larger selection, so
/// the training e-mails Bob and Alice hold are the book's (their losses match the book's to 1e-15) but the test
/// e-mails differ. The expected values of the data runs were computed by the book's code re-written in plain
/// Python (float64, no numpy) on the same two files; they are not the book's.
/// </remarks>
public sealed class Chapter15SampleTests
{
    [Fact]
    public void OneEmailLeaksExactlyItsWords()
    {
        // A vocabulary with other words around Bob's, so that unchanged weights exist on both sides.
        var vocabulary = Vocabulary.Build([["hello", "my", "computer", "lunch", "password", "is", "pizza", "today", SpamDataset.UnknownWord]]);
        using var output = new StringWriter(CultureInfo.InvariantCulture);

        var words = EmailLeak.Run<double>(vocabulary, vocabulary.IndexOf(SpamDataset.UnknownWord), EmailLeak.BobsEmail, output);

        // sigmoid(0) = 0.5 against the target 0: (0.5 - 0)² = 0.25, over a batch of one.
        var lines = SampleRun.SplitLines(output.ToString());
        Assert.Equal("\tLoss:0.25", lines[0]);
        Assert.Equal(["computer", "is", "my", "password", "pizza"], words.Order(StringComparer.Ordinal));
        Assert.Equal(words, lines[1..]);
    }

    [Fact]
    public void PaillierAddsFiveAndThreeWhileEncrypted()
    {
        SampleRun.AssertLines("The Answer: 8", SampleRun.Lines("ch15", "paillier"));
    }

    [SharedEnronSpamFact]
    public void LeakOnTheEnronVocabularyPrintsTheBooksLossAndWords()
    {
        var lines = SampleRun.Lines("ch15", "leak");

        Assert.Equal("\tLoss:0.25", lines[0]);
        Assert.Equal(["computer", "is", "my", "password", "pizza"], lines[1..].Order(StringComparer.Ordinal));
    }

    [SharedEnronSpamFact]
    public void SpamReachesTheReferenceAccuracyInThreePasses()
    {
        var lines = SampleRun.Lines("ch15", "spam");

        Assert.Equal(6, lines.Length);
        AssertLoss(0.06172511418550139, lines[0]);
        Assert.Equal("% Correct on Test Set: 96.5", lines[1]);
        AssertLoss(0.020005388846065446, lines[2]);
        Assert.Equal("% Correct on Test Set: 97.2", lines[3]);
        AssertLoss(0.015637967066425035, lines[4]);
        Assert.Equal("% Correct on Test Set: 97.45", lines[5]);
    }

    private static void AssertLoss(double expected, string line)
    {
        Assert.StartsWith("\tLoss:", line, StringComparison.Ordinal);
        double loss = double.Parse(line["\tLoss:".Length..], CultureInfo.InvariantCulture);
        Assert.True(Math.Abs(loss - expected) <= 1e-9 * expected, $"expected Loss:{expected} within 1e-9 relative, got {line}");
    }
}
