using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Graph.Datasets;
using Xunit;

namespace Graph.Tests.Datasets;

/// <summary>
/// Hostile and damaged data files: each ends in a <see cref="DatasetFormatException"/> naming the file and what was
/// expected, before any buffer the size of a false claim is allocated, or is read correctly.
/// </summary>
public sealed class DatasetFaultTests : IDisposable
{
    /// <summary>Allocations allowed while a hostile file is refused: buffers and messages, nothing near its claims.</summary>
    private const long AllocationAllowance = 4 << 20;

    private readonly TemporaryDirectory directory = new();

    public void Dispose() => directory.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AnIdxHeaderClaimingMillionsOfImagesIsRefusedBeforeAllocating(bool gzip)
    {
        // 2,700,000 images of 28x28 would be 2,019 MiB; the file holds 16 bytes of header and 784 of pixels.
        string path = IdxFiles.Write(Path.Combine(directory.Path, "t10k-images-idx3-ubyte"),
            [.. IdxFiles.Header(IdxHeader.ImagesMagic, 2_700_000, 28, 28), .. IdxFiles.Pixels(1, 28, 28)], gzip);

        var (error, allocated) = Refused(() => IdxReader.ReadImages(path));

        Assert.Equal($"{path}: header promises 2700000 images of 28x28 (2116800000 bytes from offset 16) but the file holds 784 bytes of pixels", error.Message);
        Assert.InRange(allocated, 0, AllocationAllowance);
    }

    [Fact]
    public void DimensionsWhoseProductOverflowsAreNamed()
    {
        string path = IdxFiles.Write(Path.Combine(directory.Path, "huge"), IdxFiles.Header(IdxHeader.ImagesMagic, int.MaxValue, int.MaxValue, int.MaxValue), gzip: false);

        var error = Assert.Throws<DatasetFormatException>(() => IdxReader.ReadImages(path));

        Assert.Equal($"{path}: the header's dimensions 2147483647x2147483647x2147483647 (at offset 4) describe more bytes than a file can hold", error.Message);
    }

    [Fact]
    public void AGzipBombWhoseTrailerClaimsGigabytesIsRefusedBeforeDecompressing()
    {
        string path = Path.Combine(directory.CreateDirectory("shakespeare"), Shakespeare.FileName);
        byte[] bomb = IdxFiles.Gzip(new byte[64 << 20]);
        BinaryPrimitives.WriteUInt32LittleEndian(bomb.AsSpan(bomb.Length - 4), 3_000_000_000);
        File.WriteAllBytes(path, bomb);

        var (error, allocated) = Refused(() => Shakespeare.ReadText(Locator()));

        Assert.Equal($"{path}: its gzip trailer (at offset {bomb.Length - 4}) records 3000000000 uncompressed bytes, more than the 1073741824 bytes (1 GiB) a dataset file may hold", error.Message);
        Assert.InRange(allocated, 0, AllocationAllowance);
    }

    [Fact]
    public void AGzipBombWhoseTrailerUnderstatesItsSizeIsCutOffAtTheRecordedSize()
    {
        string path = Path.Combine(directory.CreateDirectory("shakespeare"), Shakespeare.FileName);
        byte[] bomb = IdxFiles.Gzip(new byte[64 << 20]);
        BinaryPrimitives.WriteUInt32LittleEndian(bomb.AsSpan(bomb.Length - 4), 1000);
        File.WriteAllBytes(path, bomb);

        var (error, allocated) = Refused(() => Shakespeare.ReadText(Locator()));

        Assert.Equal($"{path}: the gzip data decompresses to more than the 1000 bytes its trailer records (it is corrupt, or more than one gzip member)", error.Message);
        Assert.InRange(allocated, 0, AllocationAllowance);
    }

