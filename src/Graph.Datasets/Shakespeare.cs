namespace Graph.Datasets;

/// <summary>
/// The text of chapter 14, <c>shakespear.txt</c> of the book's repository: 99,993 characters of Shakespeare-style text
/// (62 distinct characters, <c>\n</c> line ends) that begins "That, poor contempt, ...". The book reads it whole,
/// <c>raw = f.read()</c>, and trains on its characters.
/// </summary>
/// <remarks>
/// The file is looked for under the dataset folder as <c>shakespear.txt</c> (the book's spelling), and when missing is
/// downloaded from the book's repository into the per-user cache, checked against its SHA-256 (a local copy is checked once too).
/// </remarks>
public static class Shakespeare
{
    /// <summary>The dataset's folder name.</summary>
    public const string DatasetName = "shakespeare";

    /// <summary>The file's name, as the book spells it.</summary>
    public const string FileName = "shakespear.txt";

    /// <summary>The book's repository at the commit whose <c>shakespear.txt</c> the checksum describes.</summary>
    private const string BookRepository =
        "https://raw.githubusercontent.com/iamtrask/Grokking-Deep-Learning/e665168b4aefe3256360951504103cf98827ca51/";

    /// <summary>The book's text file.</summary>
    public static DatasetFile TextFile { get; } = new(
        "the book's chapter 14 text (99,993 characters)",
        [FileName],
        new DatasetDownload(new Uri(BookRepository + FileName), ContentChecksum.Sha256("c879e55c5e318b9d978064e246306e01d60be15a50f64d9438daeaeacbc119e8")));

    /// <summary>The files the samples read.</summary>
    public static DatasetDescription Dataset { get; } = new(DatasetName, [TextFile]);

    /// <summary>The whole text, as the book's <c>f.read()</c> returns it (line ends kept).</summary>
    /// <param name="locator">Where to look for the file; the usual search order when null.</param>
    /// <exception cref="DatasetNotFoundException">The file is missing and could not be downloaded.</exception>
    /// <exception cref="DatasetFormatException">The file is not UTF-8 text, or it is empty.</exception>
    public static string ReadText(DataLocator? locator = null)
    {
        locator ??= new DataLocator();
        string path = locator.Locate(Dataset, TextFile);
        string text = TextLines.ReadText(path);
        if (text.Length == 0)
        {
            throw new DatasetFormatException(path, "is empty; the character models need at least one batch of text");
        }

        return text;
    }
}
