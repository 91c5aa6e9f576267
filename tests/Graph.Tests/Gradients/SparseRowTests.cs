using Graph.Samples.Chapter11;
using Xunit;

namespace Graph.Tests.Gradients;

/// <summary>
/// A table read only by row gets a row-sparse gradient: Backward writes and clears only the rows it read, and a
/// training step changes only those rows, leaving every other row bit for bit as it was.
/// </summary>
public sealed class SparseRowTests
{
    [Fact]
    public void TrainStepChangesOnlyTheRowsOfTheReview()
    {
        var model = new SentimentNetwork<double>(1, vocab: 50, hidden: 8);
        var embedding = model.Parameters["Weights01"];
        var before = (double[])embedding.Value.Clone();
        int[] review = [3, 17, 3, 49];

        model.Backward(review, [1.0]);
        var gradient = (double[])embedding.Gradient.Clone();
        model.TrainStep(review, [1.0], 0.1);

        Assert.Equal([3, 17, 49], embedding.TouchedRows!.Rows.ToArray());
        for (int row = 0; row < 50; row++)
        {
            for (int i = row * 8; i < (row + 1) * 8; i++)
            {
                if (row is 17 or 49)
                {
                    Assert.NotEqual(0.0, gradient[i]);
                    Assert.Equal(before[i] - (0.1 * gradient[i]), embedding.Value[i]);
                }
                else if (row == 3)
                {
                    // Read twice: the training step takes one step per occurrence, the accumulated step up to rounding.
                    Assert.NotEqual(0.0, gradient[i]);
                    Assert.Equal(before[i] - (0.1 * gradient[i]), embedding.Value[i], 15);
                }
                else
                {
                    Assert.Equal(0.0, gradient[i]);
                    Assert.Equal(BitConverter.DoubleToInt64Bits(before[i]), BitConverter.DoubleToInt64Bits(embedding.Value[i]));
                }
            }
        }
    }

    [Fact]
    public void RepeatedIndicesAccumulateInTheirRow()
    {
        // A bag sum with word 3 twice: row 3's gradient is twice that of a word read once, since both share the bag's gradient.
        var model = new SentimentNetwork<double>(2, vocab: 20, hidden: 4);
        model.Backward([3, 3, 5], [0.0]);
        var gradient = model.Parameters["Weights01"].Gradient;
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(2 * gradient[(5 * 4) + i], gradient[(3 * 4) + i]);
        }
    }

    [Fact]
    public void BackwardClearsTheRowsOfTheCallBefore()
    {
        var model = new SentimentNetwork<double>(3, vocab: 30, hidden: 4);
        var embedding = model.Parameters["Weights01"];
        model.Backward([1, 2, 3], [1.0]);
        model.Backward([7], [0.0]);

        Assert.Equal([7], embedding.TouchedRows!.Rows.ToArray());
        for (int i = 0; i < embedding.Size; i++)
        {
            Assert.Equal(i / 4 == 7, embedding.Gradient[i] != 0);
        }
    }

    [Fact]
    public void NegativeSamplingStepsOnlyTheContextAndTargetRows()
    {
        var model = new FillBlankNetwork<double>(1, vocab: 40, hidden: 5);
        var output = model.Parameters["Weights12"];
        var values = Enumerable.Range(0, output.Size).Select(i => Math.Sin(i)).ToArray();
        output.CopyFrom(values);
        var embeddingBefore = (double[])model.Parameters["Weights01"].Value.Clone();

        model.Backward([1, 2, 9], [30, 4, 4, 11, 0, 39], [1, 0, 0, 0, 0, 0]);
        Assert.Equal([30, 4, 11, 0, 39], output.TouchedRows!.Rows.ToArray());
        Assert.Equal([1, 2, 9], model.Parameters["Weights01"].TouchedRows!.Rows.ToArray());

        model.TrainStep([1, 2, 9], [30, 4, 4, 11, 0, 39], [1, 0, 0, 0, 0, 0], 0.05);
        AssertOnlyRowsChanged(values, output.Value, 5, [30, 4, 11, 0, 39]);
        AssertOnlyRowsChanged(embeddingBefore, model.Parameters["Weights01"].Value, 5, [1, 2, 9]);
    }

    [Fact]
    public void TrainStepEqualsBackwardThenApplyGradients()
    {
        // Distinct indices: the fused row updates are bit for bit the stored gradient's step.
        var fused = new FillBlankNetwork<double>(3, vocab: 30, hidden: 4);
        var stored = new FillBlankNetwork<double>(3, vocab: 30, hidden: 4);
        int[][] contexts = [[1, 2], [5, 6, 7], [2]];
        int[][] targets = [[3, 8, 9, 10, 11, 12], [1, 4, 13, 14, 15, 16], [6, 17, 18, 19, 20, 21]];
        double[] labels = [1, 0, 0, 0, 0, 0];
        for (int step = 0; step < 3; step++)
        {
            fused.TrainStep(contexts[step], targets[step], labels, 0.05);
            stored.Backward(contexts[step], targets[step], labels);
            stored.ApplyGradients(0.05);
        }

        foreach (string name in new[] { "Weights01", "Weights12" })
        {
            Assert.Equal(stored.Parameters[name].Value, fused.Parameters[name].Value);
        }
    }

    [Fact]
    public void AnIndexOutsideTheTableIsNamedWithTheValidRange()
    {
        var model = new SentimentNetwork<double>(1, vocab: 50, hidden: 4);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => model.TrainStep([4, 50], [1.0], 0.1));
        Assert.Equal("review", error.ParamName);
        Assert.Contains("index 50 at position 1, outside the valid range 0 to 49", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Predict([-1]));
        Assert.All(model.Parameters["Weights01"].Gradient, g => Assert.Equal(0.0, g));
    }

    [Fact]
    public void AnEmptyReviewAndAWrongTargetCountAreRejected()
    {
        var sentiment = new SentimentNetwork<float>(1, vocab: 10, hidden: 4);
        var empty = Assert.Throws<ArgumentException>(() => sentiment.Predict([]));
        Assert.Contains("'review' holds no indices", empty.Message);

        var fill = new FillBlankNetwork<float>(1, vocab: 10, hidden: 4);
        var count = Assert.Throws<ArgumentException>(() => fill.TrainStep([1], [1, 2, 3], [1, 0, 0, 0, 0, 0], 0.1f));
        Assert.Equal("targets", count.ParamName);
    }

    private static void AssertOnlyRowsChanged(double[] before, double[] after, int rowLength, int[] rows)
    {
        for (int i = 0; i < before.Length; i++)
        {
            if (rows.Contains(i / rowLength))
            {
                continue;
            }

            Assert.Equal(BitConverter.DoubleToInt64Bits(before[i]), BitConverter.DoubleToInt64Bits(after[i]));
        }

        Assert.Contains(rows, row => Enumerable.Range(row * rowLength, rowLength).Any(i => before[i] != after[i]));
    }
}
