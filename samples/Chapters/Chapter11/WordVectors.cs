using Graph.Datasets;
using Graph.Samples.Formatting;

namespace Graph.Samples.Chapter11;

/// <summary>
/// The book's questions to a trained embedding (one row per vocabulary word): the nearest words by Euclidean
/// distance (<c>similar</c>) and word analogies (<c>analogy</c>), computed in double as numpy does, with results in
/// the order of Python's <c>Counter.most_common</c> (highest score first, ties in vocabulary order).
/// </summary>
public sealed class WordVectors
{
    private readonly double[] rows;

    /// <param name="table">The embedding, row-major: <paramref name="vocabulary"/>.Count rows of <paramref name="width"/>.</param>
    public WordVectors(double[] table, int width, Vocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(vocabulary);
        if (table.Length != vocabulary.Count * width)
        {
            throw new ArgumentException($"The table holds {table.Length} values, not {vocabulary.Count} words × {width}.", nameof(table));
        }

        rows = table;
        Width = width;
        Vocabulary = vocabulary;
    }

    public int Width { get; }

    public Vocabulary Vocabulary { get; }

    /// <summary>
    /// <c>similar(target)</c>: the <paramref name="count"/> words whose rows are nearest to the target's, each with
    /// minus its distance (the target itself first, at -0.0).
    /// </summary>
    public IReadOnlyList<(string Word, double Score)> Nearest(string target, int count = 10)
    {
        var query = Row(Vocabulary.IndexOf(target)).ToArray();
        return MostCommon(query, count);
    }

    /// <summary>
    /// <c>analogy(positive, negative)</c>: the book's query, each row scaled by its squared norm (<c>weights *
    /// np.sum(weights * weights, axis=1)</c>), summed over <paramref name="positive"/> minus <paramref name="negative"/>;
    /// the 10 nearest rows to it, less the first.
    /// </summary>
    public IReadOnlyList<(string Word, double Score)> Analogy(IReadOnlyList<string> positive, IReadOnlyList<string> negative)
    {
        var query = new double[Width];
        foreach (var (words, sign) in new[] { (positive, 1.0), (negative, -1.0) })
        {
            foreach (string word in words)
            {
                var row = Row(Vocabulary.IndexOf(word));
                double norm = 0;
                foreach (double v in row)
                {
                    norm += v * v;
                }

                for (int i = 0; i < Width; i++)
                {
                    query[i] += sign * (row[i] * norm);
                }
            }
        }

        return MostCommon(query, 10).Skip(1).ToList();
    }

    /// <summary>Python's <c>str</c> of a list of (word, score) tuples: <c>[('beautiful', -0.0), ('unique', -0.71...)]</c>.</summary>
    public static string Format(IReadOnlyList<(string Word, double Score)> scores) =>
        "[" + string.Join(", ", scores.Select(s => $"({PythonFormat.Repr(s.Word)}, {PythonFormat.Repr(s.Score)})")) + "]";

    private ReadOnlySpan<double> Row(int index) => rows.AsSpan(index * Width, Width);

    /// <summary>Scores every word by minus the distance of its row to <paramref name="query"/>; the best <paramref name="count"/>, stably.</summary>
    private List<(string Word, double Score)> MostCommon(double[] query, int count)
    {
        var best = new List<(int Index, double Score)>(count + 1);
        for (int index = 0; index < Vocabulary.Count; index++)
        {
            var row = Row(index);
            double sum = 0;
            for (int i = 0; i < Width; i++)
            {
                double difference = row[i] - query[i];
                sum += difference * difference;
            }

            double score = -Math.Sqrt(sum);

            // Insert after every equal score, so ties keep vocabulary order.
            int at = best.Count;
            while (at > 0 && best[at - 1].Score < score)
            {
                at--;
            }

            if (at < count)
            {
                best.Insert(at, (index, score));
                if (best.Count > count)
                {
                    best.RemoveAt(count);
                }
            }
        }

        return best.Select(b => (Vocabulary[b.Index], b.Score)).ToList();
    }
}
