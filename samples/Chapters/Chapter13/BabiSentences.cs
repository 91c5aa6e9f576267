using Graph.Datasets;
using Graph.Samples.Chapter12;

namespace Graph.Samples.Chapter13;

/// <summary>
/// The book's Part 17 data: the first 1000 lines of bAbI task 1 as token lists (<see cref="BabiCorpus"/>), each
/// left-padded with <c>'-'</c> to six words, and every word's index in the vocabulary.
/// </summary>
/// <remarks>
/// The book's vocabulary is <c>list(set(...))</c>, in Python's per-process string-hash order; here the words are
/// numbered in order of first occurrence, so that a run can be repeated (the vocabulary's order changes which row
/// each word gets, not what can be learned).
/// </remarks>
public sealed class BabiSentences
{
    /// <summary>The padding word.</summary>
    public const string Padding = "-";

    private BabiSentences(Vocabulary vocabulary, int[] indices)
    {
        Vocabulary = vocabulary;
        Indices = indices;
    }

    /// <summary>The distinct words, numbered in order of first occurrence.</summary>
    public Vocabulary Vocabulary { get; }

    /// <summary>The sentences' word indices, six per sentence, row-major.</summary>
    public int[] Indices { get; }

    /// <summary>How many sentences there are.</summary>
    public int Count => Indices.Length / RnnCellNetwork<double>.SentenceLength;

    /// <summary>Reads and indexes the book's 1000 lines.</summary>
    /// <exception cref="DatasetNotFoundException">The task file is missing and could not be downloaded.</exception>
    /// <exception cref="InvalidDataException">A line has more than six words.</exception>
    public static BabiSentences Load() => From(BabiCorpus.Load());

    /// <summary>Pads and indexes token lists as the book does (<c>['-'] * (6 - len(line)) + line</c>).</summary>
    /// <exception cref="InvalidDataException">A line has more than six words.</exception>
    public static BabiSentences From(IReadOnlyList<string[]> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        const int length = RnnCellNetwork<double>.SentenceLength;
        var padded = new List<string[]>(lines.Count);
        for (int line = 0; line < lines.Count; line++)
        {
            var words = lines[line];
            if (words.Length > length)
            {
                throw new InvalidDataException($"Line {line + 1} of the bAbI corpus has {words.Length} words; the recurrent example takes at most {length}.");
            }

            padded.Add([.. Enumerable.Repeat(Padding, length - words.Length), .. words]);
        }

        var vocabulary = Vocabulary.Build(padded);
        var indices = padded.SelectMany(words => words.Select(vocabulary.IndexOf)).ToArray();
        return new BabiSentences(vocabulary, indices);
    }
}
