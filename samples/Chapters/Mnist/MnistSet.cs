using System.Numerics;
using Graph.Runtime.Datasets;

namespace Graph.Samples.Mnist;

/// <summary>
/// The book's MNIST data in the element type: the first <c>trainSize</c> training images and all 10,000 test
/// images, pixels / 255 as rows of 784, labels one-hot (found by the runtime's <see cref="DataLocator"/>).
/// </summary>
public sealed class MnistSet<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private MnistSet(MnistData train, MnistData test)
    {
        TrainImages = train.Images<T>();
        TrainLabels = train.OneHotLabels<T>();
        TrainClasses = train.Labels;
        TestImages = test.Images<T>();
        TestLabels = test.OneHotLabels<T>();
        TestClasses = test.Labels;
    }

    public T[] TrainImages { get; }

    public T[] TrainLabels { get; }

    public byte[] TrainClasses { get; }

    public T[] TestImages { get; }

    public T[] TestLabels { get; }

    public byte[] TestClasses { get; }

    public int TrainCount => TrainClasses.Length;

    public int TestCount => TestClasses.Length;

    public static MnistSet<T> Load(int trainSize)
    {
        var mnist = new Runtime.Datasets.Mnist();
        return new MnistSet<T>(mnist.LoadTraining(trainSize), mnist.LoadTest());
    }

    /// <summary>Image <paramref name="index"/> (and <paramref name="count"/> after it) of the training set.</summary>
    public ReadOnlySpan<T> TrainImage(int index, int count = 1) => TrainImages.AsSpan(index * Runtime.Datasets.Mnist.ImageSize, count * Runtime.Datasets.Mnist.ImageSize);

    public ReadOnlySpan<T> TrainLabel(int index, int count = 1) => TrainLabels.AsSpan(index * Runtime.Datasets.Mnist.ClassCount, count * Runtime.Datasets.Mnist.ClassCount);
}
