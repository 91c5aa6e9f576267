namespace Graph.Datasets;

/// <summary>IMDB reviews and their sentiment labels, in file order.</summary>
public sealed class ImdbData
{
    /// <summary>Creates the set from reviews and labels.</summary>
    /// <param name="reviews">The reviews, each a line of the reviews file without its line end.</param>
    /// <param name="labels">1 for a positive review, 0 for a negative one, one per review.</param>
    public ImdbData(IReadOnlyList<string> reviews, IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(reviews);
        ArgumentNullException.ThrowIfNull(labels);
        if (reviews.Count != labels.Count)
        {
            throw new ArgumentException($"{reviews.Count} reviews need as many labels, not {labels.Count}.", nameof(labels));
        }

        for (int i = 0; i < labels.Count; i++)
        {
            if (labels[i] is not (0 or 1))
            {
                throw new ArgumentException($"Label {i} is {labels[i]}; a label is 1 (positive) or 0 (negative).", nameof(labels));
            }
        }

        Reviews = reviews;
        Labels = labels;
    }

    /// <summary>The number of reviews.</summary>
    public int Count => Reviews.Count;

    /// <summary>The reviews: lower-cased words separated by single spaces, as the book's file holds them.</summary>
    public IReadOnlyList<string> Reviews { get; }

    /// <summary>1 for a positive review, 0 for a negative one.</summary>
    public IReadOnlyList<int> Labels { get; }
}
