using System.Globalization;

namespace Graph.Datasets;

/// <summary>
/// The bAbI question-answering tasks v1.1 (Weston et al. 2015) of chapters 12 and 13, as the book's repository holds
/// them: <c>tasksv11/en/qa{n}_{name}_{train,test}.txt</c>. Each line is <c>ID text</c>, the ID counting the lines of a
/// story from 1; a question line is <c>ID question? \tanswer\tsupporting-fact-IDs</c>.
/// </summary>
/// <remarks>
/// The files are looked for under the dataset folder as <c>tasksv11/en/NAME</c> (the layout of the book's repository
/// and of Facebook's <c>tasks_1-20_v1-1.tar.gz</c>) or as a bare <c>NAME</c>, and when missing are downloaded from the
/// book's repository into the per-user cache, checked against their SHA-256 (a local copy is checked once too). Every load checks each line: a line that does
/// not start with a story line number and a space raises a <see cref="DatasetFormatException"/> naming the line.
/// </remarks>
public static class Babi
{
    /// <summary>The dataset's folder name.</summary>
    public const string DatasetName = "babi";

    /// <summary>The folder of the English tasks inside the dataset folder, as the archives lay them out.</summary>
    public const string TaskFolder = "tasksv11/en";

    /// <summary>The book's repository at the commit whose <c>tasksv11/en/</c> files the checksums describe.</summary>
    private const string BookRepository =
        "https://raw.githubusercontent.com/iamtrask/Grokking-Deep-Learning/e665168b4aefe3256360951504103cf98827ca51/";

    /// <summary>Task 1, single supporting fact, training split: 3,000 lines, 1,000 questions in 200 stories.</summary>
    public static DatasetFile SingleSupportingFactTrainingFile { get; } = TaskFile(
        "qa1_single-supporting-fact_train.txt",
        "the training split of task 1, single supporting fact (3,000 lines)",
        "c64ba9b1a49bbb111ffc4cd2ae4f129d25c012399dd7ade9679eea464b9afb05");

    /// <summary>Task 1, single supporting fact, test split: 3,000 lines, 1,000 questions in 200 stories.</summary>
    public static DatasetFile SingleSupportingFactTestFile { get; } = TaskFile(
        "qa1_single-supporting-fact_test.txt",
        "the test split of task 1, single supporting fact (3,000 lines)",
        "55acf66cef2f6d798e2aa1d056e1ec8f24e910ea9215b639450574321132959b");

    /// <summary>The task files the samples read.</summary>
    public static DatasetDescription Dataset { get; } =
        new(DatasetName, [SingleSupportingFactTrainingFile, SingleSupportingFactTestFile]);

    /// <summary>The lines of a task file, in file order, each without its line end.</summary>
    /// <param name="file">One of the files of <see cref="Dataset"/>.</param>
    /// <param name="locator">Where to look for the file; the usual search order when null.</param>
    /// <exception cref="DatasetNotFoundException">The file is missing and could not be downloaded.</exception>
    /// <exception cref="DatasetFormatException">The file is not UTF-8 text, or a line is not <c>ID text</c>.</exception>
    public static IReadOnlyList<string> ReadLines(DatasetFile file, DataLocator? locator = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        locator ??= new DataLocator();
        string path = locator.Locate(Dataset, file);
        List<string> lines = TextLines.Read(path);
        for (int i = 0; i < lines.Count; i++)
        {
            if (!StartsWithStoryLineNumber(lines[i]))
            {
                throw new DatasetFormatException(path,
                    $"line {i + 1} is '{lines[i]}', not 'ID text' (a story line number from 1, a space, then the text)");
            }
        }

        return lines;
    }

    /// <summary>
    /// The book's tokens of a line, <c>line.lower().replace("\n", "").split(" ")[1:]</c>: lower-cased, split on every
    /// single space with the line number dropped, so punctuation stays on its word (<c>bathroom.</c>) and a question's
    /// answer stays one token with its tabs (<c>\tbathroom\t1</c>).
    /// </summary>
    public static string[] Tokenize(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return line.ToLowerInvariant().Replace("\n", string.Empty, StringComparison.Ordinal).Split(' ')[1..];
    }

    /// <summary>Whether the line is a positive decimal number without leading zeros followed by a space.</summary>
    private static bool StartsWithStoryLineNumber(string line)
    {
        int space = line.IndexOf(' ', StringComparison.Ordinal);
        return space > 0
            && line[0] != '0'
            && line.AsSpan(0, space).IndexOfAnyExceptInRange('0', '9') < 0
            && int.TryParse(line.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out _);
    }

    private static DatasetFile TaskFile(string name, string description, string sha256) => new(
        description,
        [$"{TaskFolder}/{name}", name],
        new DatasetDownload(new Uri($"{BookRepository}{TaskFolder}/{name}"), ContentChecksum.Sha256(sha256)));
}
