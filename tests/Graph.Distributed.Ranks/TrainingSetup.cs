using System.Numerics;
using Graph.Distributed.Mpi;
using Graph.Distributed.Training;
using Graph.Runtime;
using Graph.Samples.Chapter08;
using Graph.Samples.Chapter09;
using Graph.Samples.Chapter10;
using Graph.Samples.Chapter11;
using Graph.Samples.Mnist;

namespace Graph.Distributed.Ranks;

/// <summary>
/// A chapter network on small made-up data, bound for <see cref="DataParallelTrainer{T}"/> through the samples' own
/// adapters, with what one process needs to train it without ranks: its plain <c>TrainStep</c>.
/// </summary>
public sealed class TrainingSetup<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The training samples; a step takes a batch starting at <see cref="First"/>.</summary>
    public const int Samples = 24;

    private TrainingSetup(IDataParallelModel<T> model, DataParallelOptions options, double learningRate, Func<int, int, T, T>? trainStep)
    {
        Model = model;
        Options = options;
        LearningRate = T.CreateChecked(learningRate);
        TrainStep = trainStep;
    }

    /// <summary>The model and its data, as the trainer sees them.</summary>
    public IDataParallelModel<T> Model { get; }

    /// <summary>The trainer's options (loss reduction, samples per Backward, summation).</summary>
    public DataParallelOptions Options { get; }

    public T LearningRate { get; }

    /// <summary>The network's generated TrainStep on a whole batch (first, count, learning rate), for batched networks.</summary>
    public Func<int, int, T, T>? TrainStep { get; }

    public ParameterSet<T> Parameters => Model.Parameters;

    /// <summary>The first sample of step <paramref name="step"/>'s batch.</summary>
    public static int First(int step, int batch) => step * batch % (Samples - batch + 1);

    /// <summary>
    /// <c>dropout</c> (chapter 8's 784-H-10 relu with dropout), <c>tanh</c> (chapter 9's tanh, dropout and softmax),
    /// <c>cnn</c> (chapter 10's convolution) or <c>sentiment</c> (chapter 11's embedding network over 40 words,
    /// summed over the reviews of a step, one review per Backward).
    /// </summary>
    public static TrainingSetup<T> Create(string name, Summation summation, int hidden = 16)
    {
        var random = new NumpyRandom(7);
        switch (name)
        {
            case "dropout":
            {
                var network = new MnistDropoutNetwork<T>(1, hidden);
                return Mnist(network, Images(random, 784), Labels(random), hidden, summation, 0.1);
            }

            case "tanh":
            {
                var network = new MnistTanhSoftmaxNetwork<T>(1, hidden);
                return Mnist(network, Images(random, 784), Labels(random), hidden, summation, 0.05);
            }

            case "cnn":
            {
                var network = new MnistConvolutionNetwork<T>(1);
                return Mnist(network, Images(random, 27 * 27), Labels(random), 25 * 25 * 16, summation, 0.02);
            }

            case "sentiment":
            {
                const int vocabulary = 40;
                var reviews = new int[Samples][];
                var labels = new int[Samples];
                for (int i = 0; i < Samples; i++)
                {
                    reviews[i] = Enumerable.Range(0, 3 + (int)random.RandInt(6)).Select(_ => (int)random.RandInt(vocabulary)).Distinct().ToArray();
                    labels[i] = (int)random.RandInt(2);
                }

                var network = new SentimentNetwork<T>(1, vocabulary, hidden);
                var options = new DataParallelOptions { Loss = Reduction.Sum, MaxSamplesPerBackward = 1, Summation = summation, Settings = $"sentiment hidden {hidden}" };
                return new TrainingSetup<T>(new SentimentShards<T>(network, reviews, labels), options, 0.05, null);
            }

            default:
                throw new ArgumentException($"Unknown model '{name}': dropout, tanh, cnn or sentiment.", nameof(name));
        }
    }

    private static TrainingSetup<T> Mnist(IMnistNetwork<T> network, T[] images, T[] labels, int dropoutUnits, Summation summation, double learningRate)
    {
        int imageSize = images.Length / Samples;
        var options = new DataParallelOptions { Loss = Reduction.Mean, Summation = summation, Settings = $"{network.GetType().Name} dropout units {dropoutUnits}" };
        return new TrainingSetup<T>(
            new MnistShards<T>(network, images, labels, dropoutUnits),
            options,
            learningRate,
            (first, count, rate) => network.TrainStep(images.AsSpan(first * imageSize, count * imageSize), labels.AsSpan(first * 10, count * 10), rate, count));
    }

    private static T[] Images(NumpyRandom random, int pixels) =>
        Enumerable.Range(0, Samples * pixels).Select(_ => T.CreateChecked(random.RandomSample())).ToArray();

    private static T[] Labels(NumpyRandom random)
    {
        var labels = new T[Samples * 10];
        for (int i = 0; i < Samples; i++)
        {
            labels[(i * 10) + (int)random.RandInt(10)] = T.One;
        }

        return labels;
    }
}
