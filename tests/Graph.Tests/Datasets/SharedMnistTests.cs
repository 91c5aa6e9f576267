using Graph.Datasets;
using Xunit;

namespace Graph.Tests.Datasets;

/// <summary>Checks the loaders against the real MNIST files and the facts recorded in shared/data/SOURCES.md.</summary>
public sealed class SharedMnistTests
{
    /// <summary>MNIST found only in the shared data folder (or under GRAPH_DATA): no cache, no network.</summary>
    private static Mnist SharedMnist() => new(new DataLocator(new DataLocatorOptions
    {
        EnvironmentDirectory = Path.GetDirectoryName(SharedMnistFactAttribute.Directory),
    }));

    [SharedMnistFact]
    public void LoadsTheTestSetWithTheOfficialLabelCounts()
    {
        MnistData test = SharedMnist().LoadTest();

        Assert.Equal(10_000, test.Count);
        Assert.Equal(10_000 * Mnist.ImageSize, test.Pixels.Length);
        Assert.Equal([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009], CountPerDigit(test.Labels));
    }

    [SharedMnistFact]
    public void LoadsTheBooksThousandTrainingImages()
    {
        MnistData training = SharedMnist().LoadTraining(1000);

        Assert.Equal(1000, training.Count);
        Assert.Equal([5, 0, 4, 1, 9, 2, 1, 3, 1, 4], training.Labels[..10]);
        Assert.Equal([97, 116, 99, 93, 105, 92, 94, 117, 87, 100], CountPerDigit(training.Labels));
        float[] images = training.Images<float>();
        Assert.Equal(1000 * Mnist.ImageSize, images.Length);
        Assert.Equal((0f, 1f), (images.Min(), images.Max()));
    }

    [SharedMnistFact]
    public void RefusesMoreTrainingImagesThanTheSharedFileHolds()
    {
        Mnist mnist = SharedMnist();
        Assert.Equal(10_000, mnist.LoadTraining(10_000).Count);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => mnist.LoadTraining(10_001));

        Assert.Contains($"{Path.Combine(SharedMnistFactAttribute.Directory!, Mnist.FirstTrainingImagesFileName)} holds 10000 training images", error.Message);
    }

    [SharedMnistFact]
    public void SharedFilesHaveTheOfficialUncompressedChecksums()
    {
        foreach (DatasetFile file in new[] { Mnist.TrainingLabelsFile, Mnist.TestImagesFile, Mnist.TestLabelsFile })
        {
            string path = Path.Combine(SharedMnistFactAttribute.Directory!, file.FileNames[0]);
            Assert.True(file.Download!.Checksum.Matches(path, out string actual), $"{path} has MD5 {actual}");
        }
    }

    private static int[] CountPerDigit(byte[] labels)
    {
        var counts = new int[Mnist.ClassCount];
        foreach (byte label in labels)
        {
            counts[label]++;
        }

        return counts;
    }
}
