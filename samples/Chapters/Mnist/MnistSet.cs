using System.Numerics;
using Graph.Distributed.Mpi;
using Graph.Runtime.Datasets;

namespace Graph.Samples.Mnist;

/// <summary>
/// The book's MNIST data in the element type: the first <c>trainSize</c> training images and all 10,000 test
/// images, pixels / 255 as rows of 784, labels one-hot (found by the runtime's <see cref="DataLocator"/>).
/// <see cref="Cropped"/> gives the same set with smaller images.
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
        ImageSide = Runtime.Datasets.Mnist.ImageSide;
    }

    private MnistSet(T[] trainImages, T[] trainLabels, byte[] trainClasses, T[] testImages, T[] testLabels, byte[] testClasses, int side)
    {
        TrainImages = trainImages;
        TrainLabels = trainLabels;
        TrainClasses = trainClasses;
        TestImages = testImages;
        TestLabels = testLabels;
        TestClasses = testClasses;
        ImageSide = side;
    }

    private MnistSet(MnistSet<T> full, int side)
    {
        TrainImages = Crop(full.TrainImages, full.ImageSide, side);
        TrainLabels = full.TrainLabels;
        TrainClasses = full.TrainClasses;
        TestImages = Crop(full.TestImages, full.ImageSide, side);
        TestLabels = full.TestLabels;
        TestClasses = full.TestClasses;
        ImageSide = side;
    }

    /// <summary>The height and width of each image in pixels.</summary>
    public int ImageSide { get; }

    /// <summary>The pixels of one image.</summary>
    public int ImageSize => ImageSide * ImageSide;

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

    /// <summary>Rank 0 of <paramref name="ranks"/> loads the set (<see cref="Load"/>) and broadcasts it; every rank returns the same set.</summary>
    public static MnistSet<T> Share(Communicator ranks, int trainSize)
    {
        ArgumentNullException.ThrowIfNull(ranks);
        var loaded = ranks.IsRoot ? Load(trainSize) : null;
        int[] sizes = loaded is null ? new int[3] : [loaded.TrainCount, loaded.TestCount, loaded.ImageSide];
        ranks.Broadcast<int>(sizes);
        int classes = Runtime.Datasets.Mnist.ClassCount;
        int pixels = sizes[2] * sizes[2];
        var set = loaded ?? new MnistSet<T>(
            new T[sizes[0] * pixels], new T[sizes[0] * classes], new byte[sizes[0]],
            new T[sizes[1] * pixels], new T[sizes[1] * classes], new byte[sizes[1]], sizes[2]);
        ranks.Broadcast<T>(set.TrainImages);
        ranks.Broadcast<T>(set.TrainLabels);
        ranks.Broadcast<byte>(set.TrainClasses);
        ranks.Broadcast<T>(set.TestImages);
        ranks.Broadcast<T>(set.TestLabels);
        ranks.Broadcast<byte>(set.TestClasses);
        return set;
    }

    /// <summary>
    /// The same images cut to their top-left <paramref name="side"/> × <paramref name="side"/> pixels (the labels are
    /// shared).
    /// </summary>
    public MnistSet<T> Cropped(int side)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(side, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(side, ImageSide);
        return new MnistSet<T>(this, side);
    }

    /// <summary>Image <paramref name="index"/> (and <paramref name="count"/> after it) of the training set.</summary>
    public ReadOnlySpan<T> TrainImage(int index, int count = 1) => TrainImages.AsSpan(index * ImageSize, count * ImageSize);

    public ReadOnlySpan<T> TrainLabel(int index, int count = 1) => TrainLabels.AsSpan(index * Runtime.Datasets.Mnist.ClassCount, count * Runtime.Datasets.Mnist.ClassCount);

    private static T[] Crop(T[] images, int from, int side)
    {
        int count = images.Length / (from * from);
        var cropped = new T[count * side * side];
        for (int i = 0; i < count; i++)
        {
            for (int row = 0; row < side; row++)
            {
                images.AsSpan(((i * from) + row) * from, side).CopyTo(cropped.AsSpan(((i * side) + row) * side, side));
            }
        }

        return cropped;
    }
}
