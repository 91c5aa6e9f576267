using System.IO.Compression;
using System.Text;
using Graph.Datasets;
using Xunit;

namespace Graph.Tests.Datasets;

public sealed class ImdbTests : IDisposable
{
    private readonly TemporaryDirectory directory = new();
    private readonly string imdbDirectory;
    private readonly DataLocator locator;

    public ImdbTests()
    {
        imdbDirectory = directory.CreateDirectory(Imdb.DatasetName);
        locator = new DataLocator(new DataLocatorOptions { EnvironmentDirectory = directory.Path, VerifyLocalFiles = false });
    }

    public void Dispose() => directory.Dispose();

    [Fact]
    public void LoadsReviewsAndLabelsInFileOrder()
    {
        WriteGzip("reviews.txt.gz", "a great film  \nthe worst .\tever  \n");
        WriteText("labels.txt", "positive\nnegative\n");

        ImdbData data = Imdb.Load(locator);

        Assert.Equal(2, data.Count);
        Assert.Equal(["a great film  ", "the worst .\tever  "], data.Reviews);
        Assert.Equal([1, 0], data.Labels);
    }

    [Fact]
    public void ReadsPlainFilesAndAFinalLineWithoutLineEnd()
    {
        WriteText("reviews.txt", "good\r\nbad");
        WriteText("labels.txt", "positive\r\nnegative");

        ImdbData data = Imdb.Load(locator);

        // A CRLF line end reads as LF, as Python's text mode reads it: no '\r' is left in a review or a label.
        Assert.Equal(["good", "bad"], data.Reviews);
        Assert.Equal([1, 0], data.Labels);
    }

    [Fact]
    public void RefusesALabelCountThatDiffersFromTheReviewCount()
    {
        WriteText("reviews.txt", "one\ntwo\nthree\n");
        string labels = WriteText("labels.txt", "positive\nnegative\n");

        var error = Assert.Throws<DatasetFormatException>(() => Imdb.Load(locator));

        Assert.Equal(labels, error.FilePath);
        Assert.Contains("holds 2 labels", error.Message, StringComparison.Ordinal);
        Assert.Contains("holds 3 reviews", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesAnUnknownLabelNamingItsLine()
    {
        WriteText("reviews.txt", "one\ntwo\n");
        string labels = WriteText("labels.txt", "positive\nneutral\n");

        var error = Assert.Throws<DatasetFormatException>(() => Imdb.Load(locator));

        Assert.Equal(labels, error.FilePath);
        Assert.Contains("line 2 is 'neutral'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusesATruncatedGzipFile()
    {
        byte[] whole = Gzip(string.Concat(Enumerable.Repeat("some words of a review .  \n", 2000)));
        string reviews = Path.Combine(imdbDirectory, "reviews.txt.gz");
        File.WriteAllBytes(reviews, whole[..(whole.Length / 2)]);
        WriteText("labels.txt", "positive\n");

        var error = Assert.Throws<DatasetFormatException>(() => Imdb.Load(locator));

        Assert.Equal(reviews, error.FilePath);
    }

    [Fact]
    public void RefusesTextThatIsNotUtf8()
    {
        string reviews = Path.Combine(imdbDirectory, "reviews.txt");
        File.WriteAllBytes(reviews, [(byte)'o', (byte)'k', 0xFF, (byte)'\n']);
        WriteText("labels.txt", "positive\n");

        var error = Assert.Throws<DatasetFormatException>(() => Imdb.Load(locator));

        Assert.Equal(reviews, error.FilePath);
        Assert.Contains("UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingReviewsFileNamesTheFileAndWhereToPutIt()
    {
        WriteText("labels.txt", "positive\n");

        var error = Assert.Throws<DatasetNotFoundException>(() => Imdb.Load(locator));

        Assert.Contains("reviews.txt.gz", error.Message, StringComparison.Ordinal);
        Assert.Contains(imdbDirectory, error.Message, StringComparison.Ordinal);
    }

    [SharedImdbFact]
    public void TheSharedFilesHoldTheBooksTwentyFiveThousandReviews()
    {
        var shared = new DataLocator(new DataLocatorOptions { EnvironmentDirectory = Path.GetDirectoryName(SharedImdbFactAttribute.Directory) });

        ImdbData data = Imdb.Load(shared);

        Assert.Equal(25_000, data.Count);
        Assert.Equal(12_500, data.Labels.Sum());
        Assert.All(Enumerable.Range(0, data.Count), i => Assert.Equal(i % 2 == 0 ? 1 : 0, data.Labels[i]));
        Assert.StartsWith("bromwell high is a cartoon comedy . it ran at the same time", data.Reviews[0], StringComparison.Ordinal);

        // The vocabulary under the book's split(" "), the empty word included (SOURCES.md: 73,996).
        Vocabulary vocabulary = Vocabulary.Build(data.Reviews.Select(review => review.Split(' ')));
        Assert.Equal(73_996, vocabulary.Count);
    }

    private string WriteText(string name, string content)
    {
        string path = Path.Combine(imdbDirectory, name);
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    private void WriteGzip(string name, string content) => File.WriteAllBytes(Path.Combine(imdbDirectory, name), Gzip(content));

    private static byte[] Gzip(string content)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal))
        {
            gzip.Write(Encoding.UTF8.GetBytes(content));
        }

        return buffer.ToArray();
    }
}
