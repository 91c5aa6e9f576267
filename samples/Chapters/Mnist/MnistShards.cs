using System.Numerics;
using Graph.Distributed.Training;
using Graph.Runtime;

namespace Graph.Samples.Mnist;

/// <summary>
/// An MNIST network's generated <c>Backward</c> bound to the training images, for <see cref="DataParallelTrainer{T}"/>;
/// the MNIST losses are batch means. Each Backward keeps the predictions of its forward pass (under its dropout masks)
/// by image, so a rank scores the images it trained without a second forward pass.
/// </summary>
public sealed class MnistShards<T> : IDataParallelModel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly IMnistNetwork<T> network;
    private readonly T[] images;
    private readonly T[] labels;
    private readonly T[] predictions;
    private readonly int imageSize;
    private readonly int dropoutUnits;

    /// <param name="images">The training images, one row of pixels each.</param>
    /// <param name="labels">Their one-hot labels, 10 values each.</param>
    /// <param name="dropoutUnits">The units of the network's dropout mask per image, each one random draw (0 without dropout).</param>
    public MnistShards(IMnistNetwork<T> network, T[] images, T[] labels, int dropoutUnits)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegative(dropoutUnits);
        int count = labels.Length / Datasets.Mnist.ClassCount;
        if (count == 0 || images.Length % count != 0)
        {
            throw new ArgumentException($"{images.Length} pixels do not make {count} images of the same size.", nameof(images));
        }

        this.network = network;
        this.images = images;
        this.labels = labels;
        predictions = new T[labels.Length];
        imageSize = images.Length / count;
        this.dropoutUnits = dropoutUnits;
    }

    public ParameterSet<T> Parameters => network.Parameters;

    public T Backward(int first, int count) =>
        network.Backward(
            images.AsSpan(first * imageSize, count * imageSize),
            labels.AsSpan(first * Datasets.Mnist.ClassCount, count * Datasets.Mnist.ClassCount),
            predictions.AsSpan(first * Datasets.Mnist.ClassCount, count * Datasets.Mnist.ClassCount),
            count);

    /// <summary>The predictions the last Backward over images <paramref name="first"/> to <paramref name="first"/> + <paramref name="count"/> - 1 computed, 10 per image.</summary>
    public ReadOnlySpan<T> Predictions(int first, int count) =>
        predictions.AsSpan(first * Datasets.Mnist.ClassCount, count * Datasets.Mnist.ClassCount);

    public void ApplyGradients(T learningRate) => network.ApplyGradients(learningRate);

    /// <summary>Dropout at rate 0.5 draws one 32-bit number per unit (numpy's <c>randint(2)</c>).</summary>
    public void SkipRandomDraws(int samples)
    {
        for (long draw = (long)samples * dropoutUnits; draw > 0; draw--)
        {
            network.Random.NextUInt32();
        }
    }
}
