using System.Security.Cryptography;
using Graph.Datasets;
using Xunit;

namespace Graph.Tests.Datasets;

public sealed class DownloadTests : IDisposable
{
    private static readonly Uri Source = new("https://example.invalid/digits/images.gz");
    private static readonly byte[] Content = Enumerable.Range(0, 25_000).Select(i => (byte)(i * 13)).ToArray();

    private readonly TemporaryDirectory directory = new();
    private readonly StringWriter progressLog = new();

    public void Dispose() => directory.Dispose();

    private string CacheFolder => Path.Combine(directory.Path, "digits");

    [Fact]
    public void DownloadsAMissingFileIntoTheCacheOnceItsChecksumMatches()
    {
        var downloader = new FakeDownloader(Content);
        DatasetFile file = ImagesFile(Md5Of(Content));

        string path = Locator(downloader).Locate(Dataset(file), file);

        Assert.Equal(Path.Combine(CacheFolder, "images.gz"), path);
        Assert.Equal(Content, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(CacheFolder));
        Assert.Equal([Source], downloader.Requests);
        Assert.StartsWith("Downloading images.gz", progressLog.ToString());
    }

    [Fact]
    public void DoesNotDownloadAFileAlreadyInTheCache()
    {
        var downloader = new FakeDownloader(Content);
        DatasetFile file = ImagesFile(Md5Of(Content));

        string first = Locator(downloader).Locate(Dataset(file), file);
        string second = Locator(downloader).Locate(Dataset(file), file);

        Assert.Equal(first, second);
        Assert.Single(downloader.Requests);
    }

    [Fact]
    public void ChecksTheUncompressedContentOfAGzipDownload()
    {
        byte[] compressed = IdxFiles.Gzip(Content);
        DatasetFile file = ImagesFile(Md5Of(Content));

        string path = Locator(new FakeDownloader(compressed)).Locate(Dataset(file), file);

        Assert.Equal(compressed, File.ReadAllBytes(path));
    }

    [Fact]
    public void DiscardsADownloadWithTheWrongChecksum()
    {
        string expected = Md5Of([1, 2, 3]);
        DatasetFile file = ImagesFile(expected);

        var error = Assert.Throws<DatasetNotFoundException>(() => Locator(new FakeDownloader(Content)).Locate(Dataset(file), file));

        Assert.Contains($"Downloading it from {Source} failed: the MD5 of its uncompressed content is {Md5Of(Content)}, not the expected {expected}", error.Message);
        Assert.IsType<InvalidDataException>(error.InnerException);
        Assert.Empty(Directory.GetFileSystemEntries(CacheFolder));
    }

    [Fact]
    public void LeavesNothingBehindWhenTheTransferBreaksOff()
    {
        DatasetFile file = ImagesFile(Md5Of(Content));

        var error = Assert.Throws<DatasetNotFoundException>(
            () => Locator(new FakeDownloader(Content, failAfter: 5_000)).Locate(Dataset(file), file));

        Assert.Contains("failed: The connection was reset.", error.Message);
        Assert.IsType<IOException>(error.InnerException);
        Assert.Empty(Directory.GetFileSystemEntries(CacheFolder));
    }

    [Fact]
    public void ExplainsThatDownloadsAreDisabled()
    {
        DatasetFile file = ImagesFile(Md5Of(Content));
        var locator = new DataLocator(new DataLocatorOptions { CacheDirectory = directory.Path });

        var error = Assert.Throws<DatasetNotFoundException>(() => locator.Locate(Dataset(file), file));

        Assert.Contains($"Downloads are disabled, so it was not downloaded from {Source}.", error.Message);
        Assert.Contains($"  images.gz: missing; the images, from {Source}", error.Message);
        Assert.False(Directory.Exists(CacheFolder));
    }

    [Fact]
    public void PrintsAPlainLineForEveryTenPercent()
    {
        var display = new LineProgressDisplay(progressLog);

        display.Show("images.gz", progress =>
        {
            for (long received = 0; received <= 2_000_000; received += 50_000)
            {
                progress.Report(new DownloadProgress(received, 2_000_000));
            }
        });

        string[] lines = progressLog.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(11, lines.Length);
        Assert.Equal("Downloading images.gz", lines[0]);
        Assert.Equal("Downloading images.gz: 10% (0.2 MiB of 1.9 MiB)", lines[1]);
        Assert.Equal("Downloading images.gz: 100% (1.9 MiB of 1.9 MiB)", lines[10]);
    }

    [Fact]
    public void PrintsNothingForADownloadThatFailsBeforeTheServerAnswers()
    {
        var display = new LineProgressDisplay(progressLog);

        Assert.Throws<HttpRequestException>(() => display.Show("images.gz", _ => throw new HttpRequestException("Name or service not known")));

        Assert.Empty(progressLog.ToString());
    }

    [Fact]
    public void PrintsAPlainLinePerMebibyteWhenTheSizeIsUnknown()
    {
        var display = new LineProgressDisplay(progressLog);

        display.Show("images.gz", progress =>
        {
            for (long received = 0; received <= 3 << 20; received += 1 << 18)
            {
                progress.Report(new DownloadProgress(received, TotalBytes: null));
            }
        });

        Assert.Equal(
            ["Downloading images.gz", "Downloading images.gz: 1.0 MiB", "Downloading images.gz: 2.0 MiB", "Downloading images.gz: 3.0 MiB"],
            progressLog.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void ComputesChecksumsOfTheUncompressedContent()
    {
        string plain = Path.Combine(directory.Path, "plain");
        string compressed = Path.Combine(directory.Path, "compressed.gz");
        File.WriteAllBytes(plain, Content);
        File.WriteAllBytes(compressed, IdxFiles.Gzip(Content));
        ContentChecksum sha256 = ContentChecksum.Sha256(Convert.ToHexString(SHA256.HashData(Content)));

        Assert.True(sha256.Matches(plain, out _));
        Assert.True(sha256.Matches(compressed, out string actual));
        Assert.Equal(sha256.ExpectedHex, actual);
        Assert.False(ContentChecksum.Md5(Md5Of([1])).Matches(compressed, out _));
        Assert.Throws<ArgumentException>(() => ContentChecksum.Md5("not hex"));
        Assert.Throws<ArgumentException>(() => ContentChecksum.Sha256(Md5Of(Content)));
    }

    private static string Md5Of(byte[] content) => Convert.ToHexStringLower(MD5.HashData(content));

    private static DatasetFile ImagesFile(string md5) =>
        new("the images", ["images.gz"], new DatasetDownload(Source, ContentChecksum.Md5(md5)));

    private static DatasetDescription Dataset(DatasetFile file) => new("digits", [file]);

    private DataLocator Locator(IDownloader downloader) => new(new DataLocatorOptions
    {
        CacheDirectory = directory.Path,
        Downloader = downloader,
        ProgressDisplay = new LineProgressDisplay(progressLog),
    });
}
