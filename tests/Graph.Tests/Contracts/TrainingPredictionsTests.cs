using System.Numerics;
using Graph;
using Graph.Runtime;
using static Graph.Ops;
using Xunit;

namespace Graph.Tests.Contracts;

/// <summary>
/// A relu layer with dropout marked as the loss's prediction, and the same network as a forward method that takes
/// the dropout mask as an input: its output under a given mask is what a training step under that mask predicts.
/// </summary>
[Model]
public partial class DropoutPredictionProbe<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    [Param(4, 6), InitUniform(-0.5, 0.5)] public partial Tensor W1 { get; }
    [Param(6, 3), InitUniform(-0.5, 0.5)] public partial Tensor W2 { get; }
    [Param(3), InitUniform(-0.1, 0.1)] public partial Tensor B2 { get; }

    [Forward]
    public Tensor Predict([Shape(4)] Tensor x) => Relu(x.Dot(W1)).Dot(W2) + B2;

    [Forward]
    public Tensor PredictMasked([Shape(4)] Tensor x, [Shape(6)] Tensor mask) => (Relu(x.Dot(W1)) * mask).Dot(W2) + B2;

    [Loss]
    public Tensor Loss([Shape(4)] Tensor x, [Shape(3)] Tensor y) => L2Loss(Prediction(Dropout(Relu(x.Dot(W1))).Dot(W2) + B2) - y);
}

/// <summary>A loss that marks one of its inputs: the value lives in the caller's span, not in a buffer.</summary>
[Model(typeof(double))]
public partial class InputPredictionProbe
{
    [Param(2, 1), InitUniform(-1, 1)] public partial Tensor W { get; }

    [Loss] public Tensor Loss([Shape(2)] Tensor x, [Shape(1)] Tensor y) => SumSquares(Prediction(x).Dot(W) - y);
}

/// <summary>A loss that marks a value shared by the batch: every sample's prediction is that one value.</summary>
[Model(typeof(double))]
public partial class SharedPredictionProbe
{
    [Param(2, 1), InitUniform(-1, 1)] public partial Tensor W { get; }

    [Loss] public Tensor Loss([Shape(2)] Tensor x, [Shape(1)] Tensor y) => SumSquares(x.Dot(W) - y) + Prediction(Sum(W));
}

public sealed class TrainingPredictionsTests
{
    private const int Batch = 3;
    private const uint MaskSeed = 7;

    public enum Step
    {
        Sgd,
        Adam,
        Backward,
    }

    [Theory]
    [InlineData(Step.Sgd)]
    [InlineData(Step.Adam)]
    [InlineData(Step.Backward)]
    public void PredictionsAreTheForwardOutputUnderTheStepsDropoutMaskInDouble(Step step) => PredictionsAreTheMaskedForwardOutput<double>(step);

    [Theory]
    [InlineData(Step.Sgd)]
    [InlineData(Step.Adam)]
    [InlineData(Step.Backward)]
    public void PredictionsAreTheForwardOutputUnderTheStepsDropoutMaskInFloat(Step step) => PredictionsAreTheMaskedForwardOutput<float>(step);

    [Fact]
    public void APredictionsSpanOfTheWrongLengthThrowsNamingItAndChangesNothing()
    {
        var net = new DropoutPredictionProbe<double>(seed: 1);
        var (x, y) = Samples<double>();
        var before = Outputs(net, x);
        foreach (int length in new[] { 0, Batch * 3 - 1, Batch * 3 + 1 })
        {
            var predictions = new double[length];
            var sgd = Assert.Throws<ArgumentException>(() => net.TrainStep(x, y, 0.1, predictions, Batch));
            Assert.Equal("predictions", sgd.ParamName);
            Assert.Contains($"'predictions' holds {length} values, but batch 3 × 3 per sample = 9 were expected", sgd.Message, StringComparison.Ordinal);
            var adam = Assert.Throws<ArgumentException>(() => net.TrainStep(x, y, Optimizer.Adam(0.01), predictions, Batch));
            Assert.Equal("predictions", adam.ParamName);
            var backward = Assert.Throws<ArgumentException>(() => net.Backward(x, y, predictions, Batch));
            Assert.Equal("predictions", backward.ParamName);
        }

        // Nothing was trained and no optimizer state was taken.
        Assert.Equal(before, Outputs(net, x));
        Assert.Equal(0, net.OptimizerState.Step);
        Assert.Null(net.OptimizerState.Kind);
    }

