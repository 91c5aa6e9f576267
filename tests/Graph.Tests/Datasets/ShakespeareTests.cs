using System.Text;
using Graph.Datasets;
using Xunit;

namespace Graph.Tests.Datasets;

public sealed class ShakespeareTests : IDisposable
{
    private static readonly Uri Source =
        new("https://raw.githubusercontent.com/iamtrask/Grokking-Deep-Learning/e665168b4aefe3256360951504103cf98827ca51/shakespear.txt");

    private readonly TemporaryDirectory directory = new();
    private readonly string shakespeareDirectory;
    private readonly DataLocator locator;

    public ShakespeareTests()
    {
        shakespeareDirectory = directory.CreateDirectory(Shakespeare.DatasetName);
        locator = new DataLocator(new DataLocatorOptions { EnvironmentDirectory = directory.Path, VerifyLocalFiles = false });
    }

    public void Dispose() => directory.Dispose();

    [Fact]
    public void ReadsTheWholeTextWithItsLineEnds()
    {
        File.WriteAllText(Path.Combine(shakespeareDirectory, "shakespear.txt"), "That, poor\ncontempt,\n\nor", new UTF8Encoding(false));

        Assert.Equal("That, poor\ncontempt,\n\nor", Shakespeare.ReadText(locator));
    }

    [Fact]
    public void RefusesAnEmptyFileNamingIt()
    {
        string path = Path.Combine(shakespeareDirectory, "shakespear.txt");
        File.WriteAllText(path, string.Empty);

        var error = Assert.Throws<DatasetFormatException>(() => Shakespeare.ReadText(locator));

        Assert.Equal(path, error.FilePath);
        Assert.Contains("is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesTextThatIsNotUtf8()
    {
        File.WriteAllBytes(Path.Combine(shakespeareDirectory, "shakespear.txt"), [0x54, 0xff, 0x61]);

        var error = Assert.Throws<DatasetFormatException>(() => Shakespeare.ReadText(locator));

        Assert.Contains("is not valid UTF-8 text", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingFileNamesTheFolderAndWhereToGetTheFile()
    {
        var error = Assert.Throws<DatasetNotFoundException>(() => Shakespeare.ReadText(locator));

        Assert.Equal(Shakespeare.DatasetName, error.DatasetName);
        Assert.Contains(shakespeareDirectory, error.Message, StringComparison.Ordinal);
        Assert.Contains($"put the files below in {shakespeareDirectory}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"shakespear.txt: missing; the book's chapter 14 text (99,993 characters), from {Source}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DiscardsADownloadThatIsNotTheBooksFile()
    {
        var downloader = new FakeDownloader(Encoding.UTF8.GetBytes("That, poor contempt"));

        var error = Assert.Throws<DatasetNotFoundException>(() => Shakespeare.ReadText(Downloading(downloader)));

        Assert.Equal([Source], downloader.Requests);
        Assert.Contains("not the expected c879e55c5e318b9d978064e246306e01d60be15a50f64d9438daeaeacbc119e8", error.Message, StringComparison.Ordinal);
    }

    [SharedShakespeareFact]
    public void DownloadsAMissingFileIntoTheCache()
    {
        string shared = Path.Combine(SharedShakespeareFactAttribute.Directory!, "shakespear.txt");
        var downloader = new FakeDownloader(File.ReadAllBytes(shared));

        string text = Shakespeare.ReadText(Downloading(downloader));

        Assert.Equal([Source], downloader.Requests);
        Assert.Equal(File.ReadAllBytes(shared), File.ReadAllBytes(Path.Combine(directory.Path, "cache", Shakespeare.DatasetName, "shakespear.txt")));
        Assert.StartsWith("That,", text, StringComparison.Ordinal);
    }

    [SharedShakespeareFact]
    public void TheSharedFileIsTheBooksText()
    {
        var shared = new DataLocator(new DataLocatorOptions { EnvironmentDirectory = Path.GetDirectoryName(SharedShakespeareFactAttribute.Directory) });

        string raw = Shakespeare.ReadText(shared);

        Assert.Equal("That,", raw[0..5]);
        Assert.Equal(99993, raw.Length);
        Assert.Equal(62, raw.Distinct().Count());
    }

    /// <summary>A locator that finds nothing on disk and downloads into a cache folder under the test's folder.</summary>
    private DataLocator Downloading(FakeDownloader downloader) => new(new DataLocatorOptions
    {
        CacheDirectory = directory.CreateDirectory("cache"),
        Downloader = downloader,
        ProgressDisplay = new LineProgressDisplay(TextWriter.Null),
    });
}
