using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Gradients;

/// <summary>Dropout, softmax and the fused softmax cross-entropy against finite differences, and dropout's mask.</summary>
public sealed class ClassificationGradientTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void DropoutAndSoftmaxCrossEntropyMatchFiniteDifferencesUnderOneMask(int batch)
    {
        var model = new DropoutSoftmaxModel(3);
        var random = new NumpyRandom(9);
        var x = GradientCheck.Draw(random, 5 * batch);
        var target = OneHot(random, 3, batch);

        // Re-seeding the model's generator before every call draws the same masks each time.
        GradientCheck.Run(
            (a, b, n) => { model.Random.Seed(42); return model.Loss(a, b, n, training: true); },
            (a, b, n) => { model.Random.Seed(42); return model.Backward(a, b, n); },
            model.Parameters,
            x,
            target,
            batch);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void ClassIndexTargetsMatchFiniteDifferences(int batch)
    {
        var model = new ClassIndexModel(4);
        var random = new NumpyRandom(2);
        var x = GradientCheck.Draw(random, 4 * batch);
        var labels = Enumerable.Range(0, batch).Select(i => (double)(i % 3)).ToArray();
        GradientCheck.Run(model.Loss, model.Backward, model.Parameters, x, labels, batch);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void SoftmaxMatchesFiniteDifferences(int batch)
    {
        var model = new SoftmaxModel(5);
        var random = new NumpyRandom(3);
        GradientCheck.Run(model.Loss, model.Backward, model.Parameters, GradientCheck.Draw(random, 4 * batch), GradientCheck.Draw(random, 3 * batch), batch);
    }

    [Fact]
    public void TheFusedCrossEntropyGradientIsSoftmaxMinusTarget()
    {
        var model = new ClassIndexModel(4);
        double[] x = [0.5, -0.25, 1, 0.75];
        double[] label = [2];
        model.Backward(x, label);
        var w = model.Parameters["W"].Value;
        var z = new double[3];
        for (int j = 0; j < 3; j++)
        {
            for (int i = 0; i < 4; i++)
            {
                z[j] += x[i] * w[(i * 3) + j];
            }

            z[j] = Math.Max(z[j], 0);
        }

        var softmax = z.Select(Math.Exp).ToArray();
        double sum = softmax.Sum();
        for (int i = 0; i < 4; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                double delta = (softmax[j] / sum) - (j == 2 ? 1 : 0);
                double expected = z[j] > 0 ? x[i] * delta : 0;
                Assert.Equal(expected, model.Parameters["W"].Gradient[(i * 3) + j], 12);
            }
        }
    }

    [Fact]
    public void DropoutMaskIsNumpysRandint2StreamTimesTwo()
    {
        var model = new DropoutMaskModel(17);
        var ones = Enumerable.Repeat(1.0, 16).ToArray();
        model.Backward(ones, 2);

        // The mask of each sample, row-major over the batch: one randint(2) per element after seeding with 17.
        var numpy = new NumpyRandom(17);
        var expected = new double[8];
        for (int sample = 0; sample < 2; sample++)
        {
            for (int j = 0; j < 8; j++)
            {
                expected[j] += 2 * numpy.RandInt(2);
            }
        }

        Assert.Equal(expected, model.Parameters["W"].Gradient);
    }

    [Fact]
    public void APackedMaskIsNumpysStreamInTheGradientAndTheLoss()
    {
        const int width = PackedDropoutMaskModel.Width;
        var model = new PackedDropoutMaskModel(17);
        var ones = Enumerable.Repeat(1.0, 3 * width).ToArray();

        // Seeded after the parameters' draws, so that the masks are the stream's first words.
        model.Random.Seed(17);
        double loss = model.Backward(ones, 3);

        var numpy = new NumpyRandom(17);
        var expected = new double[width];
        for (int sample = 0; sample < 3; sample++)
        {
            for (int j = 0; j < width; j++)
            {
                expected[j] += 2 * numpy.RandInt(2);
            }
        }

        Assert.Equal(expected, model.Parameters["W"].Gradient);
        model.Random.Seed(17);
        Assert.Equal(model.Loss(ones, 3, training: true), loss);
    }

    [Fact]
    public void DropoutIsOffInPredictAndInTheDefaultLoss()
    {
        var model = new DropoutMaskModel(1);
        var ones = Enumerable.Repeat(1.0, 8).ToArray();
        var output = new double[8];
        model.Predict(ones, output);
        Assert.All(output, v => Assert.Equal(1.0, v));
        Assert.Equal(8.0, model.Loss(ones));

        // With dropout on, the loss is Σ 2·mask: numpy's np.random.seed(1) then eight randint(2) give 1,1,0,0,1,1,1,1.
        Assert.Equal(12.0, model.Loss(ones, training: true));
    }

    [Fact]
    public void ArgmaxClassifiesByTheLargestProbability()
    {
        var model = new DropoutSoftmaxModel(6);
        var random = new NumpyRandom(1);
        var x = GradientCheck.Draw(random, 5 * 4);
        var probabilities = new double[12];
        var classes = new double[4];
        model.Predict(x, probabilities, 4);
        model.Classify(x, classes, 4);
        for (int s = 0; s < 4; s++)
        {
            var row = probabilities.AsSpan(s * 3, 3).ToArray();
            Assert.Equal(Array.IndexOf(row, row.Max()), (int)classes[s]);
            Assert.Equal(1.0, row.Sum(), 12);
        }
    }

    [Fact]
    public void ClassIndexOutsideTheClassesIsAClearError()
    {
        var model = new ClassIndexModel(4);
        var error = Assert.Throws<ArgumentException>(() => model.Loss([1, 2, 3, 4], [3]));
        Assert.Contains("Class index 3 of sample 0 is not an integer from 0 to 2", error.Message);
    }

    private static double[] OneHot(NumpyRandom random, int classes, int batch)
    {
        var target = new double[classes * batch];
        for (int s = 0; s < batch; s++)
        {
            target[(s * classes) + (int)random.RandInt(classes)] = 1;
        }

        return target;
    }
}
