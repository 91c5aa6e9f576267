using Graph.Datasets;

namespace Graph.Samples.Chapter11;

/// <summary>
/// The IMDB reviews tokenised as the book does: each line as <c>readlines()</c> returns it, newline included, split
/// on single spaces. Every review's last token is therefore <c>'\n'</c> (a word in every review), and runs of spaces
/// give empty tokens. Loaded once per process.
/// </summary>
public sealed class ImdbCorpus
{
    private static readonly Lazy<ImdbCorpus> Shared = new(() => new ImdbCorpus(Imdb.Load()));

    private ImdbCorpus(ImdbData data)
    {
        Tokens = data.Reviews.Select(review => (review + "\n").Split(' ')).ToArray();
        Labels = data.Labels;
    }

    /// <summary>The corpus from the data directory the runtime's <see cref="DataLocator"/> finds.</summary>
    public static ImdbCorpus Load() => Shared.Value;

    /// <summary>Each review's tokens, in file order.</summary>
    public IReadOnlyList<string[]> Tokens { get; }

    /// <summary>1 for a positive review, 0 for a negative one.</summary>
    public IReadOnlyList<int> Labels { get; }

    /// <summary>The number of reviews.</summary>
    public int Count => Tokens.Count;
}
