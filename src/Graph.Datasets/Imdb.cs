namespace Graph.Datasets;

/// <summary>
/// The IMDB movie reviews of chapter 11 (Maas et al. 2011, the aclImdb training split of 25,000 reviews) in the book's
/// format: <c>reviews.txt</c>, one lower-cased review per line with words separated by spaces, and <c>labels.txt</c>,
/// <c>positive</c> or <c>negative</c> on the line of the same number.
/// </summary>
/// <remarks>
/// Either file may be gzip-compressed (<c>reviews.txt.gz</c>). Every load checks both files completely: a corrupt
/// gzip stream, a label other than <c>positive</c>/<c>negative</c>, or a review count that differs from the label
/// count raises a <see cref="DatasetFormatException"/>. The labels can be downloaded from the book's repository; the
/// reviews file has no download source with a known checksum, so a missing one is reported with the folders to put
/// it in.
/// </remarks>
public static class Imdb
{
    /// <summary>The dataset's folder name.</summary>
    public const string DatasetName = "imdb";

    /// <summary>The label line of a positive review.</summary>
    public const string PositiveLabel = "positive";

    /// <summary>The label line of a negative review.</summary>
    public const string NegativeLabel = "negative";

    /// <summary>The reviews, one per line.</summary>
    public static DatasetFile ReviewsFile { get; } = new(
        "the 25,000 reviews, one per line, lower-cased words separated by spaces (the book's reviews.txt)",
        ["reviews.txt.gz", "reviews.txt"]);

    /// <summary>The labels, one per line.</summary>
    public static DatasetFile LabelsFile { get; } = new(
        "the 25,000 labels, 'positive' or 'negative' per line (the book's labels.txt)",
        ["labels.txt", "labels.txt.gz"],
        new DatasetDownload(
            new Uri("https://raw.githubusercontent.com/iamtrask/Grokking-Deep-Learning/e665168b4aefe3256360951504103cf98827ca51/labels.txt"),
            ContentChecksum.Sha256("301d18424e95957a000293f5d8393239451d7f54622a8f21613172aebe64ca06")));

    /// <summary>The dataset's two files.</summary>
    public static DatasetDescription Dataset { get; } = new(DatasetName, [ReviewsFile, LabelsFile]);

    /// <summary>Loads every review and its label, in file order.</summary>
    /// <param name="locator">Where to look for the files; the usual search order when null.</param>
    /// <exception cref="DatasetNotFoundException">A file is missing and could not be downloaded.</exception>
    /// <exception cref="DatasetFormatException">A file is corrupt, or the files do not match.</exception>
    public static ImdbData Load(DataLocator? locator = null)
    {
        locator ??= new DataLocator();
        string reviewsPath = locator.Locate(Dataset, ReviewsFile);
        string labelsPath = locator.Locate(Dataset, LabelsFile);
        List<string> reviews = TextLines.Read(reviewsPath);
        List<string> labelLines = TextLines.Read(labelsPath);
        if (reviews.Count != labelLines.Count)
        {
            throw new DatasetFormatException(labelsPath, $"holds {labelLines.Count} labels but {reviewsPath} holds {reviews.Count} reviews");
        }

        var labels = new int[labelLines.Count];
        for (int i = 0; i < labels.Length; i++)
        {
            labels[i] = labelLines[i] switch
            {
                PositiveLabel => 1,
                NegativeLabel => 0,
                string other => throw new DatasetFormatException(labelsPath,
                    $"line {i + 1} is '{other}', not '{PositiveLabel}' or '{NegativeLabel}'"),
            };
        }

        return new ImdbData(reviews, labels);
    }
}
