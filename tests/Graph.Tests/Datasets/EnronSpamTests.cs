using System.IO.Compression;
using System.Text;
using Graph.Datasets;
using Xunit;

namespace Graph.Tests.Datasets;

public sealed class EnronSpamTests : IDisposable
{
    private readonly TemporaryDirectory directory = new();
    private readonly string spamDirectory;
    private readonly DataLocator locator;

    public EnronSpamTests()
    {
        spamDirectory = directory.CreateDirectory(EnronSpam.DatasetName);
        locator = new DataLocator(new DataLocatorOptions { EnvironmentDirectory = directory.Path, VerifyLocalFiles = false });
    }

    public void Dispose() => directory.Dispose();

    [Fact]
    public void LoadsBothFilesInOrderDroppingInvalidUtf8Bytes()
    {
        WriteGzip("spam.txt.gz", "Subject: buy now \nSubject: cheap  pills \n");
        File.WriteAllBytes(Path.Combine(spamDirectory, "ham.txt"), [.. "Subject: lunch"u8, 0xFF, .. " today \n"u8]);

        EnronSpamData data = EnronSpam.Load(locator);

        Assert.Equal(["Subject: buy now ", "Subject: cheap  pills "], data.Spam);
        Assert.Equal(["Subject: lunch today "], data.Ham);
    }

    [Fact]
    public void RefusesATruncatedGzipFileNamingIt()
    {
        WriteText("ham.txt", "Subject: hi \n");
        byte[] whole = Gzip(string.Concat(Enumerable.Repeat("Subject: some spam words here \n", 2000)));
        string spam = Path.Combine(spamDirectory, "spam.txt.gz");
        File.WriteAllBytes(spam, whole[..(whole.Length / 2)]);

        var error = Assert.Throws<DatasetFormatException>(() => EnronSpam.Load(locator));

        Assert.Equal(spam, error.FilePath);
        Assert.Contains(spam, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingFileNamesTheFileAndWhereToPutIt()
    {
        WriteText("spam.txt", "Subject: hi \n");

        var error = Assert.Throws<DatasetNotFoundException>(() => EnronSpam.Load(locator));

        Assert.Contains("ham.txt.gz", error.Message, StringComparison.Ordinal);
        Assert.Contains(spamDirectory, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WordsAreTheBooksSetOfTheLineWithoutItsLastCharacter()
    {
        // row[:-2] of "a b  a c \n" is "a b  a c"; split(" ") gives a, b, '', a, c.
        Assert.Equal(["a", "b", "", "c"], SpamDataset.Words("a b  a c "));
        Assert.Equal([""], SpamDataset.Words(" "));
        Assert.Equal([""], SpamDataset.Words(string.Empty));
    }

    [Fact]
    public void PreparesPaddedInterleavedSetsAsTheBook()
    {
        // Length 4: e-mails with 4 or more distinct words are dropped. Test: the last 1 of each class.
        var data = new EnronSpamData(
            spam: ["s1 x ", "s2 long one two three ", "s3 x ", "s4 x "],
            ham: ["h1 ", "h2 y y ", "h3 "]);

        var set = SpamDataset.Prepare(data, length: 4, testPerClass: 1);

        var v = set.Vocabulary;
        Assert.Equal(SpamDataset.UnknownWord, v[v.Count - 1]);
        Assert.Equal(v.Count - 1, set.UnknownIndex);
        Assert.True(v.Contains("long"), "the vocabulary holds the words of dropped e-mails too");
        int unk = set.UnknownIndex;
        int[] Email(params string[] words) => [.. words.Select(v.IndexOf), .. Enumerable.Repeat(unk, 4 - words.Length)];

        // Kept spam: s1, s3, s4 (train s1, s3; test s4). Ham: h1, h2, h3 (train h1, h2; test h3).
        Assert.Equal([Email("s1", "x"), Email("h1"), Email("s3", "x"), Email("h2", "y")], set.TrainInputs);
        Assert.Equal([1, 0, 1, 0], set.TrainTargets);
        Assert.Equal([Email("s4", "x"), Email("h3")], set.TestInputs);
        Assert.Equal([1, 0], set.TestTargets);
    }

    [Fact]
    public void TheShorterClassIsCycled()
    {
        var data = new EnronSpamData(spam: ["a ", "b ", "c ", "d "], ham: ["e ", "f "]);

        var set = SpamDataset.Prepare(data, length: 3, testPerClass: 1);

        // Train spam a, b, c against ham e alone: e is repeated.
        var words = set.TrainInputs.Select(e => set.Vocabulary[e[0]]).ToArray();
        Assert.Equal(["a", "e", "b", "e", "c", "e"], words);
        Assert.Equal([1, 0, 1, 0, 1, 0], set.TrainTargets);
    }

    [Fact]
    public void AClassWithNothingLeftToTrainOnIsRefused()
    {
        var data = new EnronSpamData(spam: ["a ", "b "], ham: ["c "]);

        var error = Assert.Throws<ArgumentException>(() => SpamDataset.Prepare(data, length: 3, testPerClass: 1));

        Assert.Contains("ham", error.Message, StringComparison.Ordinal);
    }

    [SharedEnronSpamFact]
    public void TheSharedFilesHoldEveryEnronSpamEmail()
    {
        var shared = new DataLocator(new DataLocatorOptions { EnvironmentDirectory = Path.GetDirectoryName(SharedEnronSpamFactAttribute.Directory) });

        EnronSpamData data = EnronSpam.Load(shared);

        // SOURCES.md: 17,170 spam and 16,545 ham lines; the first ham line is "Subject: christmas tree farm pictures \n".
        Assert.Equal(17_170, data.Spam.Count);
        Assert.Equal(16_545, data.Ham.Count);
        Assert.Equal("Subject: christmas tree farm pictures ", data.Ham[0]);
        Assert.All(data.Spam, line => Assert.EndsWith(" ", line, StringComparison.Ordinal));
    }

    private string WriteText(string name, string content)
    {
        string path = Path.Combine(spamDirectory, name);
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    private void WriteGzip(string name, string content) => File.WriteAllBytes(Path.Combine(spamDirectory, name), Gzip(content));

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
