using Graph.Runtime;
using Graph.Samples.Chapter05;
using Graph.Samples.Chapter06;
using Graph.Samples.Chapter08;
using Graph.Samples.Chapter09;
using Xunit;

namespace Graph.Tests.Gradients;

/// <summary>
/// TrainStep, whose weight updates run inside the products that compute the gradients, against Backward followed by
/// ApplyGradients on a twin model: the same weights bit for bit, step after step.
/// </summary>
public sealed class TrainStepTests
{
    private delegate double Step(ReadOnlySpan<double> x, ReadOnlySpan<double> y, double rate, int batch);

    private delegate double Gradient(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int batch);

    private sealed record Twin(ParameterSet<double> Fused, Step TrainStep, ParameterSet<double> Plain, Gradient Backward, Action<double> ApplyGradients, int InputSize, int TargetSize);

    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (string model in new[] { "FrozenWeightLearner", "Streetlights", "MnistRelu", "MnistDropout", "MnistTanhSoftmax" })
        {
            data.Add(model, 1);
            data.Add(model, 5);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TrainStepEqualsBackwardThenApplyGradients(string model, int batch)
    {
        Twin twin = Create(model);
        var random = new NumpyRandom(8);
        for (int step = 0; step < 3; step++)
        {
            // Inputs with zeros, as images have, so the skipped rows of a depth-1 update are exercised.
            double[] x = Enumerable.Range(0, twin.InputSize * batch).Select(i => i % 4 == 0 ? 0.0 : random.RandomSample()).ToArray();
            double[] y = OneHotRows(twin.TargetSize, batch, step);
            double plainLoss = twin.Backward(x, y, batch);
            twin.ApplyGradients(0.05);
            double fusedLoss = twin.TrainStep(x, y, 0.05, batch);

            Assert.Equal(plainLoss, fusedLoss);
            foreach (var parameter in twin.Fused)
            {
                Assert.Equal(twin.Plain[parameter.Name].Value, parameter.Value);
            }
        }
    }

    [Fact]
    public void ANonFiniteLossThrowsBeforeAnyWeightChanges()
    {
        var model = new MnistReluNetwork<double>(seed: 1, hidden: 8);
        var before = model.Parameters.Select(p => p.Value.ToArray()).ToList();
        double[] x = Enumerable.Repeat(1e200, 784).ToArray();
        var y = new double[10];

        Assert.Throws<TrainingDivergedException>(() => model.TrainStep(x, y, 0.1));

        Assert.Equal(before, model.Parameters.Select(p => p.Value.ToArray()).ToList());
    }

    private static double[] OneHotRows(int size, int batch, int shift)
    {
        var y = new double[size * batch];
        for (int s = 0; s < batch; s++)
        {
            y[(s * size) + ((s + shift) % size)] = 1;
        }

        return y;
    }

    private static Twin Create(string model)
    {
        switch (model)
        {
            case "FrozenWeightLearner":
            {
                FrozenWeightLearner<double> fused = new(), plain = new();
                return new Twin(fused.Parameters, fused.TrainStep, plain.Parameters, plain.Backward, plain.ApplyGradients, 3, 1);
            }

            case "Streetlights":
            {
                StreetlightsNetwork<double> fused = new(1), plain = new(1);
                return new Twin(fused.Parameters, fused.TrainStep, plain.Parameters, plain.Backward, plain.ApplyGradients, 3, 1);
            }

            case "MnistRelu":
            {
                MnistReluNetwork<double> fused = new(1, 12), plain = new(1, 12);
                return new Twin(fused.Parameters, fused.TrainStep, plain.Parameters, plain.Backward, plain.ApplyGradients, 784, 10);
            }

            case "MnistDropout":
            {
                MnistDropoutNetwork<double> fused = new(1, 12), plain = new(1, 12);
                return new Twin(fused.Parameters, fused.TrainStep, plain.Parameters, plain.Backward, plain.ApplyGradients, 784, 10);
            }

            case "MnistTanhSoftmax":
            {
                MnistTanhSoftmaxNetwork<double> fused = new(1, 12), plain = new(1, 12);
                return new Twin(fused.Parameters, fused.TrainStep, plain.Parameters, plain.Backward, plain.ApplyGradients, 784, 10);
            }

            default:
                throw new ArgumentException($"No model {model}.", nameof(model));
        }
    }
}