    [Fact]
    public void ATrailerClaimingMoreThanDeflateCanProduceIsRefused()
    {
        string path = Path.Combine(directory.Path, "labels.gz");
        byte[] gzip = IdxFiles.Gzip(IdxFiles.Labels(1, 2, 3));
        BinaryPrimitives.WriteUInt32LittleEndian(gzip.AsSpan(gzip.Length - 4), 500_000_000);
        File.WriteAllBytes(path, gzip);

        var error = Assert.Throws<DatasetFormatException>(() => IdxReader.ReadLabels(path));

        Assert.Contains($"its gzip trailer (at offset {gzip.Length - 4}) records 500000000 uncompressed bytes, more than deflate can produce from {gzip.Length} compressed bytes", error.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x1F, 0x8B })]
    [InlineData(new byte[] { 0x1F, 0x8B, 0x08 })]
    public void ATinyFileThatStartsLikeGzipIsADatasetFormatException(byte[] content)
    {
        string path = Path.Combine(directory.Path, "labels");
        File.WriteAllBytes(path, content);

        var error = Assert.Throws<DatasetFormatException>(() => IdxReader.ReadLabels(path));

        Assert.Equal($"{path}: the file starts like gzip (1F 8B) but is {content.Length} bytes long; gzip data is at least 18 bytes (header and trailer)", error.Message);
    }

    [Fact]
    public void EmptyDataSetsAreRefused()
    {
        string babi = WriteText(Path.Combine("babi", "tasksv11", "en", "qa1_single-supporting-fact_train.txt"), "");
        string reviews = WriteText(Path.Combine("imdb", "reviews.txt"), "");
        WriteText(Path.Combine("imdb", "labels.txt"), "");
        string spam = WriteText(Path.Combine("enron_spam", "spam.txt"), "");
        WriteText(Path.Combine("enron_spam", "ham.txt"), "Subject: hi \n");
        string images = IdxFiles.Write(Path.Combine(directory.CreateDirectory("mnist"), "t10k-images-idx3-ubyte.gz"), IdxFiles.Images(0, 28, 28, []), gzip: true);
        IdxFiles.Write(Path.Combine(directory.Path, "mnist", "t10k-labels-idx1-ubyte.gz"), IdxFiles.Labels(), gzip: true);

        Assert.Equal($"{babi}: is empty; a dataset file holds at least one line",
            Assert.Throws<DatasetFormatException>(() => Babi.ReadLines(Babi.SingleSupportingFactTrainingFile, Locator())).Message);
        Assert.Equal($"{reviews}: is empty; a dataset file holds at least one line", Assert.Throws<DatasetFormatException>(() => Imdb.Load(Locator())).Message);
        Assert.Equal($"{spam}: is empty; a dataset file holds at least one line", Assert.Throws<DatasetFormatException>(() => EnronSpam.Load(Locator())).Message);
        Assert.Equal($"{images}: holds no images (its header's count, at offset 4, is 0)", Assert.Throws<DatasetFormatException>(() => new Mnist(Locator()).LoadTest()).Message);
    }

    [Fact]
    public void AnEMailFileCutInsideALineIsRefused()
    {
        string spam = WriteText(Path.Combine("enron_spam", "spam.txt"), "Subject: buy now \nSubject: che");
        WriteText(Path.Combine("enron_spam", "ham.txt"), "Subject: hi \n");

        var error = Assert.Throws<DatasetFormatException>(() => EnronSpam.Load(Locator()));

        Assert.Equal($"{spam}: line 2 (from character 18) has no line end: the file ends inside it, so it is cut short", error.Message);
    }

    [Fact]
    public void CutShortFilesWithAKnownDigestAreRefusedAndNotRecorded()
    {
        string cache = directory.CreateDirectory("cache");
        string text = "That, poor contempt, or claim'd thou slept so faithful,\n";
        string path = WriteText(Path.Combine("data", Shakespeare.DatasetName, Shakespeare.FileName), text);
        var locator = new DataLocator(new DataLocatorOptions { EnvironmentDirectory = Path.Combine(directory.Path, "data"), CacheDirectory = cache });

        var error = Assert.Throws<DatasetFormatException>(() => Shakespeare.ReadText(locator));

        Assert.StartsWith($"{path}: its content (SHA256 ", error.Message);
        Assert.Contains("is none of the known versions of the book's chapter 14 text (99,993 characters) (SHA256 c879e55c5e318b9d978064e246306e01d60be15a50f64d9438daeaeacbc119e8): it is cut short, corrupt or another file.", error.Message);
        Assert.False(File.Exists(Path.Combine(cache, "verified-files.tsv")));
    }

    [SharedShakespeareFact]
    public void AVerifiedFileIsHashedOnceAndAgainWhenItsTimeStampChanges()
    {
        string cache = directory.CreateDirectory("cache");
        string data = directory.CreateDirectory("data", Shakespeare.DatasetName);
        string path = Path.Combine(data, Shakespeare.FileName);
        File.Copy(Path.Combine(SharedShakespeareFactAttribute.Directory!, Shakespeare.FileName), path);
        var locator = new DataLocator(new DataLocatorOptions { EnvironmentDirectory = Path.GetDirectoryName(data), CacheDirectory = cache });

        Assert.StartsWith("That, poor contempt", Shakespeare.ReadText(locator), StringComparison.Ordinal);
        string record = Path.Combine(cache, "verified-files.tsv");
        Assert.Contains(path, File.ReadAllText(record), StringComparison.Ordinal);

        // The same size and time stamp: remembered as verified, so a change that keeps both is not hashed again ...
        DateTime stamp = File.GetLastWriteTimeUtc(path);
        byte[] changed = File.ReadAllBytes(path);
        changed[0] = (byte)'W';
        File.WriteAllBytes(path, changed);
        File.SetLastWriteTimeUtc(path, stamp);
        Assert.StartsWith("What, poor contempt", Shakespeare.ReadText(locator), StringComparison.Ordinal);

        // ... and a new time stamp makes it hashed again, and refused.
        File.SetLastWriteTimeUtc(path, stamp.AddSeconds(5));
        Assert.Throws<DatasetFormatException>(() => Shakespeare.ReadText(locator));
    }

    [Fact]
    public void CrlfLineEndsReadAsLf()
    {
        WriteText(Path.Combine("babi", "qa1_single-supporting-fact_train.txt"), "1 Mary moved to the bathroom.\r\n2 Where is Mary? \tbathroom\t1\r\n");
        WriteText(Path.Combine("imdb", "reviews.txt"), "good film \r\nbad film \r\n");
        WriteText(Path.Combine("imdb", "labels.txt"), "positive\r\nnegative\r\n");
        WriteText(Path.Combine("shakespeare", Shakespeare.FileName), "a\r\nb\r\n");

        var lines = Babi.ReadLines(Babi.SingleSupportingFactTrainingFile, Locator());
        Assert.Equal(["1 Mary moved to the bathroom.", "2 Where is Mary? \tbathroom\t1"], lines);
        Assert.Equal(["mary?", "\tbathroom\t1"], Babi.Tokenize(lines[1])[2..]);
        Assert.Equal([1, 0], Imdb.Load(Locator()).Labels);
        Assert.Equal("a\nb\n", Shakespeare.ReadText(Locator()));
    }

    [Fact]
    public void ADirectoryInAFilesPlaceIsNamedAsSuch()
    {
        string folder = directory.CreateDirectory(Shakespeare.DatasetName, Shakespeare.FileName);

        var error = Assert.Throws<DatasetFormatException>(() => Shakespeare.ReadText(Locator()));

        Assert.Equal($"{folder}: is a directory, where the book's chapter 14 text (99,993 characters) was expected as a file; remove it or put the file there", error.Message);
        Assert.Equal($"{folder}: is a directory, where a data file was expected", Assert.Throws<DatasetFormatException>(() => IdxReader.ReadLabels(folder)).Message);
    }

    [Fact]
    public void ADamagedFileInTheCacheIsDownloadedAgain()
    {
        byte[] content = Encoding.ASCII.GetBytes("1 Mary moved to the bathroom.\n");
        var file = new DatasetFile("a task", ["task.txt"], new DatasetDownload(new Uri("https://example.invalid/task.txt"),
            ContentChecksum.Sha256(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(content)))));
        var dataset = new DatasetDescription("tasks", [file]);
        string cached = Path.Combine(directory.CreateDirectory("cache", "tasks"), "task.txt");
        File.WriteAllText(cached, "1 Mary mov");
        var downloader = new FakeDownloader(content);
        var locator = new DataLocator(new DataLocatorOptions
        {
            CacheDirectory = Path.Combine(directory.Path, "cache"),
            Downloader = downloader,
            ProgressDisplay = new LineProgressDisplay(TextWriter.Null),
        });

        Assert.Equal(cached, locator.Locate(dataset, file));
        Assert.Equal(content, File.ReadAllBytes(cached));
        Assert.Single(downloader.Requests);
    }

    private static (DatasetFormatException Error, long Allocated) Refused(Action read)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<DatasetFormatException>(read);
        return (error, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>A locator over the temporary folder that checks no digests: the files here are stand-ins under real names.</summary>
    private DataLocator Locator() => new(new DataLocatorOptions { EnvironmentDirectory = directory.Path, VerifyLocalFiles = false });

    private string WriteText(string relativePath, string text)
    {
        string path = Path.Combine(directory.Path, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }
}
