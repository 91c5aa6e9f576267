namespace Graph.Datasets;

/// <summary>
/// The Enron-Spam e-mails of chapter 15 (Metsis, Androutsopoulos and Paliouras 2006, the "preprocessed" enron1-6
/// folders) in the book's format: <c>spam.txt</c> and <c>ham.txt</c>, one e-mail per line, its tokens separated by
/// spaces and the line ending in <c>" \n"</c>.
/// </summary>
/// <remarks>
/// Either file may be gzip-compressed (<c>spam.txt.gz</c>). The text is read as UTF-8 with invalid bytes dropped,
/// as the book's <c>codecs.open(..., errors='ignore')</c> reads it; a corrupt or truncated gzip stream raises a
/// <see cref="DatasetFormatException"/> naming the file, and so does an empty file or one whose last line has no
/// <c>'\n'</c> (every line of the format ends with one, so such a file was cut short). The corpus is published as folders of single e-mails, not
/// as these two files, so there is no download: a missing file is reported with the folders to put it in.
/// <see cref="SpamDataset.Prepare"/> turns the e-mails into the book's training and test sets.
/// </remarks>
public static class EnronSpam
{
    /// <summary>The dataset's folder name.</summary>
    public const string DatasetName = "enron_spam";

    /// <summary>The spam e-mails, one per line.</summary>
    public static DatasetFile SpamFile { get; } = new(
        "the spam e-mails of Enron-Spam (preprocessed enron1-6), one per line, tokens separated by spaces, each line ending in ' \\n' (the book's spam.txt)",
        ["spam.txt.gz", "spam.txt"]);

    /// <summary>The ham (legitimate) e-mails, one per line.</summary>
    public static DatasetFile HamFile { get; } = new(
        "the ham e-mails of Enron-Spam (preprocessed enron1-6), one per line, tokens separated by spaces, each line ending in ' \\n' (the book's ham.txt)",
        ["ham.txt.gz", "ham.txt"]);

    /// <summary>The dataset's two files.</summary>
    public static DatasetDescription Dataset { get; } = new(DatasetName, [SpamFile, HamFile]);

    /// <summary>Loads every spam and ham e-mail, in file order, each as its line without the <c>'\n'</c>.</summary>
    /// <param name="locator">Where to look for the files; the usual search order when null.</param>
    /// <exception cref="DatasetNotFoundException">A file is missing.</exception>
    /// <exception cref="DatasetFormatException">A file is corrupt.</exception>
    public static EnronSpamData Load(DataLocator? locator = null)
    {
        locator ??= new DataLocator();
        string spamPath = locator.Locate(Dataset, SpamFile);
        string hamPath = locator.Locate(Dataset, HamFile);
        return new EnronSpamData(
            TextLines.Read(spamPath, dropInvalidUtf8: true, requireFinalLineEnd: true),
            TextLines.Read(hamPath, dropInvalidUtf8: true, requireFinalLineEnd: true));
    }
}