    [Fact]
    public void AMarkedInputIsCopiedFromTheCallersSpan()
    {
        var net = new InputPredictionProbe(seed: 1);
        double[] x = [1, 2, 3, 4, 5, 6];
        var predictions = new double[6];
        net.TrainStep(x, [1, 0, 1], 0.1, predictions, batch: 3);
        Assert.Equal(x, predictions);
    }

    [Fact]
    public void AMarkedValueSharedByTheBatchIsEverySamplesPrediction()
    {
        var net = new SharedPredictionProbe(seed: 1);
        var weights = net.Parameters["W"].Value.ToArray();
        var predictions = new double[3];
        net.TrainStep([1, 2, 3, 4, 5, 6], [1, 0, 1], 0.1, predictions, batch: 3);
        Assert.Equal(Enumerable.Repeat(weights[0] + weights[1], 3), predictions);
        Assert.NotEqual(weights, net.Parameters["W"].Value.ToArray());
    }

    private static void PredictionsAreTheMaskedForwardOutput<T>(Step step)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var net = new DropoutPredictionProbe<T>(seed: 1);
        var (x, y) = Samples<T>();

        // The mask the step will draw: numpy's randint(2) per hidden unit, sample by sample, kept units scaled by 2.
        var draws = new NumpyRandom(MaskSeed);
        var mask = new T[Batch * 6];
        for (int i = 0; i < mask.Length; i++)
        {
            mask[i] = (draws.NextUInt32() & 1) != 0 ? T.CreateChecked(2) : T.Zero;
        }

        Assert.Contains(T.Zero, mask);
        Assert.Contains(T.CreateChecked(2), mask);
        var expected = new T[Batch * 3];
        net.PredictMasked(x, mask, expected, Batch);
        var withoutDropout = Outputs(net, x);
        Assert.NotEqual(withoutDropout, expected);

        net.Random.Seed(MaskSeed);
        var predictions = new T[Batch * 3];
        T rate = T.CreateChecked(0.1);
        T loss = step switch
        {
            Step.Sgd => net.TrainStep(x, y, rate, predictions, Batch),
            Step.Adam => net.TrainStep(x, y, Optimizer.Adam(0.01), predictions, Batch),
            _ => net.Backward(x, y, predictions, Batch),
        };

        // Bit for bit: the same kernels under the same mask, before the step changed any weight.
        Assert.Equal(expected, predictions);

        // The loss is the batch mean of half the squared error of those predictions.
        T sum = T.Zero;
        for (int i = 0; i < predictions.Length; i++)
        {
            sum += (predictions[i] - y[i]) * (predictions[i] - y[i]);
        }

        Assert.Equal(double.CreateChecked(sum / T.CreateChecked(2 * Batch)), double.CreateChecked(loss), 1e-6);
        if (step != Step.Backward)
        {
            Assert.NotEqual(withoutDropout, Outputs(net, x));
        }
    }

    private static (T[] X, T[] Y) Samples<T>()
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = new T[Batch * 4];
        var y = new T[Batch * 3];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = T.CreateChecked(((i * 7) % 11) / 5.0 - 1);
        }

        for (int i = 0; i < y.Length; i++)
        {
            y[i] = T.CreateChecked(i % 3 == i / 3 ? 1 : 0);
        }

        return (x, y);
    }

    private static T[] Outputs<T>(DropoutPredictionProbe<T> net, T[] x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var outputs = new T[Batch * 3];
        net.Predict(x, outputs, Batch);
        return outputs;
    }
}
