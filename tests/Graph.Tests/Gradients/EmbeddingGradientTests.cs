using Graph.Runtime;
using Xunit;

namespace Graph.Tests.Gradients;

/// <summary>
/// Gather, EmbeddingSum, EmbeddingMean, the gathered output rows of negative sampling and the sigmoid
/// cross-entropy, through compiled models, against central finite differences (repeated indices included).
/// </summary>
public sealed class EmbeddingGradientTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void GatherWithRepeatedIndices(int batch)
    {
        var model = new GatherModel(1);
        int[] words = Words(batch, [2, 5, 2, 0], [6, 6, 6, 1], [3, 0, 4, 0]);
        var r = Draw(8 * batch);
        GradientCheck.Run((_, r, b) => model.Loss(words, r, b), (_, r, b) => model.Backward(words, r, b), model.Parameters, [], r, batch);
    }

    [Theory]
    [InlineData(new[] { 3 })]
    [InlineData(new[] { 2, 5, 2, 0, 2 })]
    public void EmbeddingSumWithRepeatedIndices(int[] words)
    {
        var model = new EmbeddingSumModel(2);
        GradientCheck.Run((_, r, _) => model.Loss(words, r), (_, r, _) => model.Backward(words, r), model.Parameters, [], Draw(2), 1);
    }

    [Theory]
    [InlineData(new[] { 3 })]
    [InlineData(new[] { 2, 5, 2, 0, 2 })]
    public void EmbeddingMeanWithRepeatedIndices(int[] words)
    {
        var model = new EmbeddingMeanModel(3);
        GradientCheck.Run((_, r, _) => model.Loss(words, r), (_, r, _) => model.Backward(words, r), model.Parameters, [], Draw(2), 1);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void BagsOverABatchWithTwoReadsOfOneTable(int batch)
    {
        // The table is read twice, so its gradient is the sum of two scatters (a dense gradient).
        var model = new BatchedBagModel(4);
        int[] words = Words(batch, [1, 1, 4, 6, 1], [0, 2, 3, 5, 6], [5, 5, 5, 5, 5]);
        GradientCheck.Run((_, r, b) => model.Loss(words, r, b), (_, r, b) => model.Backward(words, r, b), model.Parameters, [], Draw(2 * batch), batch);
        Assert.Null(model.Parameters["Table"].TouchedRows);
    }

    [Theory]
    [InlineData(new[] { 4, 1 }, new[] { 7, 2, 5 })]
    [InlineData(new[] { 3, 3, 8 }, new[] { 2, 2, 0 })]
    public void GatheredOutputRowsOfNegativeSampling(int[] context, int[] targets)
    {
        var model = new OutputRowsModel(5);
        double[] labels = [1, 0, 0];
        GradientCheck.Run((_, _, _) => model.Loss(context, targets, labels), (_, _, _) => model.Backward(context, targets, labels), model.Parameters, [], [], 1);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void SigmoidCrossEntropy(int batch) => GradientCheck.Run(new SigmoidCrossEntropyModel(6), 3, 4, batch);

    [Fact]
    public void SigmoidCrossEntropyIsTheBinaryCrossEntropyOfTheSigmoid()
    {
        var model = new SigmoidCrossEntropyModel(7);
        double[] x = [0.5, -1.5, 2.0];
        double[] y = [1, 0, 0.25, 1];
        var p = new double[4];
        model.Predict(x, p);
        double expected = 0;
        for (int i = 0; i < 4; i++)
        {
            expected -= (y[i] * Math.Log(p[i])) + ((1 - y[i]) * Math.Log(1 - p[i]));
        }

        Assert.Equal(expected, model.Loss(x, y), 12);
    }

    [Fact]
    public void SigmoidCrossEntropyStaysFiniteForLargeLogits()
    {
        var model = new SigmoidCrossEntropyModel(8);
        model.Parameters["W"].CopyFrom(Enumerable.Repeat(300.0, 12).ToArray());
        double loss = model.Backward([1, 1, 1], [0, 1, 0, 1]);

        // Logits of 900: the two targets of 0 cost 900 each, the two of 1 nothing; σ(900) - y is 1 or 0.
        Assert.Equal(1800, loss, 9);
        Assert.All(model.Parameters["W"].Gradient, g => Assert.True(double.IsFinite(g)));
    }

    private static int[] Words(int batch, params int[][] samples) => samples.Take(batch).SelectMany(s => s).ToArray();

    private static double[] Draw(int count) => GradientCheck.Draw(new NumpyRandom(9), count);
}
