using Graph.Datasets;

namespace Graph.Samples.Chapter12;

/// <summary>
/// The book's chapter 12 corpus: the first 1000 lines of bAbI task 1's training file, each tokenised as
/// <c>line.lower().replace("\n","").split(" ")[1:]</c>.
/// </summary>
public static class BabiCorpus
{
    /// <summary>How many lines the book reads (<c>raw[0:1000]</c>).</summary>
    public const int LineCount = 1000;

    /// <summary>The token lists of the first <see cref="LineCount"/> lines.</summary>
    /// <exception cref="DatasetNotFoundException">The task file is missing and could not be downloaded.</exception>
    public static IReadOnlyList<string[]> Load() =>
        Babi.ReadLines(Babi.SingleSupportingFactTrainingFile).Take(LineCount).Select(Babi.Tokenize).ToList();
}
