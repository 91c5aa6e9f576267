using System.Numerics;
using Graph.Distributed.Training;
using Graph.Runtime;

namespace Graph.Samples.Mnist;

/// <summary>
/// An MNIST network's generated <c>Backward</c> bound to the training images, for <see cref="DataParallelTrainer{T}"/>;
/// the MNIST losses are batch means.
/// </summary>
public sealed class MnistShards<T> : IDataParallelModel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly IMnistNetwork<T> network;
    private readonly T[] images;
    private readonly T[] labels;
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
        int count = labels.Length / Runtime.Datasets.Mnist.ClassCount;
        if (count == 0 || images.Length % count != 0)
        {
            throw new ArgumentException($"{images.Length} pixels do not make {count} images of the same size.", nameof(images));
        }

        this.network = network;
        this.images = images;
        this.labels = labels;
        imageSize = images.Length / count;
        this.dropoutUnits = dropoutUnits;
    }

    public ParameterSet<T> Parameters => network.Parameters;

    public T Backward(int first, int count) =>
        network.Backward(
            images.AsSpan(first * imageSize, count * imageSize),
            labels.AsSpan(first * Runtime.Datasets.Mnist.ClassCount, count * Runtime.Datasets.Mnist.ClassCount),
            count);

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
