using System.Globalization;
using Graph.Crypto;
using Graph.Datasets;
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
    public void APassOverFewerEmailsThanOneBatchIsRefused()
    {
        var training = new SpamTraining<double>(vocab: 3, unknownIndex: 2);

        var error = Assert.Throws<ArgumentException>(() => training.TrainPass(training.NewModel(), [new int[SpamDataset.BookLength]], [1], TextWriter.Null));

        Assert.Contains("do not fill one batch of 500", error.Message, StringComparison.Ordinal);
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

    [SharedEnronSpamFact]
    public void FederatedAveragingPrintsTheBooksLogAndReferenceAccuracy()
    {
        var lines = SampleRun.Lines("ch15", "federated");

        // 15 lines a round, the book's print("\nRepeat!!\n") closing each.
        Assert.Equal(3 * 15, lines.Length);
        string[] steps = ["\tStep 1: send the model to Bob", "\tStep 2: send the model to Alice", "\tStep 3: Send the model to Sue"];
        for (int round = 0; round < 3; round++)
        {
            var r = lines[(15 * round)..(15 * (round + 1))];
            Assert.Equal("Starting Training Round...", r[0]);
            Assert.Equal([steps[0], "", steps[1], "", steps[2], "", "\tAverage Everyone's New Models"], [r[1], r[3], r[4], r[6], r[7], r[9], r[10]]);
            Assert.Equal(["", "Repeat!!", ""], r[12..]);
        }

        // Bob's and Alice's e-mails are the book's, so their first-round losses are the book's digits.
        Assert.Equal("\tLoss:0.21908166249699718", lines[2]);
        Assert.Equal("\tLoss:0.2937106899184867", lines[5]);
        AssertLoss(0.06171628229977269, lines[8]);
        Assert.Equal("\t% Correct on Test Set: 70.1", lines[11]);
        Assert.Equal("\t% Correct on Test Set: 91.75", lines[15 + 11]);
        AssertLoss(0.036838798059721234, lines[30 + 2]);
        Assert.Equal("\t% Correct on Test Set: 96.35000000000001", lines[30 + 11]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void EncryptedAggregationDecryptsSuesModelOverThreeOrTheMean(bool bookQuirk)
    {
        var keys = PaillierKeyPair.Generate(Chapter15Examples.AggregationKeyBits, allowInsecureKeySize: true);
        var aggregation = new EncryptedAggregation<double>(keys, bookQuirk);
        double[] bob = [0.3, -0.25, 0, 1e-6], alice = [0.15, 0.5, 0, -2e-6], sue = [-0.6, 0.125, 0, 4e-6];
        using var output = new StringWriter(CultureInfo.InvariantCulture);

        var combined = aggregation.Combine(bob, alice, sue, output);

        double[] expected = bookQuirk
            ? sue.Select(w => w / 3).ToArray()
            : Enumerable.Range(0, sue.Length).Select(i => (bob[i] + alice[i] + sue[i]) / 3).ToArray();
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], combined[i], 1e-15);
        }

        Assert.Equal(
            ["", "\tStep 4: Bob, Alice, and Sue send their", "\tencrypted models to each other.", "", "\tStep 5: only the aggregated model", "\tis sent back to the model owner who", "\t can decrypt it."],
            SampleRun.SplitLines(output.ToString()));
    }

    private static void AssertLoss(double expected, string line)
    {
        Assert.StartsWith("\tLoss:", line, StringComparison.Ordinal);
        double loss = double.Parse(line["\tLoss:".Length..], CultureInfo.InvariantCulture);
        Assert.True(Math.Abs(loss - expected) <= 1e-9 * expected, $"expected Loss:{expected} within 1e-9 relative, got {line}");
    }
}
