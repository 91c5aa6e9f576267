using System.Text;
using Graph.Datasets;
using Xunit;

namespace Graph.Tests.Datasets;

public sealed class BabiTests : IDisposable
{
    private const string TrainingName = "qa1_single-supporting-fact_train.txt";

    private readonly TemporaryDirectory directory = new();
    private readonly string babiDirectory;
    private readonly DataLocator locator;

    public BabiTests()
    {
        babiDirectory = directory.CreateDirectory(Babi.DatasetName);
        locator = new DataLocator(new DataLocatorOptions { EnvironmentDirectory = directory.Path, VerifyLocalFiles = false });
    }

    public void Dispose() => directory.Dispose();

    [Fact]
    public void ReadsATaskFileInTheArchiveLayoutLineByLine()
    {
        string folder = directory.CreateDirectory(Babi.DatasetName, "tasksv11", "en");
        File.WriteAllText(Path.Combine(folder, TrainingName), "1 Mary moved to the bathroom.\n2 Where is Mary? \tbathroom\t1\n", new UTF8Encoding(false));

        IReadOnlyList<string> lines = Babi.ReadLines(Babi.SingleSupportingFactTrainingFile, locator);

        Assert.Equal(["1 Mary moved to the bathroom.", "2 Where is Mary? \tbathroom\t1"], lines);
    }

    [Fact]
    public void ReadsATaskFilePutDirectlyInTheDatasetFolder()
    {
        WriteText(TrainingName, "1 John went to the hallway.");

        Assert.Equal(["1 John went to the hallway."], Babi.ReadLines(Babi.SingleSupportingFactTrainingFile, locator));
    }

    [Fact]
    public void TokenizesAsTheBookDoes()
    {
        // line.lower().replace("\n","").split(" ")[1:]: single spaces, so a double space gives an empty token and the
        // question's answer stays one token with its tabs.
        Assert.Equal(["where", "is", "mary?", "\tbathroom\t1"], Babi.Tokenize("3 Where is Mary? \tbathroom\t1"));
        Assert.Equal(["mary", "", "moved."], Babi.Tokenize("1 Mary  moved.\n"));
        Assert.Equal([], Babi.Tokenize("7"));
        Assert.Equal([], Babi.Tokenize(string.Empty));
    }

    [Theory]
    [InlineData("Mary moved to the bathroom.")]
    [InlineData("01 Mary moved.")]
    [InlineData(" 1 Mary moved.")]
    [InlineData("1\tMary moved.")]
    [InlineData("")]
    public void RefusesALineThatIsNotIdAndTextNamingIt(string line)
    {
        string path = WriteText(TrainingName, $"1 John went to the hallway.\n{line}\n3 Where is John? \thallway\t1\n");

        var error = Assert.Throws<DatasetFormatException>(() => Babi.ReadLines(Babi.SingleSupportingFactTrainingFile, locator));

        Assert.Equal(path, error.FilePath);
        Assert.Contains($"line 2 is '{line}', not 'ID text'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingFileNamesEveryFolderSearchedAndWhereToPutWhichFile()
    {
        var error = Assert.Throws<DatasetNotFoundException>(() => Babi.ReadLines(Babi.SingleSupportingFactTrainingFile, locator));

        Assert.Equal(Babi.DatasetName, error.DatasetName);
        Assert.Contains($"Looked for tasksv11/en/{TrainingName} or {TrainingName}", error.Message, StringComparison.Ordinal);
        Assert.Contains(babiDirectory, error.Message, StringComparison.Ordinal);
        Assert.Contains($"put the files below in {babiDirectory}", error.Message, StringComparison.Ordinal);
        Assert.Contains(
            $"tasksv11/en/{TrainingName}: missing; the training split of task 1, single supporting fact (3,000 lines), from " +
            $"https://raw.githubusercontent.com/iamtrask/Grokking-Deep-Learning/e665168b4aefe3256360951504103cf98827ca51/tasksv11/en/{TrainingName}",
            error.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void DiscardsADownloadThatIsNotTheBooksFile()
    {
        var downloader = new FakeDownloader(Encoding.UTF8.GetBytes("1 Mary moved to the bathroom.\n"));

        var error = Assert.Throws<DatasetNotFoundException>(() => Babi.ReadLines(Babi.SingleSupportingFactTrainingFile, Downloading(downloader)));

        Assert.Equal([TrainingSource], downloader.Requests);
        Assert.Contains("not the expected c64ba9b1a49bbb111ffc4cd2ae4f129d25c012399dd7ade9679eea464b9afb05", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(directory.Path, "cache", Babi.DatasetName, "tasksv11", "en")));
    }

    [SharedBabiFact]
    public void DownloadsAMissingFileIntoTheArchiveLayoutOfTheCache()
    {
        string shared = Path.Combine(SharedBabiFactAttribute.Directory!, "tasksv11", "en", TrainingName);
        var downloader = new FakeDownloader(File.ReadAllBytes(shared));

        IReadOnlyList<string> lines = Babi.ReadLines(Babi.SingleSupportingFactTrainingFile, Downloading(downloader));

        Assert.Equal([TrainingSource], downloader.Requests);
        Assert.Equal(File.ReadAllBytes(shared), File.ReadAllBytes(Path.Combine(directory.Path, "cache", Babi.DatasetName, "tasksv11", "en", TrainingName)));
        Assert.Equal("1 Mary moved to the bathroom.", lines[0]);
    }

    [SharedBabiFact]
    public void TheSharedTrainingFileGivesTheBooksFirstThreeTokenLists()
    {
        var shared = new DataLocator(new DataLocatorOptions { EnvironmentDirectory = Path.GetDirectoryName(SharedBabiFactAttribute.Directory) });

        IReadOnlyList<string> lines = Babi.ReadLines(Babi.SingleSupportingFactTrainingFile, shared);

        Assert.Equal(3000, lines.Count);
        Assert.Equal(["mary", "moved", "to", "the", "bathroom."], Babi.Tokenize(lines[0]));
        Assert.Equal(["john", "went", "to", "the", "hallway."], Babi.Tokenize(lines[1]));
        Assert.Equal(["where", "is", "mary?", "\tbathroom\t1"], Babi.Tokenize(lines[2]));
    }

    private static Uri TrainingSource => new(
        $"https://raw.githubusercontent.com/iamtrask/Grokking-Deep-Learning/e665168b4aefe3256360951504103cf98827ca51/tasksv11/en/{TrainingName}");

    /// <summary>A locator that finds nothing on disk and downloads into a cache folder under the test's folder.</summary>
    private DataLocator Downloading(FakeDownloader downloader) => new(new DataLocatorOptions
    {
        CacheDirectory = directory.CreateDirectory("cache"),
        Downloader = downloader,
        ProgressDisplay = new LineProgressDisplay(TextWriter.Null),
    });

    private string WriteText(string name, string content)
    {
        string path = Path.Combine(babiDirectory, name);
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }
}
