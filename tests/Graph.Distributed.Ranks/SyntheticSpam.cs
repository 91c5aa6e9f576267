using Graph.Runtime;
using Graph.Runtime.Datasets;

namespace Graph.Distributed.Ranks;

/// <summary>
/// Made-up e-mails for chapter 15's federated learning: enough for Bob's and Alice's 1,000 each and one batch of
/// 500 for Sue, over a vocabulary of about 60 words, spam and ham drawing mostly from their own words.
/// </summary>
public static class SyntheticSpam
{
    /// <summary>The e-mails of each class; the last <see cref="TestPerClass"/> are the test set.</summary>
    public const int PerClass = 1350;

    public const int TestPerClass = 50;

    public static SpamDataset Dataset()
    {
        var random = new NumpyRandom(15);
        string[] spamWords = Words("offer", 20), hamWords = Words("meeting", 20), shared = Words("the", 20);
        return SpamDataset.Prepare(new EnronSpamData(Lines(random, spamWords, shared), Lines(random, hamWords, shared)), testPerClass: TestPerClass);
    }

    private static string[] Words(string stem, int count) => Enumerable.Range(0, count).Select(i => $"{stem}{i}").ToArray();

    /// <summary>Lines of 4 to 15 words, two thirds from the class's words, each ending with the space the corpus lines end with.</summary>
    private static List<string> Lines(NumpyRandom random, string[] own, string[] shared)
    {
        var lines = new List<string>(PerClass);
        for (int i = 0; i < PerClass; i++)
        {
            int length = 4 + (int)random.RandInt(12);
            var words = Enumerable.Range(0, length).Select(_ => random.RandInt(3) < 2 ? own[random.RandInt(own.Length)] : shared[random.RandInt(shared.Length)]);
            lines.Add(string.Join(' ', words) + " ");
        }

        return lines;
    }
}
