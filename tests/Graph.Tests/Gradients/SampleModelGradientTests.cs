using Graph.Runtime;
using Graph.Samples.Chapter04;
using Graph.Samples.Chapter05;
using Graph.Samples.Chapter06;
using Graph.Samples.Chapter08;
using Graph.Samples.Chapter09;
using Xunit;

namespace Graph.Tests.Gradients;

/// <summary>Every sample model's compiled Backward against central finite differences of its compiled loss, in double.</summary>
public sealed class SampleModelGradientTests
{
    private delegate double Evaluate(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int batch);

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void ChapterFourToSixModels(int batch)
    {
        var random = new NumpyRandom(21);
        var single = new SingleWeightNetwork<double>();
        Check(single.Parameters, single.Random, single.Loss, single.Backward, 1, 1, batch, random);
        var multiInput = new MultiInputLearner<double>();
        Check(multiInput.Parameters, multiInput.Random, multiInput.Loss, multiInput.Backward, 3, 1, batch, random);
        var frozen = new FrozenWeightLearner<double>();
        Check(frozen.Parameters, frozen.Random, frozen.Loss, frozen.Backward, 3, 1, batch, random);
        var multiOutput = new MultiOutputLearner<double>();
        Check(multiOutput.Parameters, multiOutput.Random, multiOutput.Loss, multiOutput.Backward, 1, 3, batch, random);
        var matrix = new MultiInMultiOutLearner<double>();
        Check(matrix.Parameters, matrix.Random, matrix.Loss, matrix.Backward, 3, 3, batch, random);
        var walkStop = new WalkStopNetwork<double>();
        Check(walkStop.Parameters, walkStop.Random, walkStop.Loss, walkStop.Backward, 3, 1, batch, random);
        var streetlights = new StreetlightsNetwork<double>(seed: 1);
        Check(streetlights.Parameters, streetlights.Random, streetlights.Loss, streetlights.Backward, 3, 1, batch, random);
        var wide = new StreetlightsNetwork<double>(seed: 2, hidden: 7);
        Check(wide.Parameters, wide.Random, wide.Loss, wide.Backward, 3, 1, batch, random);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void MnistModels(int batch)
    {
        var random = new NumpyRandom(22);
        var relu = new MnistReluNetwork<double>(seed: 1, hidden: 12);
        Check(relu.Parameters, relu.Random, relu.Loss, relu.Backward, 784, 10, batch, random, samples: 40);
        var dropout = new MnistDropoutNetwork<double>(seed: 1, hidden: 12);
        Check(dropout.Parameters, dropout.Random, (x, y, n) => dropout.Loss(x, y, n, training: true), dropout.Backward, 784, 10, batch, random, samples: 40);
        var softmax = new MnistTanhSoftmaxNetwork<double>(seed: 1, hidden: 12);
        Check(softmax.Parameters, softmax.Random, (x, y, n) => softmax.Loss(x, y, n, training: true), softmax.Backward, 784, 10, batch, random, samples: 40, oneHot: true);
    }

    private static void Check(ParameterSet<double> parameters, NumpyRandom generator, Evaluate loss, Evaluate backward, int inputSize, int targetSize, int batch, NumpyRandom random, int? samples = null, bool oneHot = false)
    {
        var x = GradientCheck.Draw(random, inputSize * batch);
        var y = GradientCheck.Draw(random, targetSize * batch);
        if (oneHot)
        {
            Array.Clear(y);
            for (int s = 0; s < batch; s++)
            {
                y[(s * targetSize) + (s % targetSize)] = 1;
            }
        }

        // Models with dropout draw their masks from their generator: re-seeding it before each call keeps one mask.
        GradientCheck.Run(
            (a, b, n) => { generator.Seed(5); return loss(a, b, n); },
            (a, b, n) => { generator.Seed(5); return backward(a, b, n); },
            parameters,
            x,
            y,
            batch,
            samples);
    }
}
