namespace Graph.Datasets;

/// <summary>
/// The words of a corpus, each with an index. The order is stable: words are numbered in the order they first
/// occur, sentences in the order given and words left to right, so the same corpus always gives the same indices.
/// </summary>
/// <remarks>
/// The book builds its vocabularies from Python sets, whose iteration order follows string hashes that change
/// from run to run; first-occurrence order gives the same set of words with indices that do not.
/// </remarks>
public sealed class Vocabulary
{
    private readonly Dictionary<string, int> indices;
    private readonly List<string> words;

    private Vocabulary(List<string> words, Dictionary<string, int> indices)
    {
        this.words = words;
        this.indices = indices;
    }

    /// <summary>The number of words.</summary>
    public int Count => words.Count;

    /// <summary>The words in index order.</summary>
    public IReadOnlyList<string> Words => words;

    /// <summary>The word with index <paramref name="index"/>.</summary>
    public string this[int index] => words[index];

    /// <summary>Numbers the distinct words of <paramref name="sentences"/> in first-occurrence order.</summary>
    /// <param name="sentences">The corpus, each sentence as its words.</param>
    /// <param name="keep">Which words belong in the vocabulary (all when null); the book drops the empty word.</param>
    public static Vocabulary Build(IEnumerable<IEnumerable<string>> sentences, Func<string, bool>? keep = null)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        var words = new List<string>();
        var indices = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (IEnumerable<string> sentence in sentences)
        {
            foreach (string word in sentence)
            {
                if ((keep is null || keep(word)) && indices.TryAdd(word, words.Count))
                {
                    words.Add(word);
                }
            }
        }

        return new Vocabulary(words, indices);
    }

    /// <summary>The index of <paramref name="word"/>.</summary>
    /// <exception cref="KeyNotFoundException">The word is not in the vocabulary.</exception>
    public int IndexOf(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return indices.TryGetValue(word, out int index)
            ? index
            : throw new KeyNotFoundException($"The word '{word}' is not in the vocabulary of {Count} words.");
    }

    /// <summary>The index of <paramref name="word"/>, when it is in the vocabulary.</summary>
    public bool TryGetIndex(string word, out int index)
    {
        ArgumentNullException.ThrowIfNull(word);
        return indices.TryGetValue(word, out index);
    }

    /// <summary>Whether <paramref name="word"/> is in the vocabulary.</summary>
    public bool Contains(string word) => TryGetIndex(word, out _);
}
