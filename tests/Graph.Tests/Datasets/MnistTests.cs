using Graph.Datasets;
using Xunit;

namespace Graph.Tests.Datasets;

public sealed class MnistTests : IDisposable
{
    private readonly TemporaryDirectory directory = new();
    private readonly string mnistDirectory;
    private readonly Mnist mnist;

    public MnistTests()
    {
        mnistDirectory = directory.CreateDirectory(Mnist.DatasetName);
        mnist = new Mnist(new DataLocator(new DataLocatorOptions { EnvironmentDirectory = directory.Path, VerifyLocalFiles = false }));
    }

    public void Dispose() => directory.Dispose();

    [Fact]
    public void LoadsTheTestSet()
    {
        byte[] pixels = IdxFiles.Pixels(3, 28, 28);
        WriteImages("t10k-images-idx3-ubyte.gz", 3, pixels);
        WriteLabels("t10k-labels-idx1-ubyte.gz", 7, 2, 1);

        MnistData test = mnist.LoadTest();

        Assert.Equal(3, test.Count);
        Assert.Equal(pixels, test.Pixels);
        Assert.Equal([7, 2, 1], test.Labels);
    }

    [Fact]
    public void LoadsTheFirstTrainingImages()
    {
        byte[] pixels = IdxFiles.Pixels(4, 28, 28);
        WriteImages("train-images-idx3-ubyte.gz", 4, pixels);
        WriteLabels("train-labels-idx1-ubyte.gz", 5, 0, 4, 1);

        MnistData training = mnist.LoadTraining(2);

        Assert.Equal(2, training.Count);
        Assert.Equal(pixels[..(2 * Mnist.ImageSize)], training.Pixels);
        Assert.Equal([5, 0], training.Labels);
    }

    [Fact]
    public void AcceptsTheFirstTenThousandFileWithTheFullLabelFile()
    {
        WriteImages(Mnist.FirstTrainingImagesFileName, 2, IdxFiles.Pixels(2, 28, 28));
        WriteLabels("train-labels-idx1-ubyte.gz", 5, 0, 4, 1);

        Assert.Equal([5, 0], mnist.LoadTraining(2).Labels);
    }

    [Fact]
    public void RefusesMoreTrainingImagesThanTheFileHoldsNamingTheFileAndItsCount()
    {
        string images = WriteImages(Mnist.FirstTrainingImagesFileName, 2, IdxFiles.Pixels(2, 28, 28));
        WriteLabels("train-labels-idx1-ubyte.gz", 5, 0, 4, 1);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => mnist.LoadTraining(3));

        Assert.Contains($"{images} holds 2 training images, fewer than the 3 requested", error.Message);
        Assert.Contains("train-images-idx3-ubyte.gz", error.Message);
        Assert.Contains(mnistDirectory, error.Message);
    }

    [Fact]
    public void RejectsALabelCountThatDiffersFromTheImageCount()
    {
        string images = WriteImages("t10k-images-idx3-ubyte.gz", 3, IdxFiles.Pixels(3, 28, 28));
        string labels = WriteLabels("t10k-labels-idx1-ubyte.gz", 7, 2);

        var error = Assert.Throws<DatasetFormatException>(() => mnist.LoadTest());

        Assert.Equal($"{labels}: holds 2 labels but {images} holds 3 images", error.Message);
    }

    [Fact]
    public void RejectsExtraLabelsForTheFullTrainingFile()
    {
        WriteImages("train-images-idx3-ubyte.gz", 2, IdxFiles.Pixels(2, 28, 28));
        string labels = WriteLabels("train-labels-idx1-ubyte.gz", 5, 0, 4);

        var error = Assert.Throws<DatasetFormatException>(() => mnist.LoadTraining(1));

        Assert.StartsWith($"{labels}: holds 3 labels but ", error.Message);
    }

    [Fact]
    public void RejectsALabelAboveNine()
    {
        WriteImages("t10k-images-idx3-ubyte.gz", 3, IdxFiles.Pixels(3, 28, 28));
        string labels = WriteLabels("t10k-labels-idx1-ubyte.gz", 7, 12, 1);

        var error = Assert.Throws<DatasetFormatException>(() => mnist.LoadTest());

        Assert.Equal($"{labels}: label 12 at index 1 is not a digit from 0 to 9", error.Message);
    }

    [Fact]
    public void RejectsImagesThatAreNotTwentyEightPixelsSquare()
    {
        string images = Path.Combine(mnistDirectory, "t10k-images-idx3-ubyte.gz");
        IdxFiles.Write(images, IdxFiles.Images(1, 32, 32, IdxFiles.Pixels(1, 32, 32)), gzip: true);
        WriteLabels("t10k-labels-idx1-ubyte.gz", 7);

        var error = Assert.Throws<DatasetFormatException>(() => mnist.LoadTest());

        Assert.Equal($"{images}: holds images of 32x32 pixels, not MNIST's 28x28", error.Message);
    }

    [Fact]
    public void ScalesImagesByOneOver255()
    {
        byte[] pixels = new byte[Mnist.ImageSize];
        pixels[1] = 51;
        pixels[2] = 255;
        var data = new MnistData(pixels, [3]);

        float[] singles = data.Images<float>();
        double[] doubles = data.Images<double>();

        Assert.Equal(Mnist.ImageSize, singles.Length);
        Assert.Equal((0f, 51f / 255f, 1f), (singles[0], singles[1], singles[2]));
        Assert.Equal((0d, 51d / 255d, 1d), (doubles[0], doubles[1], doubles[2]));
    }

    [Fact]
    public void EncodesLabelsOneHot()
    {
        Assert.Equal([0, 0, 1, 1, 0, 0], OneHot.Encode<int>([2, 0], classCount: 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => OneHot.Encode<float>([3], classCount: 3));

        float[] encoded = new MnistData(new byte[2 * Mnist.ImageSize], [9, 0]).OneHotLabels<float>();
        Assert.Equal(20, encoded.Length);
        Assert.Equal([9, 10], Enumerable.Range(0, 20).Where(i => encoded[i] == 1f));
        Assert.Equal(2f, encoded.Sum());
    }

    private string WriteImages(string name, int count, byte[] pixels) =>
        IdxFiles.Write(Path.Combine(mnistDirectory, name), IdxFiles.Images(count, 28, 28, pixels), gzip: true);

    private string WriteLabels(string name, params byte[] labels) =>
        IdxFiles.Write(Path.Combine(mnistDirectory, name), IdxFiles.Labels(labels), gzip: true);
}
