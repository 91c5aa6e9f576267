namespace Graph.Datasets;

/// <summary>
/// Chapter 15's spam-detection sets, prepared from <see cref="EnronSpamData"/> as the book does: each e-mail as the
/// set of its words, padded with <see cref="UnknownWord"/> to a fixed length; the last e-mails of each class for
/// testing; training and test sets that alternate spam and ham.
/// </summary>
public sealed class SpamDataset
{
    /// <summary>The padding word; the book keeps its embedding row at zero.</summary>
    public const string UnknownWord = "<unk>";

    /// <summary>The book's e-mail length: 500 word indices.</summary>
    public const int BookLength = 500;

    /// <summary>The book's test set: the last 1,000 e-mails of each class.</summary>
    public const int BookTestPerClass = 1000;

    private SpamDataset(Vocabulary vocabulary, int length, int[][] trainInputs, int[] trainTargets, int[][] testInputs, int[] testTargets)
    {
        Vocabulary = vocabulary;
        UnknownIndex = vocabulary.IndexOf(UnknownWord);
        Length = length;
        TrainInputs = trainInputs;
        TrainTargets = trainTargets;
        TestInputs = testInputs;
        TestTargets = testTargets;
    }

    /// <summary>Every word of every e-mail (the dropped ones too) and <see cref="UnknownWord"/>, in first-occurrence order, spam before ham.</summary>
    public Vocabulary Vocabulary { get; }

    /// <summary>The index of <see cref="UnknownWord"/>.</summary>
    public int UnknownIndex { get; }

    /// <summary>The number of word indices per e-mail.</summary>
    public int Length { get; }

    /// <summary>The training e-mails, spam and ham alternating (spam first), each <see cref="Length"/> word indices.</summary>
    public IReadOnlyList<int[]> TrainInputs { get; }

    /// <summary>1 for spam, 0 for ham, one per training e-mail.</summary>
    public IReadOnlyList<int> TrainTargets { get; }

    /// <summary>The test e-mails, spam and ham alternating (spam first).</summary>
    public IReadOnlyList<int[]> TestInputs { get; }

    /// <summary>1 for spam, 0 for ham, one per test e-mail.</summary>
    public IReadOnlyList<int> TestTargets { get; }

    /// <summary>
    /// The book's <c>set(row[:-2].split(" "))</c> of a line read with its <c>'\n'</c>: the line without its last
    /// character (the space before the line end), split on single spaces (runs of spaces give the empty word), each
    /// distinct word once. The words keep their first-occurrence order (a Python set's order is arbitrary).
    /// </summary>
    public static IReadOnlyList<string> Words(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        string text = line.Length > 0 ? line[..^1] : line;
        return text.Split(' ').Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>Prepares the sets as the book does.</summary>
    /// <param name="data">The e-mails.</param>
    /// <param name="length">
    /// The indices per e-mail: an e-mail with fewer distinct words is padded with <see cref="UnknownWord"/>, and one
    /// with <paramref name="length"/> or more is left out (the book's <c>if(len(line) &lt; l)</c>).
    /// </param>
    /// <param name="testPerClass">The e-mails of each class, the last ones kept, that form the test set.</param>
    /// <remarks>
    /// The training set has <c>2 × max(spam, ham)</c> e-mails: pair i is the spam e-mail <c>i mod spam</c> followed
    /// by the ham e-mail <c>i mod ham</c>, so the smaller class is cycled. The test set is built the same way.
    /// </remarks>
    /// <exception cref="ArgumentException">A class keeps no more e-mails than the test set takes from it.</exception>
    public static SpamDataset Prepare(EnronSpamData data, int length = BookLength, int testPerClass = BookTestPerClass)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(testPerClass, 1);
        var spam = data.Spam.Select(Words).ToArray();
        var ham = data.Ham.Select(Words).ToArray();
        var vocabulary = Vocabulary.Build(spam.Concat(ham).Append([UnknownWord]));
        int unknown = vocabulary.IndexOf(UnknownWord);

        int[][] ToIndices(IReadOnlyList<string>[] emails, string name)
        {
            var kept = emails.Where(words => words.Count < length).Select(words =>
            {
                var indices = new int[length];
                Array.Fill(indices, unknown);
                for (int i = 0; i < words.Count; i++)
                {
                    indices[i] = vocabulary.IndexOf(words[i]);
                }

                return indices;
            }).ToArray();
            if (kept.Length <= testPerClass)
            {
                throw new ArgumentException(
                    $"{kept.Length} of the {emails.Length} {name} e-mails have fewer than {length} distinct words; the test set takes the last {testPerClass}, which leaves none to train on.",
                    nameof(data));
            }

            return kept;
        }

        var spamIndices = ToIndices(spam, "spam");
        var hamIndices = ToIndices(ham, "ham");
        var (trainInputs, trainTargets) = Interleave(spamIndices[..^testPerClass], hamIndices[..^testPerClass]);
        var (testInputs, testTargets) = Interleave(spamIndices[^testPerClass..], hamIndices[^testPerClass..]);
        return new SpamDataset(vocabulary, length, trainInputs, trainTargets, testInputs, testTargets);
    }

    /// <summary>Spam, ham, spam, ham ... for max(spam, ham) pairs, the shorter class cycled.</summary>
    private static (int[][] Inputs, int[] Targets) Interleave(int[][] spam, int[][] ham)
    {
        int pairs = Math.Max(spam.Length, ham.Length);
        var inputs = new int[2 * pairs][];
        var targets = new int[2 * pairs];
        for (int i = 0; i < pairs; i++)
        {
            inputs[2 * i] = spam[i % spam.Length];
            targets[2 * i] = 1;
            inputs[2 * i + 1] = ham[i % ham.Length];
        }

        return (inputs, targets);
    }
}
