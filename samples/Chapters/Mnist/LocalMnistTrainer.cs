using System.Numerics;

namespace Graph.Samples.Mnist;

/// <summary>Trains with the network's generated <c>TrainStep</c> on whole batches, in this process.</summary>
public sealed class LocalMnistTrainer<T>(IMnistNetwork<T> network, MnistSet<T> data) : IMnistTrainer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public MnistScore<T> TrainEpoch(int batch, T learningRate, int? count = null)
    {
        int total = count ?? data.TrainCount;
        var outputs = new T[batch * Datasets.Mnist.ClassCount];
        var score = new MnistScore<T>();
        for (int i = 0; i < total; i += batch)
        {
            int n = Math.Min(batch, total - i);
            var output = outputs.AsSpan(0, n * Datasets.Mnist.ClassCount);
            network.TrainStep(data.TrainImage(i, n), data.TrainLabel(i, n), learningRate, output, n);
            score.Add(output, data.TrainLabel(i, n), data.TrainClasses.AsSpan(i, n));
        }

        return score;
    }

    public MnistScore<T> Test() => MnistScore<T>.Of(network, data.TestImages, data.TestLabels, data.TestClasses);
}
