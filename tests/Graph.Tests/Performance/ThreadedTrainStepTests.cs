using System.Numerics;
using Graph.Runtime;
using Graph.Samples.Chapter08;
using Graph.Samples.Chapter09;
using Graph.Samples.Chapter10;
using Graph.Tests.Snapshots.Models;
using Xunit;

namespace Graph.Tests.Performance;

/// <summary>
/// A model's training steps give the same bits on 2 and 3 threads as on one: the losses and every parameter after a
/// few steps, in float and in double. The batches are large enough that the products split across threads, and so do
/// the generated loops of the convolution network (in chunks of its 625 positions × 16 kernels per image) and of
/// <see cref="WideLayerNetwork{T}"/> (by samples).
/// </summary>
public sealed class ThreadedTrainStepTests
{
    private const int Steps = 3;

    public static TheoryData<string, int> Models() => new()
    {
        { "MnistConvolution", 2 },
        { "MnistConvolution", 3 },
        { "MnistDropout", 2 },
        { "MnistDropout", 3 },
        { "MnistTanhSoftmax", 3 },
        { "WideLayer", 2 },
        { "WideLayer", 3 },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void FloatStepsGiveTheSameBitsOnEveryThreadCount(string model, int threads) =>
        Assert.Equal(Train<float>(model, 1), Train<float>(model, threads));

    [Theory]
    [MemberData(nameof(Models))]
    public void DoubleStepsGiveTheSameBitsOnEveryThreadCount(string model, int threads) =>
        Assert.Equal(Train<double>(model, 1), Train<double>(model, threads));

    /// <summary>The losses of <see cref="Steps"/> steps from seed 1 on one batch, then every parameter value.</summary>
    private static List<T> Train<T>(string model, int threads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (batch, inputSize, labelSize) = model switch
        {
            "MnistConvolution" => (16, 27 * 27, 10),
            "WideLayer" => (32, 4, 2048),
            _ => (100, 784, 10),
        };
        var random = new NumpyRandom(3);
        var input = Enumerable.Range(0, inputSize * batch).Select(_ => T.CreateTruncating(random.RandomSample())).ToArray();
        var labels = new T[labelSize * batch];
        for (int s = 0; s < batch; s++)
        {
            labels[(s * labelSize) + (s % labelSize)] = T.One;
        }

        var results = new List<T>();
        ParameterSet<T> parameters;
        using (Parallelism.Use(threads))
        {
            switch (model)
            {
                case "MnistConvolution":
                    var cnn = new MnistConvolutionNetwork<T>(1);
                    results.AddRange(Enumerable.Range(0, Steps).Select(_ => cnn.TrainStep(input, labels, T.CreateTruncating(0.01), batch)));
                    parameters = cnn.Parameters;
                    break;
                case "MnistDropout":
                    var dropout = new MnistDropoutNetwork<T>(1);
                    results.AddRange(Enumerable.Range(0, Steps).Select(_ => dropout.TrainStep(input, labels, T.CreateTruncating(0.005), batch)));
                    parameters = dropout.Parameters;
                    break;
                case "WideLayer":
                    var wide = new WideLayerNetwork<T>(1);
                    results.AddRange(Enumerable.Range(0, Steps).Select(_ => wide.TrainStep(input, labels, T.CreateTruncating(0.01), batch)));
                    parameters = wide.Parameters;
                    break;
                default:
                    var softmax = new MnistTanhSoftmaxNetwork<T>(1);
                    results.AddRange(Enumerable.Range(0, Steps).Select(_ => softmax.TrainStep(input, labels, T.CreateTruncating(2), batch)));
                    parameters = softmax.Parameters;
                    break;
            }
        }

        foreach (var parameter in parameters)
        {
            results.AddRange(parameter.Value);
        }

        return results;
    }
}
