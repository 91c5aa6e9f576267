using Graph.Datasets;
using Xunit;

namespace Graph.Tests.Datasets;

public sealed class IdxReaderTests : IDisposable
{
    private readonly TemporaryDirectory directory = new();

    public void Dispose() => directory.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsAllImagesOfPlainAndGzipFiles(bool gzip)
    {
        byte[] pixels = IdxFiles.Pixels(3, 2, 4);
        string path = IdxFiles.Write(Path.Combine(directory.Path, "images.idx"), IdxFiles.Images(3, 2, 4, pixels), gzip);

        IdxImages images = IdxReader.ReadImages(path);

        Assert.Equal((3, 2, 4, 8), (images.Count, images.Rows, images.Columns, images.ImageSize));
        Assert.Equal(pixels, images.Pixels);
    }

    [Fact]
    public void RecognisesGzipByItsContentNotItsName()
    {
        byte[] pixels = IdxFiles.Pixels(2, 3, 3);
        string gzipNamedPlain = IdxFiles.Write(Path.Combine(directory.Path, "images-idx3-ubyte"), IdxFiles.Images(2, 3, 3, pixels), gzip: true);
        string plainNamedGzip = IdxFiles.Write(Path.Combine(directory.Path, "images-idx3-ubyte.gz"), IdxFiles.Images(2, 3, 3, pixels), gzip: false);

        Assert.Equal(pixels, IdxReader.ReadImages(gzipNamedPlain).Pixels);
        Assert.Equal(pixels, IdxReader.ReadImages(plainNamedGzip).Pixels);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsTheFirstImagesWhenACountIsGiven(bool gzip)
    {
        byte[] pixels = IdxFiles.Pixels(5, 2, 2);
        string path = IdxFiles.Write(Path.Combine(directory.Path, "images"), IdxFiles.Images(5, 2, 2, pixels), gzip);

        IdxImages images = IdxReader.ReadImages(path, count: 2);

        Assert.Equal(2, images.Count);
        Assert.Equal(pixels[..8], images.Pixels);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsLabels(bool gzip)
    {
        string path = IdxFiles.Write(Path.Combine(directory.Path, "labels"), IdxFiles.Labels(5, 0, 4, 1), gzip);

        Assert.Equal([5, 0, 4, 1], IdxReader.ReadLabels(path));
        Assert.Equal([5, 0], IdxReader.ReadLabels(path, count: 2));
    }

    [Fact]
    public void ReadsHeaders()
    {
        string path = IdxFiles.Write(Path.Combine(directory.Path, "images"), IdxFiles.Images(3, 28, 28, IdxFiles.Pixels(3, 28, 28)), gzip: true);

        IdxHeader header = IdxReader.ReadHeader(path, IdxHeader.ImagesMagic);

        Assert.Equal<int>([3, 28, 28], header.Dimensions);
        Assert.Equal((3, 784L, 3 * 784L, 16, IdxHeader.ImagesMagic), (header.Count, header.ItemLength, header.DataLength, header.Length, header.Magic));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RejectsATruncatedFileNamingThePromiseAndTheBytesHeld(bool gzip)
    {
        byte[] complete = IdxFiles.Images(10, 28, 28, IdxFiles.Pixels(10, 28, 28));
        string path = IdxFiles.Write(Path.Combine(directory.Path, "t10k-images-idx3-ubyte.gz"), complete[..(16 + 1234)], gzip);

        var error = Assert.Throws<DatasetFormatException>(() => IdxReader.ReadImages(path));

        Assert.Equal(path, error.FilePath);
        Assert.Equal($"{path}: header promises 10 images of 28x28 (7840 bytes from offset 16) but the file holds 1234 bytes of pixels", error.Message);
    }

    [Fact]
    public void RejectsATruncationBeyondTheImagesRequested()
    {
        byte[] complete = IdxFiles.Images(4, 2, 2, IdxFiles.Pixels(4, 2, 2));
        string path = IdxFiles.Write(Path.Combine(directory.Path, "images"), complete[..^1], gzip: true);

        var error = Assert.Throws<DatasetFormatException>(() => IdxReader.ReadImages(path, count: 1));

        Assert.Contains("header promises 4 images of 2x2 (16 bytes from offset 16) but the file holds 15 bytes of pixels", error.Message);
    }

    [Fact]
    public void RejectsACutOffGzipStream()
    {
        byte[] gzip = IdxFiles.Gzip(IdxFiles.Images(100, 28, 28, IdxFiles.Pixels(100, 28, 28)));
        string path = Path.Combine(directory.Path, "images.gz");
        File.WriteAllBytes(path, gzip[..(gzip.Length / 2)]);

        var error = Assert.Throws<DatasetFormatException>(() => IdxReader.ReadImages(path));

        // The last four bytes of the cut file are deflate data read as a size trailer: the size they claim, or the
        // stream that ends before it, gives the file away before 78,400 bytes are allocated.
        Assert.StartsWith($"{path}: ", error.Message);
        Assert.Matches("gzip (trailer|data)", error.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RejectsTrailingBytes(bool gzip)
    {
        string path = IdxFiles.Write(Path.Combine(directory.Path, "labels"), [.. IdxFiles.Labels(1, 2, 3), 9, 9], gzip);

        var error = Assert.Throws<DatasetFormatException>(() => IdxReader.ReadLabels(path));

        Assert.Equal($"{path}: header promises 3 labels (3 bytes from offset 8) but the file holds 5 bytes of labels (2 extra bytes after the data)", error.Message);
    }

    [Fact]
    public void RejectsALabelFileReadAsImages()
    {
        string path = IdxFiles.Write(Path.Combine(directory.Path, "train-labels-idx1-ubyte.gz"), IdxFiles.Labels(1, 2), gzip: true);

        var error = Assert.Throws<DatasetFormatException>(() => IdxReader.ReadImages(path));

        Assert.Contains(path, error.Message);
        Assert.Contains("magic number 0x00000801", error.Message);
        Assert.Contains("expected 0x00000803", error.Message);
    }

    [Fact]
    public void RejectsAFileThatIsNotIdx()
    {
        string path = Path.Combine(directory.Path, "notes.txt");
        File.WriteAllText(path, "these are not pixels");

        var error = Assert.Throws<DatasetFormatException>(() => IdxReader.ReadLabels(path));

        Assert.Equal($"{path}: magic number 0x74686573 is not that of an IDX file of unsigned bytes (expected 0x00000801, an IDX1 label file)", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(10)]
    public void RejectsAFileEndingInsideTheHeader(int length)
    {
        byte[] header = IdxFiles.Header(IdxHeader.ImagesMagic, 1, 28, 28);
        string path = IdxFiles.Write(Path.Combine(directory.Path, "images"), header[..length], gzip: false);

        var error = Assert.Throws<DatasetFormatException>(() => IdxReader.ReadImages(path));

        Assert.StartsWith($"{path}: the file ", error.Message);
        Assert.Contains("header", error.Message);
    }

    [Fact]
    public void RejectsNegativeAndEmptyDimensions()
    {
        string negative = IdxFiles.Write(Path.Combine(directory.Path, "negative"), IdxFiles.Header(IdxHeader.ImagesMagic, -1, 28, 28), gzip: false);
        string empty = IdxFiles.Write(Path.Combine(directory.Path, "empty"), IdxFiles.Header(IdxHeader.ImagesMagic, 1, 0, 28), gzip: false);

        Assert.Contains("dimension 0 (at offset 4) the size -1", Assert.Throws<DatasetFormatException>(() => IdxReader.ReadImages(negative)).Message);
        Assert.Contains("dimension 1 (at offset 8) the size 0", Assert.Throws<DatasetFormatException>(() => IdxReader.ReadImages(empty)).Message);
    }

    [Fact]
    public void RejectsCorruptGzipData()
    {
        byte[] gzip = IdxFiles.Gzip(IdxFiles.Images(20, 28, 28, IdxFiles.Pixels(20, 28, 28)));
        gzip.AsSpan(10, 40).Fill(0xFF); // a deflate block of the reserved type 3, then garbage
        string path = Path.Combine(directory.Path, "t10k-images-idx3-ubyte.gz");
        File.WriteAllBytes(path, gzip);

        var error = Assert.Throws<DatasetFormatException>(() => IdxReader.ReadImages(path));

        Assert.StartsWith($"{path}: the gzip data is corrupt", error.Message);
        Assert.IsType<InvalidDataException>(error.InnerException, exactMatch: false);
    }

    [Fact]
    public void RejectsACountAboveWhatTheFileHolds()
    {
        string path = IdxFiles.Write(Path.Combine(directory.Path, "labels"), IdxFiles.Labels(1, 2, 3), gzip: false);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => IdxReader.ReadLabels(path, count: 4));

        Assert.Contains($"{path} holds 3 labels, fewer than the 4 requested", error.Message);
    }
}
